/**
 * Start-up, persistence and shutdown, with real processes and files: what an operator relies on.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL } from '@lockstep/db';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { makeTempDir, request, startTestServer, testDatabaseUrl } from './testing.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function tempDir() {
  const dir = await makeTempDir();
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('configuration', () => {
  it('defaults to port 3000 and the one default database, whichever folder it runs from', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(DEFAULT_DATABASE_URL).toBe(`file:${fileURLToPath(new URL('../../../data/lockstep.db', import.meta.url))}`);
    expect(loadConfig({ INIT_CWD: '/elsewhere' }).databaseUrl).toBe(DEFAULT_DATABASE_URL);
  });

  it('takes a relative DATABASE_URL from the folder the command was typed in', () => {
    expect(loadConfig({ DATABASE_URL: 'file:./x/app.db' }, '/srv/app').databaseUrl).toBe('file:/srv/app/x/app.db');
    expect(loadConfig({ DATABASE_URL: 'file:app.db', INIT_CWD: '/typed/here' }).databaseUrl).toBe(
      'file:/typed/here/app.db',
    );
  });

  it('reports every invalid variable by name, in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT: must be a port number/);
      expect(message).toMatch(/DATABASE_URL: must be a SQLite file: URL .* or a PostgreSQL URL/);
      expect(message).toMatch(/LOG_LEVEL/);
    }
  });
});

describe('persistence', () => {
  it('keeps a todo created before a restart', async () => {
    const dir = await tempDir();
    const first = await startTestServer(dir);
    const page = '/todos?userId=2&limit=100';
    const listed = (await request(first.url, 'GET', page)).body as unknown[];
    const created = await request(first.url, 'POST', '/todos', { json: { userId: 2, title: 'Survive a restart' } });
    expect(created.status).toBe(201);
    await first.dispose();

    const second = await startTestServer(dir);
    cleanups.push(() => second.dispose());
    const id = (created.body as { id: number }).id;
    const fetched = await request(second.url, 'GET', `/todos/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    // The page read before the write, read again after the restart, holds the write.
    expect((await request(second.url, 'GET', page)).body).toEqual([...listed, created.body]);
    // The seed ran once: restarting did not add a second copy of the fixture.
    expect(((await request(second.url, 'GET', '/users')).body as unknown[]).length).toBe(10);
  });
});

const mainScript = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the built server as a real process and waits for its "listening" log line. */
async function spawnServer(dir: string, env: Record<string, string> = {}) {
  const database = await testDatabaseUrl(dir);
  const child = spawn(process.execPath, [mainScript], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe('the built server as a process', () => {
  it('fails fast with a readable message on bad configuration', async () => {
    const child = spawn(process.execPath, [mainScript], { env: { ...process.env, PORT: 'abc' }, stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be a port number');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('on SIGTERM finishes the in-flight request, then exits 0', async () => {
    const dir = await tempDir();
    const { child, url } = await spawnServer(dir);
    expect((await request(url, 'GET', '/readyz')).status).toBe(200);

    // Start a request whose body arrives slowly, so it is in flight when SIGTERM lands.
    const target = new URL('/todos', url);
    const body = JSON.stringify({ userId: 1, title: 'in flight during shutdown' });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        target,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    const [result, [code]] = await Promise.all([inFlight, once(child, 'exit')]);
    expect(result.status).toBe(201);
    expect(JSON.parse(result.text)).toMatchObject({ title: 'in flight during shutdown' });
    expect(code).toBe(0);

    // The acknowledged write is on disk: a new process serves it.
    const again = await spawnServer(dir);
    const id = (JSON.parse(result.text) as { id: number }).id;
    expect((await request(again.url, 'GET', `/todos/${id}`)).status).toBe(200);
  });

  it('keeps an acknowledged write through kill -9', async () => {
    const dir = await tempDir();
    const { child, url } = await spawnServer(dir);
    const created = await request(url, 'POST', '/todos', { json: { userId: 3, title: 'durable' } });
    expect(created.status).toBe(201);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const again = await spawnServer(dir);
    const id = (created.body as { id: number }).id;
    expect((await request(again.url, 'GET', `/todos/${id}`)).body).toEqual(created.body);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    expect(await request(server.url, 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await request(server.url, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });
});

describe('connection cap', () => {
  it('refuses connections beyond MAX_CONNECTIONS at once, and serves again when one closes', async () => {
    const server = await startTestServer(undefined, { MAX_CONNECTIONS: '2' });
    cleanups.push(() => server.dispose());
    /** Opens a connection, sends a GET, and reports what came back before the socket closed. */
    const exchange = (socket: Socket) =>
      new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\r\n\r\n')) resolve(text);
        });
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      });
    const open = async () => {
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    };
    const [a, b] = [await open(), await open()];
    expect(await exchange(a)).toMatch(/^HTTP\/1\.1 200/);
    expect(await exchange(b)).toMatch(/^HTTP\/1\.1 200/);
    const third = await open();
    expect(await exchange(third)).toBe('');
    a.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await open();
    expect(await exchange(fourth)).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of [b, third, fourth]) socket.destroy();
  });
});
