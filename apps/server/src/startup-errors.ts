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
