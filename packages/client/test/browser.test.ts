/**
 * The client in a real browser: bundled for the browser platform by esbuild (a Node-only import
 * would fail the build), loaded into Debian's Chromium, and used against the server. Skipped with
 * a note where Chromium is not installed; required under CI.
 */
import { fileURLToPath } from 'node:url';
import { browserTestsEnabled, launchChromium, startTestServer, type TestServer } from '@lockstep/server/testing';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clientEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe.skipIf(!browserTestsEnabled())('the client in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let bundle: string;
  beforeAll(async () => {
    server = await startTestServer();
    const result = await build({
      entryPoints: [clientEntry],
      bundle: true,
      format: 'iife',
      globalName: 'lockstep',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]?.text ?? '';
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('bundles for the browser and talks REST and tRPC from a page', async () => {
    expect(bundle.length).toBeGreaterThan(10_000);
    // The page comes from the API's own origin, so no CORS is involved; CSP is bypassed only to
    // inject the bundle, which a real app would serve as a file.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/healthz`);
    await page.addScriptTag({ content: bundle });
    const outcome = await page.evaluate(async (origin) => {
      type Lib = typeof import('@lockstep/client');
      const lib = (globalThis as unknown as { lockstep: Lib }).lockstep;
      const api = lib.createClient({ baseUrl: origin });
      const todo = (await api.todos.get({ params: { id: 1 } })).unwrap();
      const missing = await api.todos.get({ params: { id: 99999 } });
      let error: [boolean, boolean, number] | undefined;
      try {
        missing.unwrap();
      } catch (caught) {
        error = [
          caught instanceof lib.HttpError,
          caught instanceof lib.LockstepError,
          (caught as { status: number }).status,
        ];
      }
      const viaTrpc = await lib.createTrpcClient({ baseUrl: origin }).todos.get.query({ params: { id: 2 } });
      return {
        todo,
        error,
        viaTrpc: viaTrpc.id,
        sameOrigin: origin === (globalThis as unknown as { origin: string }).origin,
      };
    }, server.url);
    expect(outcome).toEqual({
      todo: { userId: 1, id: 1, title: 'delectus aut autem', completed: false },
      error: [true, true, 404],
      viaTrpc: 2,
      sameOrigin: true,
    });
    await context.close();
  });
});
