/**
 * Runs the tutorial's real Python `requests` script against a fresh server. Where Python or
 * `requests` is missing, the test is skipped with a note; under CI it is required.
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing.js';

const script = fileURLToPath(new URL('../tutorial/tutorial_requests.py', import.meta.url));
const hasRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
const required = process.env.CI === 'true';

describe.skipIf(!hasRequests && !required)('the tutorial’s Python requests code', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('runs unchanged but for the base URL', async () => {
    // Asynchronous on purpose: the server answers from this same process.
    const run = await promisify(execFile)('python3', [script], { env: { ...process.env, BASE_URL: server.url } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('all tutorial steps passed');
  });
});
