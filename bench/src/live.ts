// pnpm bench:live: change feeds under load, on loopback, against the built server on a seeded
// SQLite file. BENCH_LIVE_SUBSCRIBERS (default 1,000) clients follow GET /todos/changes, each on a
// connection of its own, while todos are created at BENCH_LIVE_WRITES (default 100) per second
// for BENCH_LIVE_SECONDS (default 10). Printed, all from this one run:
// - delivery latency p50 / p99: from the moment the write was sent to the moment a subscriber
//   read its event (so it includes the write's own round trip, an upper bound on commit → delivery);
// - the server's resident memory per idle subscriber;
// - the server's CPU per delivered event: the same writes' CPU with no subscriber, taken away;
// - the change log's share of a write: the server's CPU per POST /todos (over HTTP, under load), and
//   the CPU of inserting a todo in a transaction with and without its change record (in this
//   process, through the server's own recordChange, on a copy of the same database).

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Database, openDatabase } from '@lockstep/db';
import { recordChange } from '@lockstep/server/change-log';
import { startServerProcess } from '@lockstep/server/process';
import autocannon from 'autocannon';
import { seededDatabase } from './fixtures.js';
import { cpuMicros, rssBytes } from './process-stats.js';
import { percentile, printTable } from './table.js';

const SUBSCRIBERS = Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 1_000);
const WRITES_PER_SECOND = Number(process.env.BENCH_LIVE_WRITES ?? 100);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
const now = () => performance.timeOrigin + performance.now();

interface Subscriber {
  latencies: number[];
  close(): void;
}

/** Follows the todo feed on a connection of its own, noting when each event's write was sent. */
function subscribe(port: number): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const req = httpRequest({ host: '127.0.0.1', port, path: '/todos/changes', agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`feed answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk: string) => {
        const arrived = now();
        buffered += chunk;
        const end = buffered.lastIndexOf('\n\n');
        if (end < 0) return;
        for (const match of buffered.slice(0, end).matchAll(/"title":"live (\d+(?:\.\d+)?)"/g)) {
          latencies.push(arrived - Number(match[1]));
        }
        buffered = buffered.slice(end + 2);
      });
      resolve({ latencies, close: () => req.destroy() });
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

/** Creates todos at WRITES_PER_SECOND for SECONDS, each titled with when it was sent. */
async function writeTodos(base: string): Promise<number> {
  const total = WRITES_PER_SECOND * SECONDS;
  const interval = 1_000 / WRITES_PER_SECOND;
  const start = now();
  const sent: Promise<unknown>[] = [];
  for (let n = 0; n < total; n += 1) {
    const due = start + n * interval;
    if (due > now()) await sleep(due - now());
    sent.push(
      fetch(`${base}/todos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 1, title: `live ${now()}` }),
      }).then((response) => response.arrayBuffer()),
    );
  }
  await Promise.all(sent);
  return total;
}

/** The server's CPU per POST /todos under load (autocannon, 10 connections): what a write costs it. */
async function postCpu(base: string, pid: number): Promise<number> {
  const before = cpuMicros(pid);
  const result = await autocannon({
    url: `${base}/todos`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 1, title: 'load' }),
    connections: 10,
    amount: 3_000,
  });
  return (cpuMicros(pid) - before) / Math.max(1, result.requests.total);
}

/** Inserts one todo in a transaction, with or without its change record. */
async function insertTodo(db: Database, n: number, withChange: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const todo = await tx.write
      .insertInto('todos')
      .values({ userId: 1, title: `cost ${n}`, completed: false, createdAt: new Date(), updatedAt: new Date() })
      .returning(['userId', 'id', 'title', 'completed'])
      .executeTakeFirstOrThrow();
    if (withChange) {
      const scope = { ownerId: null, parentId: todo.userId };
      await recordChange(tx, { resource: 'todos', kind: 'created', itemId: todo.id, item: todo, scope });
    }
  });
}

/**
 * CPU microseconds this process spends per insert of a todo in a transaction, without and with
 * its change: rounds of each in turn, and the median round of each, as the machine is noisy.
 */
async function insertCosts(url: string): Promise<{ alone: number; logged: number }> {
  const db = await openDatabase(url);
  const rounds: Record<'alone' | 'logged', number[]> = { alone: [], logged: [] };
  try {
    for (let round = 0; round < 9; round += 1) {
      for (const variant of ['alone', 'logged'] as const) {
        const before = process.cpuUsage();
        for (let n = 0; n < 300; n += 1) await insertTodo(db, n, variant === 'logged');
        const used = process.cpuUsage(before);
        rounds[variant].push((used.user + used.system) / 300);
      }
    }
  } finally {
    await db.close();
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  return { alone: median(rounds.alone), logged: median(rounds.logged) };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-bench-live-'));
  try {
    const { file } = await seededDatabase(dir);
    const copy = join(dir, 'insert-cost.db');
    await copyFile(file, copy);
    const server = await startServerProcess(`file:${file}`, {
      SSE_MAX_STREAMS_PER_ADDRESS: String(SUBSCRIBERS + 10),
      MAX_CONNECTIONS: String(SUBSCRIBERS + 100),
    });
    const pid = server.child.pid ?? 0;
    const port = Number(new URL(server.base).port);
    try {
      console.error(
        `bench:live: POST /todos under load, then ${WRITES_PER_SECOND} writes/s for ${SECONDS} s, without subscribers…`,
      );
      await postCpu(server.base, pid); // warm-up
      const postCpuUnderLoad = await postCpu(server.base, pid);
      const cpuAlone = cpuMicros(pid);
      await writeTodos(server.base);
      const cpuWritesAlone = cpuMicros(pid) - cpuAlone;

      console.error(`… opening ${SUBSCRIBERS} subscribers…`);
      await sleep(1_000);
      const rssBefore = rssBytes(pid);
      const subscribers: Subscriber[] = [];
      for (let n = 0; n < SUBSCRIBERS; n += 100) {
        subscribers.push(
          ...(await Promise.all(Array.from({ length: Math.min(100, SUBSCRIBERS - n) }, () => subscribe(port)))),
        );
      }
      await sleep(2_000);
      const rssIdle = rssBytes(pid);

      console.error(`… and ${WRITES_PER_SECOND} writes/s for ${SECONDS} s with them.`);
      const cpuStart = cpuMicros(pid);
      const writes = await writeTodos(server.base);
      const expected = writes * SUBSCRIBERS;
      const deadline = now() + 10_000;
      const delivered = () => subscribers.reduce((sum, subscriber) => sum + subscriber.latencies.length, 0);
      while (delivered() < expected && now() < deadline) await sleep(50);
      const cpuWithSubscribers = cpuMicros(pid) - cpuStart;
      for (const subscriber of subscribers) subscriber.close();

      const latencies = subscribers.flatMap((subscriber) => subscriber.latencies).sort((a, b) => a - b);
      const { alone: insertAlone, logged: insertLogged } = await insertCosts(`file:${copy}`);
      const logCost = insertLogged - insertAlone;

      printTable(
        ['measure', 'figure', 'target'],
        [
          ['subscribers / writes per second', `${SUBSCRIBERS} / ${WRITES_PER_SECOND}`, ''],
          ['events delivered', `${latencies.length} of ${expected}`, 'all'],
          ['delivery p50', `${percentile(latencies, 0.5).toFixed(1)} ms`, ''],
          ['delivery p99', `${percentile(latencies, 0.99).toFixed(1)} ms`, '≤ 100 ms'],
          [
            'server RSS per idle subscriber',
            `${((rssIdle - rssBefore) / SUBSCRIBERS / 1024).toFixed(1)} KB`,
            '≤ 20 KB',
          ],
          [
            'server CPU per delivered event',
            `${((cpuWithSubscribers - cpuWritesAlone) / Math.max(1, latencies.length)).toFixed(1)} µs`,
            '',
          ],
          ['server CPU per POST /todos under load (no subscriber)', `${postCpuUnderLoad.toFixed(0)} µs`, ''],
          [
            'insert in a transaction, without / with its change',
            `${insertAlone.toFixed(0)} / ${insertLogged.toFixed(0)} µs`,
            '',
          ],
          ['the change log’s cost per write', `${logCost.toFixed(0)} µs`, ''],
          ['the change log’s share of a POST /todos', `${((100 * logCost) / postCpuUnderLoad).toFixed(1)} %`, '≤ 15 %'],
        ],
      );
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
