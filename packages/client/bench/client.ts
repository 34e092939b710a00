/**
 * Client overhead benchmark: GET /todos/1 through @lockstep/client (contract validation,
 * retry bookkeeping, typed result) against raw `fetch` + `response.json()`, in the same run,
 * against the same server process.
 *
 *   pnpm build && pnpm --filter @lockstep/client bench   (BENCH_REQUESTS per round, default 2000)
 *
 * Requests are sequential (one in flight), so the figure is the per-request cost the caller
 * pays. Rounds alternate between the two so drift on a shared machine hits both alike. Target:
 * client ≤ 1.15× raw fetch per request.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '@lockstep/server/testing';
import { createClient } from '../src/index.js';

const perRound = Number(process.env.BENCH_REQUESTS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 6);

async function timeRound(call: () => Promise<unknown>, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-bench-client-'));
  const server = await startServerProcess(`file:${join(dir, 'bench.db')}`);
  const { base } = server;
  try {
    const url = `${base}/todos/1`;
    const raw = async () => {
      const response = await fetch(url);
      if (response.status !== 200) throw new Error(`raw fetch got ${response.status}`);
      return response.json();
    };
    const client = createClient({ baseUrl: base });
    const typed = async () => (await client.todos.get({ params: { id: 1 } })).unwrap();

    // Warm both paths (JIT, connection pool) before measuring.
    await timeRound(raw, 500);
    await timeRound(typed, 500);
    const samples: Record<'raw fetch' | '@lockstep/client', number[]> = { 'raw fetch': [], '@lockstep/client': [] };
    for (let round = 0; round < rounds; round += 1) {
      const order =
        round % 2 === 0 ? (['raw fetch', '@lockstep/client'] as const) : (['@lockstep/client', 'raw fetch'] as const);
      for (const name of order) samples[name].push(...(await timeRound(name === 'raw fetch' ? raw : typed, perRound)));
    }

    const stats = Object.entries(samples).map(([name, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return { name, n: values.length, mean, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
    });
    const baseline = stats.find((row) => row.name === 'raw fetch') ?? stats[0];
    console.log(
      `\nGET /todos/1, sequential, ${rounds} alternating rounds of ${perRound}; ratio = figure / raw fetch\n`,
    );
    console.log('| path | requests | mean µs | p50 µs | p99 µs | mean ratio | p50 ratio |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of stats) {
      const us = (ms: number) => Math.round(ms * 1000);
      console.log(
        `| ${row.name} | ${row.n} | ${us(row.mean)} | ${us(row.p50)} | ${us(row.p99)} | ${(row.mean / (baseline?.mean ?? 1)).toFixed(2)}× | ${(row.p50 / (baseline?.p50 ?? 1)).toFixed(2)}× |`,
      );
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
