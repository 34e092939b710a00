import type { SqliteValue } from './sqlite-rows.js';

/** What one cached result holds: its raw rows and whatever the reader needs to decode them. */
export interface CachedResult<Shape> {
  rows: readonly (readonly SqliteValue[])[];
  shape: Shape;
}

/** Estimated bytes, not exact: V8's strings are 1 or 2 bytes a character, plus headers. */
const ROW_OVERHEAD = 32;
const CELL_BYTES = 8;
/** The estimated size of rows of primitives; undefined when a cell is a BLOB (not kept). */
const sizeOf = (rows: readonly (readonly SqliteValue[])[]): number | undefined => {
  let bytes = 0;
  for (const row of rows) {
    bytes += ROW_OVERHEAD;
    for (const cell of row) {
      if (Buffer.isBuffer(cell)) return undefined;
      bytes += CELL_BYTES + (typeof cell === 'string' ? cell.length * 2 : 0);
    }
  }
  return bytes;
};

/**
 * The key of one query: its SQL and its bound values with their types (SQLite compares `1` and
 * `'1'` differently), or `undefined` when a value is a BLOB, which is not worth keying.
 */
export function resultKey(sql: string, values: readonly SqliteValue[]): string | undefined {
  const typed: (string | number | null | { bigint: string })[] = [];
  for (const value of values) {
    if (Buffer.isBuffer(value)) return undefined;
    typed.push(typeof value === 'bigint' ? { bigint: String(value) } : value);
  }
  return `${sql}\u0000${JSON.stringify(typed)}`;
}

/**
 * The results of recent reads, kept while the database is unchanged: `at(version)` is told the
 * database's data version before each read (SQLite's `PRAGMA data_version`, which moves whenever
 * another connection — this process's writer or another process — commits), and forgets every
 * result once it moves. So a result is only ever served for the same committed state it was read
 * from, whichever instance wrote. Bounded by an estimate of the bytes held; least recently used
 * out first. Rows hold primitives only (results with a BLOB are not kept), so a reader that
 * decodes them into fresh objects on every hit never shares a mutable value between callers.
 */
export class RecentResults<Shape> {
  private readonly results = new Map<string, CachedResult<Shape> & { bytes: number }>();
  private version: number | bigint | undefined;
  private heldBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The database's data version now; every result read at another version is dropped. */
  at(version: number | bigint): void {
    if (version === this.version) return;
    this.version = version;
    this.results.clear();
    this.heldBytes = 0;
  }

  get(key: string): CachedResult<Shape> | undefined {
    const result = this.results.get(key);
    if (result) {
      // Least recently used out first: a hit moves to the end.
      this.results.delete(key);
      this.results.set(key, result);
    }
    return result;
  }

  /** Keeps a result read at the version last given to `at`, unless it would take an eighth of the budget. */
  set(key: string, result: CachedResult<Shape>): void {
    const rowBytes = sizeOf(result.rows);
    if (rowBytes === undefined) return;
    const bytes = rowBytes + key.length * 2;
    if (bytes > this.maxBytes / 8) return;
    const replaced = this.results.get(key);
    if (replaced) {
      this.results.delete(key);
      this.heldBytes -= replaced.bytes;
    }
    this.results.set(key, { ...result, bytes });
    this.heldBytes += bytes;
    for (const [oldest, evicted] of this.results) {
      if (this.heldBytes <= this.maxBytes) break;
      this.results.delete(oldest);
      this.heldBytes -= evicted.bytes;
    }
  }

  /** How much is held now (for tests and diagnostics). */
  get size(): { results: number; bytes: number } {
    return { results: this.results.size, bytes: this.heldBytes };
  }
}
