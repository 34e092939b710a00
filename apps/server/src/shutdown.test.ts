/**
 * A drain that drops nothing: under keep-alive load (GETs and POSTs on 50 connections), SIGTERM
 * must never reset a request. Each one gets a complete answer or its connection is refused, and
 * every POST that was not answered did not commit. The clients have no load balancer in front:
 * told `Connection: close`, each reconnects at once to the same server, which must read and
 * answer every request of a connection it accepted, with no drain (the default) and with one.
 */
import { once } from 'node:events';
import { Agent } from 'node:http';
import { openDatabase } from '@lockstep/db';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './testing/server-process.js';
import { rawRequest, tempDirs, testDatabaseUrl } from './testing.js';

const CONNECTIONS = 50;

type Outcome =
  | { kind: 'answered'; status: number; body: string; closing: boolean }
  | { kind: 'refused' }
  | { kind: 'reset'; code: string };

/** One request on the worker's keep-alive connection, classified as the test counts it. */
const call = (agent: Agent, port: number, method: string, path: string, body?: string): Promise<Outcome> =>
  rawRequest({ port, method, path, agent, body, headers: body ? { 'content-type': 'application/json' } : {} }).then(
    (answer) => ({
      kind: 'answered',
      status: answer.status,
      body: answer.body,
      closing: answer.headers.connection === 'close',
    }),
    (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'reset', code: error.code ?? error.message },
  );

const tempDir = tempDirs();

/** Drains tried: none (the default) and 3 s; rounds of each, every round on a new process. */
const DRAINS: Array<[string, Record<string, string>, number]> = [
  ['the default drain', {}, 3],
  ['a drain of 3 s', { SHUTDOWN_DRAIN_MS: '3000' }, 1],
];

describe('SIGTERM under keep-alive load, clients reconnecting at once', () => {
  it.each(DRAINS)(
    'with %s: resets nothing, and every unanswered POST left no row',
    async (_name, env, rounds) => {
      const dir = await tempDir();
      const database = await testDatabaseUrl(dir);
      for (let round = 0; round < rounds; round += 1) {
        const { child, base } = await startServerProcess(database, { LOG_LEVEL: 'silent', ...env });
        const port = Number(new URL(base).port);

        const resets: string[] = [];
        const created: number[] = [];
        let sent = 0;
        let reconnects = 0;
        const worker = async (index: number) => {
          // One connection at a time; after `Connection: close` the agent opens the next at once.
          const agent = new Agent({ keepAlive: true, maxSockets: 1 });
          for (let i = 0; ; i += 1) {
            const post = i % 2 === 1;
            const outcome = post
              ? await call(
                  agent,
                  port,
                  'POST',
                  '/todos',
                  JSON.stringify({ userId: 1, title: `drain ${round} ${index} ${i}` }),
                )
              : await call(agent, port, 'GET', '/todos/1');
            if (post) sent += 1;
            if (outcome.kind === 'refused') break;
            if (outcome.kind === 'reset') {
              resets.push(`${post ? 'POST' : 'GET'} ${outcome.code}`);
              break;
            }
            if (post && outcome.status === 201) created.push((JSON.parse(outcome.body) as { id: number }).id);
            if (outcome.closing) reconnects += 1;
          }
          agent.destroy();
        };
        const workers = Array.from({ length: CONNECTIONS }, (_, index) => worker(index));
        // The signal comes once the load is real: every connection busy, well over one POST each
        // answered or under way (waiting on progress, not on a clock, so a slow machine is no excuse).
        while (sent < CONNECTIONS * 2) await new Promise((resolve) => setTimeout(resolve, 10));
        child.kill('SIGTERM');
        const [code] = (await once(child, 'exit')) as [number];
        await Promise.all(workers);

        expect(code).toBe(0);
        expect(resets, `round ${round}`).toEqual([]);
        // Told to close, the clients did come back (on the drain's answers, and on the answers to
        // requests already sent when the listener closed).
        expect(reconnects).toBeGreaterThan(0);
        const db = await openDatabase(database);
        try {
          const rows = await db.read
            .selectFrom('todos')
            .select('id')
            .where('title', 'like', `drain ${round} %`)
            .execute();
          expect(rows.length, 'committed POSTs = answered POSTs').toBe(created.length);
        } finally {
          await db.close();
        }
      }
    },
    90_000,
  );
});
