/**
 * Rate limits as clients and operators meet them: real servers on loopback, in-memory and
 * through Redis (the machine's, and one of the test's own that it kills and restarts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, PRODUCTION_RATE_LIMITS } from './config.js';
import { type RunningServer, startServer } from './server.js';
import { freePort } from './testing/server-process.js';
import { client, createKey, rawRequest, startTestServer, type TestServer, tempDirs } from './testing.js';

const tempDir = tempDirs();
const servers: Array<{ dispose?: () => Promise<void>; close: () => Promise<void> }> = [];
afterAll(async () => {
  for (const server of servers) await (server.dispose ?? server.close)();
});

async function serve(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer(undefined, env);
  servers.push(server);
  return server;
}

/** `count` anonymous GETs, one after another; their statuses. */
async function statuses(server: { url: string }, count: number, token?: string, path = '/todos/1') {
  const api = client(server, token);
  const answers: number[] = [];
  for (let i = 0; i < count; i += 1) answers.push((await api('GET', path)).status);
  return answers;
}

const prefix = () => `lockstep-test-${process.pid}-${Math.random().toString(36).slice(2)}`;

describe('configuration', () => {
  it('is off by default in development and test, on in production with the documented values', () => {
    for (const NODE_ENV of ['development', 'test']) {
      expect(loadConfig({ NODE_ENV }).rateLimits).toEqual({ anonymous: null, key: null, authFailures: null });
    }
    expect(loadConfig({ NODE_ENV: 'production' }).rateLimits).toEqual(PRODUCTION_RATE_LIMITS);
    expect(loadConfig({ NODE_ENV: 'production', RATE_LIMIT_ANONYMOUS: '0', RATE_LIMIT_KEY: '50' }).rateLimits).toEqual({
      anonymous: null,
      key: 50,
      authFailures: PRODUCTION_RATE_LIMITS.authFailures,
    });
    expect(loadConfig({ RATE_LIMIT_AUTH_FAILURES: '5' }).rateLimits.authFailures).toBe(5);
    expect(() => loadConfig({ RATE_LIMIT_KEY: 'lots', REDIS_URL: 'http://x', TRUST_PROXY: '' })).toThrow(
      /RATE_LIMIT_KEY: must be a number of requests per minute[\s\S]*REDIS_URL: must be a redis:\/\/[\s\S]*TRUST_PROXY/,
    );
  });

  it('reads TRUST_PROXY as Express does: booleans, hop counts, address lists', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });
});

describe('limits off (development default)', () => {
  it('never answers 429 and sends no RateLimit fields', async () => {
    const server = await serve({});
    const answers = await Promise.all(Array.from({ length: 60 }, () => client(server)('GET', '/todos/2')));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers[0]?.headers.get('ratelimit')).toBeNull();
    expect(answers[0]?.headers.get('ratelimit-policy')).toBeNull();
  });
});

describe('limits in memory (one instance)', () => {
  it('counts anonymous calls per address: the fields on every answer, then 429 problem+json with Retry-After', async () => {
    const server = await serve({ RATE_LIMIT_ANONYMOUS: '3' });
    const api = client(server);
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await api('GET', '/todos/1'));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]?.headers.get('ratelimit-policy')).toBe('"anonymous";q=3;w=60');
    expect(answers.slice(0, 3).map((answer) => answer.headers.get('ratelimit')?.split(';')[1])).toEqual([
      'r=2',
      'r=1',
      'r=0',
    ]);
    const refused = answers[3];
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused?.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused?.headers.get('ratelimit')).toBe(`"anonymous";r=0;t=${retryAfter}`);
    // Health checks are never limited: a load balancer must see the instance.
    expect((await api('GET', '/readyz')).status).toBe(200);
    // tRPC calls share the quota: the same client, the same count.
    expect((await api('GET', '/trpc/todos.get?input=%7B%22params%22%3A%7B%22id%22%3A1%7D%7D')).status).toBe(429);
  });

  it('gives each API key its own quota, apart from anonymous calls and from other keys', async () => {
    const server = await serve({ RATE_LIMIT_KEY: '2', RATE_LIMIT_ANONYMOUS: '100' });
    const first = await createKey(server);
    const second = await createKey(server);
    expect(await statuses(server, 3, first.token, '/transactions')).toEqual([200, 200, 429]);
    const other = await client(server, second.token)('GET', '/transactions');
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-policy')).toBe('"key";q=2;w=60');
    expect((await client(server)('GET', '/todos/1')).headers.get('ratelimit-policy')).toBe('"anonymous";q=100;w=60');
  });

  it('holds key guessing to a low limit per address, then refuses even a valid key from there', async () => {
    const server = await serve({ RATE_LIMIT_AUTH_FAILURES: '3' });
    const { token } = await createKey(server);
    const from = (localAddress: string, key: string) =>
      rawRequest({
        port: server.port,
        method: 'GET',
        path: '/transactions',
        headers: { authorization: `Bearer ${key}` },
        localAddress,
      });
    const wrong = `${token.slice(0, -4)}AAAA`;
    const guesses = [];
    for (let i = 0; i < 4; i += 1) guesses.push((await from('127.0.0.1', wrong)).status);
    expect(guesses).toEqual([401, 401, 401, 429]);
    // The right key, from the guessing address, is not even looked at until the window ends.
    const blocked = await from('127.0.0.1', token);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['ratelimit-policy']).toBe('"auth-failures";q=3;w=60');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect((await from('127.0.0.2', token)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY names the proxy', async () => {
    const forwardedFor = (server: TestServer, address: string) =>
      client(server)('GET', '/todos/1', { headers: { 'x-forwarded-for': address } }).then((answer) => answer.status);
    const direct = await serve({ RATE_LIMIT_ANONYMOUS: '2' });
    const spoofed = [];
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) spoofed.push(await forwardedFor(direct, address));
    expect(spoofed).toEqual([200, 200, 429]);

    const behindProxy = await serve({ RATE_LIMIT_ANONYMOUS: '2', TRUST_PROXY: 'loopback' });
    const clients = [];
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']) {
      clients.push(await forwardedFor(behindProxy, address));
    }
    expect(clients).toEqual([200, 200, 200, 200]);
    expect(await forwardedFor(behindProxy, '10.0.0.1')).toBe(429);
  });
});

describe('limits shared through Redis', () => {
  it('counts for every instance together (the machine’s Redis)', async () => {
    const env = { RATE_LIMIT_ANONYMOUS: '4', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix() };
    const a = await serve(env);
    const b = await serve({ ...env, DATABASE_URL: a.databaseUrl });
    await waitForStore(a, 'redis');
    await waitForStore(b, 'redis');
    expect([...(await statuses(a, 2)), ...(await statuses(b, 2))]).toEqual([200, 200, 200, 200]);
    expect(await statuses(a, 1)).toEqual([429]);
    expect(await statuses(b, 1)).toEqual([429]);
  });

  it('falls back to per-instance memory when Redis dies, says so in logs and /readyz, and returns to Redis', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const logs: string[] = [];
    const env = { RATE_LIMIT_ANONYMOUS: '3', REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix() };
    const a = await startLogged(await tempDir(), env, logs);
    const b = await startLogged(await tempDir(), env, logs);
    try {
      await waitForStore(a, 'redis');
      await waitForStore(b, 'redis');
      expect([...(await statuses(a, 2)), ...(await statuses(b, 2))]).toEqual([200, 200, 200, 429]);

      redis.kill('SIGKILL');
      await once(redis, 'exit');
      await waitForStore(a, 'memory (redis unreachable)');
      await waitForStore(b, 'memory (redis unreachable)');
      expect(logs.some((line) => line.includes('Redis unreachable, counting per instance in memory'))).toBe(true);
      // Still serving, still limiting: each instance counts on its own now.
      expect(await statuses(a, 4)).toEqual([200, 200, 200, 429]);
      expect(await statuses(b, 4)).toEqual([200, 200, 200, 429]);
      const ready = await client(a)('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', checks: { rateLimits: 'memory (redis unreachable)' } });

      redis = await startRedis(port);
      await waitForStore(a, 'redis');
      await waitForStore(b, 'redis');
      expect(logs.some((line) => line.includes('Redis reachable again'))).toBe(true);
      // Shared again (the new Redis starts with no counts): three between them, then 429 on both.
      expect([...(await statuses(a, 2)), ...(await statuses(b, 1))]).toEqual([200, 200, 200]);
      expect(await statuses(b, 1)).toEqual([429]);
      expect(await statuses(a, 1)).toEqual([429]);
    } finally {
      await a.close();
      await b.close();
      redis.kill('SIGKILL');
    }
  });
});

/** Polls /readyz until it reports the rate limits' store as `store` (Redis reconnects on its own). */
async function waitForStore(server: { url: string }, store: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let seen: unknown;
  while (Date.now() < deadline) {
    seen = ((await client(server)('GET', '/readyz')).body as { checks?: { rateLimits?: string } }).checks?.rateLimits;
    if (seen === store) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`rate limits stayed "${String(seen)}", expected "${store}"`);
}

/** A server started as `main` does, its warnings and info lines collected in `logs`. */
async function startLogged(dir: string, env: Record<string, string>, logs: string[]): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    DATABASE_URL: `file:${dir}/lockstep.db`,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  return startServer(config, pino({ level: 'info' }, sink));
}

/** A redis-server of this test's own on `port`, keeping nothing on disk; resolves once it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  child.stdout?.resume();
  return child;
}
