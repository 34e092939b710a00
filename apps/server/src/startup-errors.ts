import { engineOf, redactedUrl } from '@lockstep/db';
import type { Config } from './config.js';

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;

const textOf = (error: unknown): string => {
  const parts: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message);
  return parts.join(' ');
};

/** The file system refusing the data folder or file: no permission, read-only, a file in the way. */
const FILE_SYSTEM_REFUSALS = new Set(['EACCES', 'EROFS', 'EPERM', 'ENOTDIR']);

/**
 * The one line a newcomer needs when the server cannot start for a reason of their machine,
 * with the fix; undefined for anything else, which is a bug and keeps its stack trace.
 */
export function describeStartupFailure(error: unknown, config: Pick<Config, 'host' | 'port' | 'databaseUrl'>) {
  const database = config.databaseUrl.slice('file:'.length);
  const code = codeOf(error);
  const text = textOf(error);
  if (code === 'EADDRINUSE') {
    return `Port ${config.port} on ${config.host} is already in use. Stop the process using it, or start on another port: PORT=3001 pnpm start`;
  }
  if (code === 'EACCES' && 'syscall' in (error as object) && (error as { syscall: string }).syscall === 'listen') {
    return `Not allowed to listen on port ${config.port}. Ports below 1024 need privileges; use PORT=3000 or higher.`;
  }
  if (engineOf(config.databaseUrl) === 'postgresql') return describePostgresqlFailure(error, config.databaseUrl);
  if (
    FILE_SYSTEM_REFUSALS.has(code ?? '') ||
    /unable to open database file|readonly database|SQLITE_CANTOPEN|SQLITE_READONLY/i.test(text)
  ) {
    return `Cannot write the database at ${database}. Make its folder writable, or set DATABASE_URL=file:/a/writable/path.db`;
  }
  if (/database is locked|SQLITE_BUSY/i.test(text)) {
    return `The database at ${database} is locked by another process (another lockstep server or a migration?). Stop it, or set DATABASE_URL to another file.`;
  }
  return undefined;
}

/** node-postgres and PostgreSQL name what went wrong by code: a socket's, or a SQLSTATE. */
function describePostgresqlFailure(error: unknown, url: string): string | undefined {
  const where = redactedUrl(url);
  const codes = new Set<string>();
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = codeOf(current);
    if (code) codes.add(code);
    if (!(current instanceof Error)) break;
  }
  const text = textOf(error);
  if (codes.has('ECONNREFUSED') || /ECONNREFUSED/.test(text)) {
    return `No PostgreSQL server answers at ${where}. Start it, or fix the host and port in DATABASE_URL.`;
  }
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) {
    return `The host in DATABASE_URL (${where}) does not resolve. Fix the host name.`;
  }
  if (codes.has('28P01') || codes.has('28000') || /password authentication failed|no pg_hba.conf entry/.test(text)) {
    return `PostgreSQL at ${where} refused the user or password in DATABASE_URL. Fix the credentials.`;
  }
  if (codes.has('42501') || /permission denied to create database/.test(text)) {
    return `The database in DATABASE_URL (${where}) does not exist and the user may not create it. Create it, or grant CREATEDB.`;
  }
  return undefined;
}
