import { Prisma } from '@lockstep/db';
import type { ApiError } from './api-error.js';

/** What a database constraint failing means to the caller, per constraint kind. */
export interface ConstraintAnswers {
  /** A unique constraint failed (Prisma P2002): usually a 409. */
  unique?: () => ApiError;
  /** A foreign key failed (Prisma P2003): a reference to a row that does not exist, a 422. */
  foreignKey?: () => ApiError;
}

const CODES = { P2002: 'unique', P2003: 'foreignKey' } as const;
type ConstraintKind = (typeof CODES)[keyof typeof CODES];

/** Which constraint a database error reports as failed, if it is a constraint failure. */
export function failedConstraint(error: unknown): ConstraintKind | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  return CODES[error.code as keyof typeof CODES];
}

/**
 * Runs a write and turns a constraint failure into the answer the caller is owed, so data access
 * has one error channel: `ApiError`. Other failures pass through as unexpected.
 */
export async function withConstraints<T>(write: Promise<T>, answers: ConstraintAnswers): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const kind = failedConstraint(error);
    const answer = kind && answers[kind];
    throw answer ? answer() : error;
  }
}
