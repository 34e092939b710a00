/** The key administration CLI as an operator runs it: a real process on the server's real database (either engine). */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '@lockstep/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, makeTempDir, startTestServer, type TestServer } from './testing.js';

const cli = fileURLToPath(new URL('../dist/keys-cli.js', import.meta.url));
const run = promisify(execFile);

let dir: string;
let server: TestServer;
const keys = (...args: string[]) =>
  run(process.execPath, [cli, ...args], { env: { ...process.env, DATABASE_URL: server.databaseUrl } });

beforeAll(async () => {
  dir = await makeTempDir();
  server = await startTestServer(dir);
});
afterAll(async () => {
  await server.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('keys CLI', () => {
  it('creates a key beside a running server, prints it once, and stores only its hash', async () => {
    const { stdout } = await keys('create', '--name', 'ci', '--scopes', 'read,write');
    const token = stdout.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^lsk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(
      (await client(server, token)('POST', '/events', { json: { name: 'x', startsAt: '2026-12-01T00:00:00Z' } }))
        .status,
    ).toBe(201);

    const db = await openDatabase(server.databaseUrl);
    try {
      const stored = await db.read.selectFrom('api_keys').selectAll().execute();
      const secret = token.split('_').slice(2).join('_');
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(secret);
    } finally {
      await db.close();
    }

    const listed = (await keys('list')).stdout;
    expect(listed).toContain('ci');
    expect(listed).not.toContain(token);
  });

  it('creates an admin key, which reads the usage ledger and nothing owned', async () => {
    const { stdout } = await keys('create', '--name', 'ops', '--scopes', 'read,admin');
    const token = stdout.trim().split('\n').at(-1) ?? '';
    expect(stdout).toContain('with scopes read,admin');
    expect((await client(server, token)('GET', '/contract/usage')).status).toBe(200);
    expect(
      (await client(server, token)('POST', '/events', { json: { name: 'x', startsAt: '2026-12-01T00:00:00Z' } }))
        .status,
    ).toBe(403);
  });

  it('revokes a key so it answers 401 from then on', async () => {
    const { stdout } = await keys('create', '--name', 'temp', '--scopes', 'read');
    const token = stdout.trim().split('\n').at(-1) ?? '';
    const id = token.split('_')[1] ?? '';
    expect((await client(server, token)('GET', '/transactions')).status).toBe(200);
    expect((await keys('revoke', '--id', id)).stdout).toContain(`Revoked key ${id}`);
    expect((await client(server, token)('GET', '/transactions')).status).toBe(401);
    await expect(keys('revoke', '--id', id)).rejects.toMatchObject({ code: 1 });
  });

  it('refuses unknown scopes and missing names with a usage message', async () => {
    await expect(keys('create', '--name', 'x', '--scopes', 'read,root')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown scope root; scopes are read, write, admin'),
    });
    await expect(keys('create', '--scopes', 'read')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--name is required'),
    });
  });
});
