import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeStartupFailure } from './startup-errors.js';
import { tempDirs } from './testing.js';

const mainScript = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the built server as `pnpm start` does and collects how it ends. */
async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [mainScript], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stderr: stderr.trim() };
}

const tempDir = tempDirs();

describe('start-up failures a newcomer meets', () => {
  it('a port in use: one line with the fix, exit 1', async () => {
    const dir = await tempDir();
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const result = await start({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'a.db')}` });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Port ${port} on 127.0.0.1 is already in use. Stop the process using it, or start on another port: PORT=3001 pnpm start`,
      );
    } finally {
      taken.close();
    }
  });

  it('a data folder that cannot be created or written: one line, exit 1', async () => {
    const dir = await tempDir();
    // A file where the data folder should be: refused even to root, unlike a chmod.
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    const result = await start({ PORT: '0', DATABASE_URL: `file:${join(blocker, 'data', 'a.db')}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Cannot write the database at .*a\.db\. Make its folder writable/);
    expect(result.stderr.split('\n')).toHaveLength(1);
  });

  it('names the fix for each cause it recognises, and leaves the rest to the stack trace', () => {
    const config = { host: '127.0.0.1', port: 80, databaseUrl: 'file:/srv/lockstep.db' };
    const withCode = (code: string, syscall?: string) => Object.assign(new Error(code), { code, syscall });
    expect(describeStartupFailure(withCode('EACCES', 'listen'), config)).toMatch(/^Not allowed to listen on port 80/);
    expect(describeStartupFailure(withCode('EACCES', 'mkdir'), config)).toMatch(/^Cannot write the database at \/srv/);
    expect(describeStartupFailure(new Error('SqliteError: database is locked'), config)).toMatch(
      /^The database at \/srv\/lockstep\.db is locked/,
    );
    expect(
      describeStartupFailure(new Error('outer', { cause: new Error('unable to open database file') }), config),
    ).toMatch(/^Cannot write/);
    expect(describeStartupFailure(new TypeError('a bug'), config)).toBeUndefined();
  });

  it('a PostgreSQL server that does not answer: one line naming the URL without its password, exit 1', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as { port: number };
    closed.close();
    await once(closed, 'close');
    const result = await start({ PORT: '0', DATABASE_URL: `postgresql://lockstep:s3cret@127.0.0.1:${port}/lockstep` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `No PostgreSQL server answers at postgresql://lockstep:***@127.0.0.1:${port}/lockstep. Start it, or fix the host and port in DATABASE_URL.`,
    );
  });

  it('names the fix for PostgreSQL refusals it recognises', () => {
    const config = { host: '127.0.0.1', port: 3000, databaseUrl: 'postgresql://u:pw@db.internal/lockstep' };
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    expect(describeStartupFailure(withCode('28P01'), config)).toBe(
      'PostgreSQL at postgresql://u:***@db.internal/lockstep refused the user or password in DATABASE_URL. Fix the credentials.',
    );
    expect(describeStartupFailure(new Error('wrapped', { cause: withCode('42501') }), config)).toMatch(
      /does not exist and the user may not create it/,
    );
    expect(describeStartupFailure(withCode('ENOTFOUND'), config)).toMatch(/does not resolve/);
    expect(describeStartupFailure(new TypeError('a bug'), config)).toBeUndefined();
  });
});
