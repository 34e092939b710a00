/**
 * The client as a user gets it: packed to tarballs, installed with npm into a throwaway project
 * outside the workspace, type-checked by that project's own `tsc`, and run against a server.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/server.js';

const run = promisify(execFile);
const packageDir = (name: string) => fileURLToPath(new URL(`../../../packages/${name}`, import.meta.url));

const program = `
import { createClient, HttpError, type Todo } from '@lockstep/client';

const client = createClient({ baseUrl: process.env.BASE_URL ?? '', retry: false });
const result = await client.todos.get({ params: { id: 1 } });
if (result.status === 200) {
  const todo: Todo = result.body;
  console.log(JSON.stringify(todo));
}
const created = (await client.todos.create({ body: { userId: 1, title: 'from the tarball' } })).unwrap();
console.log('created', created.id, created.title);
try {
  (await client.todos.get({ params: { id: 999999 } })).unwrap();
} catch (error) {
  if (error instanceof HttpError) console.log('missing', error.status, error.problem?.status);
}
`;

// A deliberate mistake: a todo's title is a string, not a number.
const mistake = `
import { createClient } from '@lockstep/client';
const client = createClient({ baseUrl: 'http://127.0.0.1:1' });
export const title: number = (await client.todos.get({ params: { id: 1 } })).unwrap().title;
`;

const commonJs = `
const { createClient, LockstepError } = require('@lockstep/client');
createClient({ baseUrl: process.env.BASE_URL, retry: false })
  .users.get({ params: { id: 1 } })
  .then((result) => console.log('cjs', result.status, result.body.name, typeof LockstepError));
`;

const tsconfig = (files: string[]) =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      // tRPC's typings use Disposable; a strict consumer (skipLibCheck off) needs its lib.
      lib: ['es2023', 'dom', 'esnext.disposable'],
      types: ['node'],
      skipLibCheck: false,
      outDir: 'dist',
    },
    files,
  });

let dir: string;
let server: TestServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lockstep-consumer-'));
  server = await startTestServer();
  for (const name of ['contract', 'client']) {
    await run('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir(name) });
  }
  const tarballs = (await readdir(dir)).filter((file) => file.endsWith('.tgz'));
  const tarball = (name: string) => `file:./${tarballs.find((file) => file.startsWith(`lockstep-${name}-`))}`;
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { '@lockstep/client': tarball('client'), '@lockstep/contract': tarball('contract') },
      devDependencies: { typescript: '5.9.3', '@types/node': '20.19.43' },
      // The contract is not on the registry; the client's dependency on it resolves to the tarball.
      overrides: { '@lockstep/contract': tarball('contract') },
    }),
  );
  await writeFile(join(dir, 'program.ts'), program);
  await writeFile(join(dir, 'mistake.ts'), mistake);
  await writeFile(join(dir, 'program.cjs'), commonJs);
  await writeFile(join(dir, 'tsconfig.json'), tsconfig(['program.ts']));
  await writeFile(join(dir, 'tsconfig.mistake.json'), tsconfig(['mistake.ts']));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
}, 300_000);
afterAll(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed client in a project of its own', () => {
  it('type-checks and compiles a program with the project’s tsc', async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: dir });
  });

  it('rejects a program with a type error', async () => {
    const failure = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.mistake.json'], {
      cwd: dir,
    }).then(
      () => undefined,
      (error: { stdout: string }) => error.stdout,
    );
    expect(failure).toMatch(/mistake\.ts\(4,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it('runs the compiled ESM program against the server', async () => {
    const { stdout } = await run(process.execPath, ['dist/program.js'], {
      cwd: dir,
      env: { ...process.env, BASE_URL: server.url },
    });
    expect(stdout).toContain('{"userId":1,"id":1,"title":"delectus aut autem","completed":false}');
    expect(stdout).toContain('created 201 from the tarball');
    expect(stdout).toContain('missing 404 404');
  });

  it('loads through require() as well (the CJS build)', async () => {
    const { stdout } = await run(process.execPath, ['program.cjs'], {
      cwd: dir,
      env: { ...process.env, BASE_URL: server.url },
    });
    expect(stdout.trim()).toBe('cjs 200 Leanne Graham function');
  });
});
