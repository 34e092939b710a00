import { constraintFailure } from '@lockstep/db';
import type { ApiError } from './api-error.js';

/** What a database constraint failing means to the caller, per constraint kind. */
export interface ConstraintAnswers {
  /** A unique constraint failed: usually a 409. */
  unique?: () => ApiError;
  /** A foreign key failed: a reference to a row that does not exist, a 422. */
  foreignKey?: () => ApiError;
}

/**
 * Runs a write and turns a constraint failure into the answer the caller is owed, so data access
 * has one error channel: `ApiError`. Other failures pass through as unexpected.
 */
export async function withConstraints<T>(write: Promise<T>, answers: ConstraintAnswers): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const kind = constraintFailure(error);
    const answer = kind && answers[kind];
    throw answer ? answer() : error;
  }
}
