import { constraintFailure, Prisma } from '@lockstep/db';
import type { ApiError } from './api-error.js';

/** What a database constraint failing means to the caller, per constraint kind. */
export interface ConstraintAnswers {
  /** A unique constraint failed: usually a 409. */
  unique?: () => ApiError;
  /** A foreign key failed: a reference to a row that does not exist, a 422. */
  foreignKey?: () => ApiError;
}

/** Prisma's code for an update or delete whose `where` matched no row. */
const NO_SUCH_ROW = 'P2025';

/**
 * Runs a conditional write (`where: { id, version }`, see `ItemStore`) and answers undefined
 * when it matched no row: the row has moved on to another version, or is gone.
 */
export async function unlessMovedOn<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === NO_SUCH_ROW) return undefined;
    throw error;
  }
}

/** The next version of a row, for the `data` of every update of a versioned table. */
export const nextVersion = { version: { increment: 1 } } as const;

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
