/**
 * Paging benchmark: does the cost of a page stay flat as the table grows, on either engine?
 *
 *   pnpm bench:paging            (1,000 and 1,000,000 rows, SQLite and PostgreSQL)
 *   BENCH_SIZES=1000,100000 BENCH_SECONDS=3 BENCH_ENGINES=postgresql pnpm bench:paging
 *
 * For each engine and size it builds a fresh database (a SQLite file; a throwaway database on
 * BENCH_POSTGRES_URL's server, by default the local one, dropped afterwards) with that many
 * transactions for one owner, starts the built server as a separate process, and loads it over
 * loopback with autocannon: the first page, a page deep in the table (keyset cursor near the
 * end), and a filtered page sorted on another indexed column. It prints p50/p99 latency and each
 * figure's ratio to the smallest size on the same engine, measured in the same run. Target:
 * ≤ 1.5× from 1k to 1M.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, type Engine, openMigratedDatabase, throwawayPostgresqlDatabase } from '@lockstep/db';
import { AuthService, encodeCursor } from '@lockstep/server';
import { startServerProcess } from '@lockstep/server/process';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { BENCH_POSTGRESQL_SERVER } from './process-stats.js';
import { printTable, ratio } from './table.js';

const sizes = (process.env.BENCH_SIZES ?? '1000,1000000').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgresql').split(',') as Engine[];

/**
 * The same rows on both engines, generated inside the database itself (a million in seconds):
 * amounts, currencies and times spread by multiplying by primes.
 */
const INSERT_ROWS: Record<Engine, (ownerId: string, count: number) => string> = {
  // Timestamps in the text form Prisma's SQLite adapter writes, so range scans compare alike.
  sqlite: (ownerId, count) => `
    WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count})
    INSERT INTO transactions (ownerId, amount, currency, description, occurredAt, createdAt, updatedAt)
    SELECT '${ownerId}', (i * 7919) % 100000 - 50000,
           CASE i % 5 WHEN 0 THEN 'EUR' WHEN 1 THEN 'USD' WHEN 2 THEN 'GBP' WHEN 3 THEN 'JPY' ELSE 'CHF' END,
           'transaction ' || i,
           strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 1767225600 + (i * 104729) % 31536000, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now')
    FROM seq`,
  // TIMESTAMP(3) columns hold UTC, as Prisma writes them.
  postgresql: (ownerId, count) => `
    INSERT INTO transactions ("ownerId", amount, currency, description, "occurredAt", "createdAt", "updatedAt")
    SELECT '${ownerId}', (i * 7919) % 100000 - 50000,
           (ARRAY['EUR', 'USD', 'GBP', 'JPY', 'CHF'])[i % 5 + 1],
           'transaction ' || i,
           to_timestamp(1767225600 + (i * 104729) % 31536000) AT TIME ZONE 'UTC',
           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM generate_series(1::bigint, ${count}::bigint) AS i`,
};

/** Inserts `count` transactions for a new read key's owner, then refreshes the planner's statistics. */
async function seed(db: Database, engine: Engine, count: number): Promise<{ token: string }> {
  const { token, key } = await new AuthService(db).createKey({ name: 'bench', scopes: ['read'] });
  await sql.raw(INSERT_ROWS[engine](key.ownerId, count)).execute(db.write);
  await sql`ANALYZE`.execute(db.write);
  return { token };
}

/** A new, empty database of `engine` for one size, and how to drop it afterwards. */
async function scratchDatabase(engine: Engine): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'postgresql') return throwawayPostgresqlDatabase('lockstep_bench', BENCH_POSTGRESQL_SERVER);
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-bench-'));
  return { url: `file:${join(dir, 'bench.db')}`, drop: () => rm(dir, { recursive: true, force: true }) };
}

async function measure(base: string, path: string, token: string) {
  const check = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const rows = ((await check.json()) as unknown[]).length;
  if (check.status !== 200 || rows === 0) throw new Error(`${path} answered ${check.status} with ${rows} rows`);
  const result = await autocannon({
    url: `${base}${path}`,
    headers: { authorization: `Bearer ${token}` },
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, rows };
}

interface Row {
  engine: Engine;
  size: number;
  scenario: string;
  p50: number;
  p99: number;
  rps: number;
}

async function main(): Promise<void> {
  const results: Row[] = [];
  for (const engine of engines) for (const size of sizes) results.push(...(await measureSize(engine, size)));
  printResults(results);
}

async function measureSize(engine: Engine, size: number): Promise<Row[]> {
  const results: Row[] = [];
  const { url, drop } = await scratchDatabase(engine);
  try {
    process.stdout.write(`${engine}: seeding ${size.toLocaleString('en')} rows… `);
    const started = Date.now();
    const { db } = await openMigratedDatabase({ url });
    const { token } = await seed(db, engine, size).finally(() => db.close());
    console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { base, stop } = await startServerProcess(url);
    try {
      const deepCursor = encodeCursor('id', { value: size - 150, id: size - 150 });
      const scenarios: Array<[string, string]> = [
        ['first page', '/transactions?limit=100'],
        ['deep page', `/transactions?limit=100&cursor=${deepCursor}`],
        ['filtered page', '/transactions?currency=JPY&sort=-occurredAt&limit=100'],
      ];
      for (const [scenario, path] of scenarios) {
        const figures = await measure(base, path, token);
        results.push({ engine, size, scenario, ...figures });
        console.log(`  ${scenario}: p50 ${figures.p50} ms, p99 ${figures.p99} ms, ${Math.round(figures.rps)} req/s`);
      }
    } finally {
      await stop();
    }
  } finally {
    await drop();
  }
  return results;
}

function printResults(results: Row[]): void {
  const baseline = Math.min(...sizes);
  console.log(
    `\n${connections} connections, ${seconds} s per scenario, loopback; ratio = figure / figure at ${baseline.toLocaleString('en')} rows on the same engine\n`,
  );
  const header = ['engine', 'rows', 'scenario', 'p50 ms', 'p99 ms', 'req/s', 'p50 ratio', 'p99 ratio'];
  const lines = results.map((row) => {
    const base =
      results.find((r) => r.engine === row.engine && r.size === baseline && r.scenario === row.scenario) ?? row;
    return [
      row.engine,
      row.size.toLocaleString('en'),
      row.scenario,
      String(row.p50),
      String(row.p99),
      String(Math.round(row.rps)),
      ratio(row.p50, base.p50),
      ratio(row.p99, base.p99),
    ];
  });
  printTable(header, lines);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
