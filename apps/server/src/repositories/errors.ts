import { Prisma } from '@lockstep/db';

/** A write named a related row that does not exist (a foreign key failed). */
export class MissingReferenceError extends Error {
  constructor(readonly field: string) {
    super(`${field} refers to a row that does not exist.`);
  }
}

/** Prisma's "foreign key constraint failed". */
export const isForeignKeyViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';

/** Prisma's "unique constraint failed". */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
