import BetterSqlite3 from 'better-sqlite3';
import { Prisma } from './generated/sqlite/client.js';

/** A constraint a write broke, as callers answer it: a duplicate (409) or a dangling reference (422). */
export type ConstraintFailure = 'unique' | 'foreignKey';

/** Prisma's codes: the model API's own, then a raw statement's, which carries the driver's kind. */
const PRISMA_CODES: Record<string, ConstraintFailure> = { P2002: 'unique', P2003: 'foreignKey' };
const RAW_QUERY_FAILED = 'P2010';
const DRIVER_KINDS: Record<string, ConstraintFailure> = {
  UniqueConstraintViolation: 'unique',
  ForeignKeyConstraintViolation: 'foreignKey',
};
/** better-sqlite3's extended result codes, for statements run outside Prisma (`WriterStatements`). */
const SQLITE_CODES: Record<string, ConstraintFailure> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
};

/** Which constraint a failed write broke, whichever path it took; undefined for any other failure. */
export function constraintFailure(error: unknown): ConstraintFailure | undefined {
  if (error instanceof BetterSqlite3.SqliteError) return SQLITE_CODES[error.code];
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (error.code === RAW_QUERY_FAILED) {
    const kind = (error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause?.kind;
    return kind === undefined ? undefined : DRIVER_KINDS[kind];
  }
  return PRISMA_CODES[error.code];
}
