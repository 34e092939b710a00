/**
 * The reference front end end to end, in Debian's Chromium against the real server on a
 * throwaway database, as `pnpm start` serves it (the production build at /app/): the key,
 * events and guests (a full event's 409, two tabs' conflicting edits as a 412 to reload or
 * overwrite), todos with infinite scrolling. Each screen is kept as a screenshot in
 * test-results/web/; no request may leave the server's origin. Skipped with a note where
 * Chromium is missing; required under CI.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CONTRACT_VERSION } from '@lockstep/client';
import {
  browserTestsEnabled,
  createKey,
  launchChromium,
  startTestServer,
  type TestServer,
} from '@lockstep/server/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const build = fileURLToPath(new URL('../dist/', import.meta.url));
const outputDir = fileURLToPath(new URL('../test-results/web/', import.meta.url));

describe.skipIf(!browserTestsEnabled())('the web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let key: string;
  const problems: string[] = [];
  const elsewhere: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(undefined, { WEB_APP_DIR: build });
    key = (await createKey(server)).token;
    browser = await launchChromium();
    // Session storage is per tab, so each tab the test opens signs in once.
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    await mkdir(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function open(path = '/app/'): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      // The browser reports each deliberate 4xx (the wrong key, the 409, the 412); nothing else may appear.
      if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== server.url && !request.url().startsWith('data:'))
        elsewhere.push(request.url());
    });
    await page.goto(`${server.url}${path}`);
    return page;
  }

  async function signIn(page: Page) {
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('button', { name: 'Forget key' }).waitFor();
  }

  /** The event page of "Launch party" open in two tabs, each signed in, both forms ready. */
  async function eventInTwoTabs(): Promise<[Page, Page]> {
    const first = await open();
    await signIn(first);
    await first.getByRole('link', { name: 'Launch party' }).click();
    await first.getByRole('form', { name: 'Edit event' }).waitFor();
    await first.getByRole('form', { name: 'Add guest' }).waitFor();
    const second = await open(new URL(first.url()).pathname + new URL(first.url()).hash);
    await signIn(second);
    await second.getByRole('form', { name: 'Edit event' }).waitFor();
    return [first, second];
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: `${outputDir}${name}.png`, fullPage: true });

  it('asks for a key once, refuses a wrong one, and keeps a right one for the session', async () => {
    const page = await open();
    // Every API call starts a trace of its own (W3C traceparent), for the server's spans and
    // logs, and names the contract version the app was built from, for the usage ledger.
    const traceparents: string[] = [];
    const versions = new Set<string>();
    page.on('request', (request) => {
      if (/\/(users|todos|events)\b/.test(new URL(request.url()).pathname)) {
        traceparents.push(request.headers().traceparent ?? 'none');
        versions.add(request.headers()['x-contract-version'] ?? 'none');
      }
    });
    await shot(page, '1-key');
    await page.getByLabel('API key').fill('lsk_not_a_key');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('This key was refused');
    await signIn(page);
    await page.reload();
    await page.getByRole('button', { name: 'Forget key' }).waitFor();
    expect(traceparents.length).toBeGreaterThan(1);
    for (const header of traceparents) expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(new Set(traceparents).size).toBe(traceparents.length);
    expect([...versions]).toEqual([CONTRACT_VERSION]);
    await page.close();
  });

  it('creates an event, fills it, and shows the 409 when it is full', async () => {
    const page = await open();
    await signIn(page);
    await page.getByLabel('Name').fill('Launch party');
    await page.getByLabel('Starts').fill('2026-12-04T19:00');
    await page.getByLabel('Location').fill('Hall 2');
    await page.getByLabel('Capacity').fill('1');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Launch party' }).waitFor();

    const guests = page.getByRole('form', { name: 'Add guest' });
    await guests.getByLabel('Name').fill('Ada Lovelace');
    await guests.getByLabel('Email').fill('ada@example.com');
    await guests.getByRole('button', { name: 'Add guest' }).click();
    await page.getByText('ada@example.com').waitFor();
    await guests.getByLabel('Name').fill('Alan Turing');
    await guests.getByLabel('Email').fill('alan@example.com');
    await guests.getByRole('button', { name: 'Add guest' }).click();
    const full = page.getByRole('alert').filter({ hasText: 'Could not add the guest' });
    await full.waitFor();
    expect(await full.textContent()).toContain('(409)');
    await page.getByLabel('RSVP of Ada Lovelace').selectOption('yes');
    await expect.poll(async () => (await fetchGuests(page)).map((guest) => guest.rsvp)).toEqual(['yes']);
    await shot(page, '2-event-full');
    await page.close();
  });

  it('shows a guest added in one tab in the other at once, without a reload', async () => {
    const [first, second] = await eventInTwoTabs();
    await second.getByText('ada@example.com').waitFor();

    // Room for one more, added in the first tab: the second tab's list fills as it happens.
    await first.getByRole('form', { name: 'Edit event' }).getByLabel('Capacity').fill('3');
    await first.getByRole('button', { name: 'Save changes' }).click();
    // The second tab's form keeps what it showed, says the event changed, and shows it on request.
    await second.getByRole('alert').filter({ hasText: 'changed elsewhere while you have it open' }).waitFor();
    await second.getByRole('button', { name: 'Show theirs' }).click();
    await second.getByText('up to 3 guests').waitFor();
    const guests = first.getByRole('form', { name: 'Add guest' });
    await guests.getByLabel('Name').fill('Grace Hopper');
    await guests.getByLabel('Email').fill('grace@example.com');
    await guests.getByRole('button', { name: 'Add guest' }).click();
    await second.getByText('grace@example.com').waitFor({ timeout: 5_000 });
    await first.getByLabel('RSVP of Grace Hopper').selectOption('maybe');
    await expect.poll(() => second.getByLabel('RSVP of Grace Hopper').inputValue()).toBe('maybe');
    await shot(second, '3-live-guests');
    await first.close();
    await second.close();
  });

  it('catches conflicting edits from two tabs as a 412, and overwrites or reloads on request', async () => {
    const [first, second] = await eventInTwoTabs();

    // The second tab saves first …
    await second.getByRole('form', { name: 'Edit event' }).getByLabel('Name').fill('Launch party (moved)');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await second.getByRole('heading', { name: 'Launch party (moved)' }).waitFor();
    // The first tab hears of it at once, before it saves, and keeps the form as it was.
    const noticed = first.getByRole('alert').filter({ hasText: 'changed elsewhere while you have it open' });
    await noticed.waitFor();
    expect(await noticed.textContent()).toContain('now “Launch party (moved)”');
    // … so the first tab's save meets a newer version.
    await first.getByRole('form', { name: 'Edit event' }).getByLabel('Capacity').fill('40');
    await first.getByRole('button', { name: 'Save changes' }).click();
    const conflict = first.getByRole('alert').filter({ hasText: 'This event was changed elsewhere' });
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('now “Launch party (moved)”');
    await shot(first, '4-conflict');
    await first.getByRole('button', { name: 'Overwrite with mine' }).click();
    await first.getByText('up to 40 guests').waitFor();
    expect(await conflict.count()).toBe(0);

    // Now the second tab is behind: it reloads the newer version instead.
    await second.getByRole('form', { name: 'Edit event' }).getByLabel('Location').fill('Hall 3');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await second.getByRole('button', { name: 'Reload theirs' }).click();
    await second.getByText('up to 40 guests').waitFor();
    expect(await second.getByRole('form', { name: 'Edit event' }).getByLabel('Location').inputValue()).toBe('Hall 2');
    await second.close();

    await first.getByRole('button', { name: 'Delete event and its guests' }).click();
    await first.getByRole('heading', { name: 'Events' }).waitFor();
    await first.getByText('No events yet').waitFor();
    await shot(first, '5-events');
    await first.close();
  });

  it('scrolls through a user’s todos a page at a time, and ticks one', async () => {
    const page = await open('/app/#/todos/1');
    // Short enough that one page of eight fills it: the next loads only when scrolled to.
    await page.setViewportSize({ width: 1100, height: 420 });
    await signIn(page);
    await page.getByText('delectus aut autem').waitFor();
    const rows = page.locator('.todos input[type=checkbox]');
    const seen = [await rows.count()];
    while (!(await page.getByText('20 shown, all of them').isVisible())) {
      await page.locator('.todos li.end').scrollIntoViewIfNeeded();
      await expect.poll(() => rows.count()).toBeGreaterThan(seen.at(-1) as number);
      seen.push(await rows.count());
    }
    expect(seen).toEqual([8, 16, 20]);
    await page.getByLabel('delectus aut autem').check();
    await expect.poll(async () => (await (await fetch(`${server.url}/todos/1`)).json()).completed).toBe(true);
    await shot(page, '6-todos');
    await page.close();
  });

  it('tells a tab left open across a deploy that breaks its contract to reload', async () => {
    const page = await open('/app/#/todos/1');
    await signIn(page);
    await page.getByText('delectus aut autem').waitFor();
    // The next deploy, as the open tab meets it: the API's answers, under a contract version that
    // breaks the one this build was made from.
    const nextMajor = `${Number(CONTRACT_VERSION.split('.')[0]) + 1}.0.0`;
    const api = (url: URL) => /^\/(users|todos|events)\b/.test(url.pathname);
    await page.route(api, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'x-contract-version': nextMajor } });
    });
    await page.getByRole('link', { name: 'Events' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'The API was updated' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`contract ${nextMajor}; this page was built for ${CONTRACT_VERSION}`);
    await shot(page, '7-version-skew');
    await page.unroute(api);
    await banner.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('button', { name: 'Forget key' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('The API was updated').count()).toBe(0);
    await page.close();
  });

  it('made no request to another origin and logged no unexpected error', () => {
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });

  /** The first event's guests, as the API holds them. */
  async function fetchGuests(page: Page): Promise<Array<{ rsvp: string }>> {
    const eventId = /#\/events\/(\d+)/.exec(page.url())?.[1];
    const response = await fetch(`${server.url}/events/${eventId}/guests`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return (await response.json()) as Array<{ rsvp: string }>;
  }
});
