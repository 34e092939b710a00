/**
 * HTTP benchmark: what does the whole lockstep stack cost per request, against a baseline
 * measured in the same invocation on a copy of the same seeded database?
 *
 *   pnpm build && pnpm --filter @lockstep/server bench:http
 *   BENCH_CONNECTIONS=50 BENCH_REQUESTS=20000 pnpm --filter @lockstep/server bench:http
 *
 * Servers, each its own process on loopback:
 *   bare express  baselines/bare-express.ts: Express + one prepared better-sqlite3 statement
 *   lockstep      the built server exactly as `pnpm start` runs it (request logging at info,
 *                 security headers, access checks, ETags), its log sent to /dev/null
 *
 * For each server and scenario it prints req/s, p50 and p99 latency, the server's CPU time per
 * request (from /proc/<pid>/stat, steadier than req/s on a shared machine) and the ratios to the
 * baseline. Figures from different runs are not comparable; ratios within one run are.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMigratedDatabase, seedIfEmpty } from '@lockstep/db';
import autocannon from 'autocannon';
import { cpuMicros, type ServerProcess, startScript, startServerProcess } from './server-process.js';
import { printTable, ratio } from './table.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const requests = Number(process.env.BENCH_REQUESTS ?? 20_000);
const warmup = Math.min(requests, 2_000);

interface Scenario {
  name: string;
  path: string;
}
const scenarios: Scenario[] = [{ name: 'GET /todos/1', path: '/todos/1' }];

interface Target {
  name: string;
  start(databaseFile: string): Promise<ServerProcess>;
}
const bareExpress = fileURLToPath(new URL('./baselines/bare-express.js', import.meta.url));
const targets: Target[] = [
  { name: 'bare express (baseline)', start: (file) => startScript(bareExpress, { DATABASE_FILE: file }) },
  { name: 'lockstep', start: (file) => startServerProcess(`file:${file}`, { LOG_LEVEL: 'info' }) },
];

interface Figures {
  target: string;
  scenario: string;
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequestUs: number;
}

async function measure(server: ServerProcess, scenario: Scenario): Promise<Omit<Figures, 'target' | 'scenario'>> {
  const url = `${server.base}${scenario.path}`;
  const check = await fetch(url);
  if (check.status !== 200) throw new Error(`${url} answered ${check.status}`);
  await autocannon({ url, connections, amount: warmup });
  const pid = server.child.pid as number;
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({ url, connections, amount: requests });
  const cpu = cpuMicros(pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequestUs: cpu / result.requests.total,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-bench-http-'));
  const results: Figures[] = [];
  try {
    const seeded = join(dir, 'seeded.db');
    const { db } = await openMigratedDatabase({ url: `file:${seeded}` });
    await seedIfEmpty(db);
    await db.$disconnect();

    for (const [index, target] of targets.entries()) {
      const file = join(dir, `copy-${index}.db`);
      await copyFile(seeded, file);
      const server = await target.start(file);
      try {
        for (const scenario of scenarios) {
          const figures = await measure(server, scenario);
          results.push({ target: target.name, scenario: scenario.name, ...figures });
          console.log(`${target.name}, ${scenario.name}: ${Math.round(figures.rps)} req/s`);
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  printResults(results);
}

function printResults(results: Figures[]): void {
  const baselineName = targets[0]?.name;
  console.log(
    `\n${connections} connections, ${requests} requests per scenario after ${warmup} to warm up, loopback; ` +
      `ratio = figure / ${baselineName}\n`,
  );
  const header = ['server', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'req/s ratio', 'CPU ratio'];
  const lines = results.map((row) => {
    const base = results.find((r) => r.target === baselineName && r.scenario === row.scenario) ?? row;
    return [
      row.target,
      row.scenario,
      String(Math.round(row.rps)),
      String(row.p50),
      String(row.p99),
      String(Math.round(row.cpuPerRequestUs)),
      ratio(row.rps, base.rps),
      ratio(row.cpuPerRequestUs, base.cpuPerRequestUs),
    ];
  });
  printTable(header, lines);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
