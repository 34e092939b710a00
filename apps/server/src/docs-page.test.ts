/**
 * The docs page in a real browser (Debian's Chromium): it renders every operation and change
 * feed of the contract from /openapi.json, logs no console error, and requests nothing from another
 * origin; a deprecated route (of a fixture contract's document) shows as deprecated. Screenshots
 * are kept in test-results/. Skipped with a note where Chromium is
 * missing; required under CI.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { contract, contractRoutes, feedList, openApiDocument } from '@lockstep/contract';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprecatedTodosContract } from './testing/fixture-contract.js';
import { browserTestsEnabled, launchChromium, startTestServer, type TestServer } from './testing.js';

const outputDir = fileURLToPath(new URL('../test-results/', import.meta.url));

describe.skipIf(!browserTestsEnabled())('the docs page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('shows every operation and feed, offline, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
    });

    await page.goto(`${server.url}/docs`, { waitUntil: 'networkidle' });
    const summaries = [
      ...contractRoutes(contract).map(({ route }) => route.summary ?? ''),
      ...feedList().map((feed) => feed.summary),
    ];
    await page
      .getByText(summaries.at(-1) ?? '')
      .first()
      .waitFor({ state: 'attached', timeout: 20_000 });
    const text = await page.locator('body').innerText();
    await mkdir(outputDir, { recursive: true });
    await page.screenshot({ path: `${outputDir}docs.png` });

    expect(summaries.filter((summary) => !text.includes(summary))).toEqual([]);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows a deprecated route as deprecated, with its sunset (a fixture contract’s document)', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // The page as served, reading the document the fixture contract makes instead of the API's.
    await page.route(`${server.url}/openapi.json`, (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify(openApiDocument({}, deprecatedTodosContract)),
      }),
    );
    await page.goto(`${server.url}/docs`, { waitUntil: 'networkidle' });
    const operation = page.locator('[id="operation/todos.get"]');
    await operation.getByText('Deprecated', { exact: true }).first().waitFor({ timeout: 20_000 });
    expect(await operation.textContent()).toContain('it may stop answering from 2027-06-01');
    const other = page.locator('[id="operation/todos.create"]');
    expect(await other.getByText('Deprecated', { exact: true }).count()).toBe(0);
    await page.screenshot({ path: `${outputDir}docs-deprecated.png` });
    await page.close();
  }, 60_000);
});
