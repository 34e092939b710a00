/**
 * A drain that drops nothing: under keep-alive load (GETs and POSTs on tens of connections),
 * SIGTERM must never reset a request. Each one gets a complete answer or its connection is
 * refused, and every POST that was not answered did not commit. The clients behave as they do
 * behind a load balancer: an answer with `Connection: close` sends them elsewhere (here: they
 * stop), which is what the drain period is for.
 */
import { once } from 'node:events';
import { Agent } from 'node:http';
import { openDatabase } from '@lockstep/db';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './testing/server-process.js';
import { rawRequest, tempDirs, testDatabaseUrl } from './testing.js';

const CONNECTIONS = 30;
const ROUNDS = 3;

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

describe('SIGTERM under keep-alive load', () => {
  it('resets nothing, and every unanswered POST left no row', async () => {
    const dir = await tempDir();
    const database = await testDatabaseUrl(dir);
    for (let round = 0; round < ROUNDS; round += 1) {
      const { child, base } = await startServerProcess(database, { LOG_LEVEL: 'silent', SHUTDOWN_DRAIN_MS: '700' });
      const port = Number(new URL(base).port);

      const resets: string[] = [];
      const created: number[] = [];
      let sent = 0;
      const worker = async (index: number) => {
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
          if (outcome.closing) break;
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
  }, 60_000);
});
