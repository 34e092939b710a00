/**
 * Helpers for tests that need a real lockstep server: this package's own and the client's
 * (`@lockstep/server/testing`). Everything runs for real: HTTP on loopback, a SQLite file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@lockstep/db';
import { type Browser, chromium } from 'playwright-core';
import { afterAll } from 'vitest';
import { AuthService, type Scope } from './auth/api-keys.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './server.js';

export interface TestServer extends RunningServer {
  /** Folder holding this server's SQLite file; removed by `dispose`. */
  dir: string;
  /** Stops the server (if still running) and deletes its database. */
  dispose(): Promise<void>;
}

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
 * Starts the real server on an ephemeral loopback port against a SQLite file in `dir`
 * (a fresh folder unless given), exactly as `main` does, with logging off.
 */
export async function startTestServer(dir?: string, env: Record<string, string> = {}): Promise<TestServer> {
  const folder = dir ?? (await makeTempDir());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(folder, 'lockstep.db')}`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const server = await startServer(config, createLogger(config));
  return {
    ...server,
    dir: folder,
    dispose: async () => {
      await server.close();
      if (!dir) await rm(folder, { recursive: true, force: true });
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
  server: TestServer,
  scopes: Scope[] = ['read', 'write'],
  ownerId?: string,
): Promise<{ token: string; ownerId: string; keyId: string }> {
  const db = await openDatabase(`file:${join(server.dir, 'lockstep.db')}`);
  try {
    const { token, key } = await new AuthService(db).createKey({ name: 'test', scopes, ownerId });
    return { token, ownerId: key.ownerId, keyId: key.id };
  } finally {
    await db.$disconnect();
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
export { startServerProcess } from './bench/server-process.js';

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
