import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';

/** PostgreSQL's type ids of the columns whose text `pg` would decode otherwise than the generated `DB` types say. */
const INT8 = 20;
const TIMESTAMP = 1114;

/**
 * Result columns as the generated `DB` types say they arrive (and as SQLite's connection hands
 * them over: see `sqlite-connection.ts`): `BigInt` columns (int8) as `bigint`, which `pg` leaves
 * as strings; `DateTime` columns (`timestamp(3)`, written in UTC) as the instant they hold, which
 * `pg` would read in the process's time zone. Booleans, integers, text and JSON decode alike.
 */
const LOCKSTEP_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (text: string) => BigInt(text);
    if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A bound value as the columns keep it: an instant as its UTC text (a `timestamp` column ignores
 * the offset; `pg` would send the process's local time), a `bigint` as its digits.
 */
const toPostgresql = (value: unknown): unknown =>
  value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : value;

/** A pooled client as Kysely's `PostgresDialect` takes it, binding values as `toPostgresql` says. */
function lockstepClient(client: pg.PoolClient): PostgresPoolClient {
  const query = async <R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> => {
    const result = await client.query(sql, parameters.map(toPostgresql));
    return {
      command: result.command as PostgresQueryResult<R>['command'],
      rowCount: result.rowCount ?? 0,
      rows: result.rows as R[],
    };
  };
  return {
    // Kysely passes a cursor (the interface's other overload) only to a dialect given a cursor
    // class for streaming; this one is given none.
    query: query as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/**
 * A `pg` pool as Kysely's `PostgresDialect` takes it (its public `PostgresPool` interface), with
 * lockstep's decoding of results and binding of values, so stores read and write the same
 * JavaScript values on PostgreSQL as on SQLite. `pool` is the pool itself, for what Kysely does
 * not do (LISTEN, say).
 */
export function postgresqlPool(url: string): { pool: pg.Pool; forKysely: PostgresPool } {
  const pool = new pg.Pool({ connectionString: url, types: LOCKSTEP_TYPES });
  return {
    pool,
    forKysely: {
      options: pool.options,
      connect: async () => lockstepClient(await pool.connect()),
      end: () => pool.end(),
    },
  };
}
