/**
 * `pnpm dev` is how a newcomer changes the server: it must honour the environment exactly as
 * `pnpm start` does (the port, the database, a relative path taken from where it was typed),
 * and serve the front end with hot reload beside it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative as relativePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './testing/server-process.js';
import { makeTempDir } from './testing.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pnpm dev', () => {
  it('listens on PORT, keeps its data in DATABASE_URL (relative to where it was typed), and serves the front end on WEB_DEV_PORT', async () => {
    dir = await makeTempDir();
    const port = await freePort();
    const webPort = await freePort();
    // Typed at the repository root, as the README says: a relative path is taken from there,
    // not from the server's own folder, where the dev task runs.
    const relative = relativePath(root, join(dir, 'dev', 'lockstep.db'));
    const child = spawn('pnpm', ['dev'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        WEB_DEV_PORT: String(webPort),
        DATABASE_URL: `file:${relative}`,
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
      detached: true,
    });
    try {
      // `pnpm dev` builds first; on a busy machine (the whole suite runs beside it) that takes a while.
      const deadline = Date.now() + 75_000;
      let status = 0;
      while (Date.now() < deadline && status !== 200 && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = await fetch(`http://127.0.0.1:${port}/todos/1`).then(
          (res) => res.status,
          () => 0,
        );
      }
      expect(status).toBe(200);
      expect(existsSync(join(dir, 'dev', 'lockstep.db'))).toBe(true);

      // Beside it, the front end with hot reload (Vite), passing API calls on to this server.
      let page = '';
      while (Date.now() < deadline && !page.includes('/@vite/client')) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        page = await fetch(`http://127.0.0.1:${webPort}/app/`).then(
          (res) => res.text(),
          () => '',
        );
      }
      expect(page).toContain('/@vite/client');
      const proxied = await fetch(`http://127.0.0.1:${webPort}/todos/1`);
      expect(await proxied.json()).toMatchObject({ id: 1, title: 'delectus aut autem' });
    } finally {
      process.kill(-(child.pid as number), 'SIGTERM');
      await once(child, 'exit');
    }
  }, 120_000);
});
