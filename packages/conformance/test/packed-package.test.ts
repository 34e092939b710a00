/**
 * `lockstep-verify` and `lockstep-mock` as a CI pipeline outside this repository gets them:
 * packed to tarballs, installed with npm into a throwaway project, run through their bins.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createKey, installPacked, startTestServer, type TestServer } from '@lockstep/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

let dir: string;
let server: TestServer;
let mock: ChildProcess | undefined;
beforeAll(async () => {
  server = await startTestServer();
  dir = await installPacked(['contract', 'conformance'], (tarball) => ({
    devDependencies: { '@lockstep/conformance': tarball('conformance') },
  }));
}, 300_000);
afterAll(async () => {
  mock?.kill();
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed conformance package in a project of its own', () => {
  it('verifies a deployment through its bin (npx lockstep-verify), exit code 0', async () => {
    const key = (await createKey(server)).token;
    const otherKey = (await createKey(server)).token;
    const { stdout } = await run('npx', ['--no-install', 'lockstep-verify', '--base-url', server.url, '--seed', '5'], {
      cwd: dir,
      // Keys from the environment, as a CI secret would hand them over.
      env: { ...process.env, LOCKSTEP_KEY: key, LOCKSTEP_OTHER_KEY: otherKey },
    });
    expect(stdout).toMatch(/^(\d+) of \1 checks passed against .*; seed 5/m);
  });

  it('serves the mock through its bin (lockstep-mock), which verify --read-only accepts', async () => {
    // The installed bin itself rather than npx, so that stopping it stops the server.
    mock = spawn(process.execPath, ['node_modules/.bin/lockstep-mock'], {
      cwd: dir,
      env: { ...process.env, PORT: '0' },
    });
    const [line] = (await once(mock.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const url = /http:\/\/[\d.]+:\d+/.exec(line.toString())?.[0] as string;
    expect(url).toBeTruthy();
    const { stdout } = await run(
      'npx',
      ['--no-install', 'lockstep-verify', '--base-url', url, '--key', 'any', '--read-only'],
      {
        cwd: dir,
      },
    );
    expect(stdout).toMatch(/^(\d+) of \1 checks passed against .* \(read-only\)/m);
  });
});
