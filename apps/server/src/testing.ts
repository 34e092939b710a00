/**
 * Helpers for tests that need a real lockstep server: this package's own and the other
 * packages' (`@lockstep/server/testing`). Everything runs for real: HTTP on loopback, a SQLite
 * file, npm installing packed tarballs.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  dropPostgresqlDatabase,
  type Engine,
  ensurePostgresqlDatabase,
  openDatabase,
  postgresqlDatabaseUrl,
  throwawayPostgresqlDatabase,
} from '@lockstep/db';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, expect, inject } from 'vitest';
import { AuthService, type Scope } from './auth/api-keys.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';
import { openFeed } from './testing/feed-reader.js';
import { testPostgresqlServer } from './testing/postgresql-run.js';

export interface TestServer extends RunningServer {
  /** Folder of this server's files (its SQLite database, on SQLite); removed by `dispose`. */
  dir: string;
  /** The database it runs on: a SQLite file in `dir`, or a PostgreSQL database of its own. */
  databaseUrl: string;
  /** Stops the server (if still running) and deletes its database. */
  dispose(): Promise<void>;
}

/**
 * The engine HTTP tests run on. `pnpm test` runs them twice: on SQLite, and on the local
 * PostgreSQL under `LOCKSTEP_TEST_ENGINE=postgresql` (see the root vitest.config.ts).
 */
export const testEngine = (): Engine => (process.env.LOCKSTEP_TEST_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite');

/**
 * A new PostgreSQL database for one test server, named after its folder (so a restart on the
 * same folder finds the same database): a copy of the run's migrated, seeded template when
 * there is one, else empty (the server then migrates and seeds it itself).
 */
async function testPostgresqlDatabase(folder: string): Promise<string> {
  const run = inject('postgresqlRun');
  const name = `${run?.prefix ?? 'lockstep_test'}_${createHash('sha256').update(folder).digest('hex').slice(0, 16)}`;
  const url = postgresqlDatabaseUrl(run?.serverUrl ?? testPostgresqlServer(), name);
  if (run) await ensurePostgresqlDatabase(url, { template: run.template });
  return url;
}

/**
 * The database a test keeps in `dir`: a SQLite file there, or, in the PostgreSQL run, a
 * PostgreSQL database named after the folder (dropped by the run's teardown).
 */
export async function testDatabaseUrl(dir: string): Promise<string> {
  return testEngine() === 'postgresql' ? testPostgresqlDatabase(dir) : `file:${join(dir, 'lockstep.db')}`;
}

/** A throwaway PostgreSQL database URL for tests that run several instances on one database. */
export const throwawayPostgresqlUrl = () => throwawayPostgresqlDatabase('lockstep_test', testPostgresqlServer());

/** Creates a throwaway folder for a SQLite database. */
export const makeTempDir = () => mkdtemp(join(tmpdir(), 'lockstep-server-test-'));

/** Throwaway folders for one test file: each call makes one, all are removed after its tests. */
export function tempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = await makeTempDir();
    made.push(dir);
    return dir;
  };
}

/**
 * Starts the real server on an ephemeral loopback port, exactly as `main` does, with logging
 * off, against a database of its own: a SQLite file in `dir` (a fresh folder unless given), or,
 * in the PostgreSQL run, a PostgreSQL database named after that folder. `env.DATABASE_URL`
 * overrides both.
 */
export async function startTestServer(dir?: string, env: Record<string, string> = {}): Promise<TestServer> {
  const folder = dir ?? (await makeTempDir());
  const ownsDatabase = env.DATABASE_URL === undefined && testEngine() === 'postgresql';
  const databaseUrl = env.DATABASE_URL ?? (await testDatabaseUrl(folder));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const server = await startServer(config, createLogger(config));
  return {
    ...server,
    dir: folder,
    databaseUrl,
    dispose: async () => {
      await server.close();
      // Every response of a test server is checked against the contract: a mismatch fails the test.
      if (server.contractViolations.length > 0) {
        throw new Error(`responses did not match the contract: ${JSON.stringify(server.contractViolations)}`);
      }
      // A caller's folder may be started on again (a restart); the run's teardown drops what is left.
      if (dir) return;
      await rm(folder, { recursive: true, force: true });
      if (ownsDatabase) await dropPostgresqlDatabase(databaseUrl);
    },
  };
}

/** What `request` answers: the status, the headers, the body parsed as JSON (else the text), the text. */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

type RequestOptions = { json?: unknown; body?: string; headers?: Record<string, string> };

/** `fetch` against the server with a JSON body; returns status, headers and parsed body. */
export async function request(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/**
 * Creates an API key in the server's database, as `keys:create` does, and returns its token.
 * Opens its own connection beside the server's (SQLite in WAL mode allows both).
 */
export async function createKey(
  server: Pick<TestServer, 'databaseUrl'>,
  scopes: Scope[] = ['read', 'write'],
  ownerId?: string,
): Promise<{ token: string; ownerId: string; keyId: string }> {
  const db = await openDatabase(server.databaseUrl);
  try {
    const { token, key } = await new AuthService(db).createKey({ name: 'test', scopes, ownerId });
    return { token, ownerId: key.ownerId, keyId: key.id };
  } finally {
    await db.close();
  }
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request sent exactly as given, over node:http: `fetch` refuses some methods and headers,
 * pools connections and cannot pick the local address. Rejects with the socket's error (its
 * `code`: ECONNREFUSED, ECONNRESET, …) when no complete answer arrives.
 */
export function rawRequest(options: {
  port: number;
  method: string;
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** A keep-alive agent to reuse connections; a fresh connection per request by default. */
  agent?: Agent;
  localAddress?: string;
}): Promise<RawAnswer> {
  const { port, method, path, headers = {}, body, agent, localAddress } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, agent: agent ?? false, localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A `request` bound to one server and, optionally, one API key. */
export function client(server: { url: string }, token?: string) {
  return (method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> =>
    request(server.url, method, path, {
      ...options,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
    });
}
export { type FeedReader, openFeed, type ReceivedEvent } from './testing/feed-reader.js';
export { startServerProcess } from './testing/server-process.js';

/**
 * Changes written on every instance reach a subscriber of another, in commit order, and a
 * cursor from one instance resumes on another: the feeds' promise across instances.
 */
export async function expectChangesReachEveryInstance(bases: string[], token: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  const feed = await openFeed(`${bases[1 % bases.length]}/transactions/changes`, auth);
  expect(feed.status).toBe(200);
  const written: number[] = [];
  for (let n = 0; n < 6; n += 1) {
    const created = await client({ url: bases[n % bases.length] ?? '' }, token)('POST', '/transactions', {
      json: {
        amount: 100 + n,
        currency: 'EUR',
        description: `from instance ${n % bases.length}`,
        occurredAt: '2026-12-06T10:00:00Z',
      },
    });
    written.push((created.body as { id: number }).id);
  }
  const events = await feed.waitForEvents(6);
  feed.close();
  expect(events.map((event) => (event.data as { id: number }).id)).toEqual(written);
  const resumed = await openFeed(`${bases[0]}/transactions/changes`, { ...auth, 'last-event-id': events[2]?.id ?? '' });
  const rest = await resumed.waitForEvents(3);
  resumed.close();
  expect(rest.map((event) => event.id)).toEqual(events.slice(3).map((event) => event.id));
}

/** A value per writer for each of a user's plain members, valid for the contract. */
const MEMBER_VALUES = {
  username: (n: number) => `user${n}`,
  email: (n: number) => `w${n}@example.com`,
  phone: (n: number) => `555-01${n}`,
} as const;

/**
 * Creates a user, then sends `writers` PATCHes without If-Match per member at once, writer `n`
 * through `on(n)` (one server, or several instances). Every one must answer 200, and each
 * member must end with one of its writers' values: a writer that overwrote a member another set
 * between its read and its write would have lost that member's update.
 */
export async function expectConcurrentPatchesMerge(on: (n: number) => ReturnType<typeof client>, writers: number) {
  const created = await on(0)('POST', '/users', { json: { name: 'Merge Target' } });
  const path = `/users/${(created.body as { id: number }).id}`;
  const members = Object.keys(MEMBER_VALUES) as Array<keyof typeof MEMBER_VALUES>;
  const answers = await Promise.all(
    members.flatMap((member) =>
      Array.from({ length: writers }, (_, n) => on(n)('PATCH', path, { json: { [member]: MEMBER_VALUES[member](n) } })),
    ),
  );
  expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
  const final = (await on(writers)('GET', path)).body as Record<string, string>;
  for (const member of members) {
    expect(
      Array.from({ length: writers }, (_, n) => MEMBER_VALUES[member](n)),
      member,
    ).toContain(final[member]);
  }
}

/** Debian's Chromium, which browser tests drive (Playwright's own download is unreachable here). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Whether browser tests run: where Chromium is installed, and always under CI (which installs it). */
export const browserTestsEnabled = (): boolean => existsSync(CHROMIUM_PATH) || process.env.CI === 'true';

/**
 * Launches headless Chromium for a test. The flags keep it off the network it would otherwise
 * reach for on its own (component updates, sync, field trials), which this machine refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Packs workspace packages (`packages/<name>`) as they would be published and installs them with
 * npm into a throwaway project outside the workspace, as a user gets them. `manifest` gives the
 * project's dependencies, naming each package by its tarball; `@lockstep/contract` is not on the
 * registry, so it is pinned to its tarball for every dependent. Answers the project's folder.
 */
export async function installPacked(
  packages: readonly string[],
  manifest: (tarball: (name: string) => string) => Record<string, unknown>,
): Promise<string> {
  const run = promisify(execFile);
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-consumer-'));
  for (const name of packages) {
    const packageDir = fileURLToPath(new URL(`../../../packages/${name}`, import.meta.url));
    await run('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir });
  }
  const tarballs = (await readdir(dir)).filter((file) => file.endsWith('.tgz'));
  const tarball = (name: string) => `file:./${tarballs.find((file) => file.startsWith(`lockstep-${name}-`))}`;
  const overrides = packages.includes('contract') ? { overrides: { '@lockstep/contract': tarball('contract') } } : {};
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, ...manifest(tarball), ...overrides }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return dir;
}
