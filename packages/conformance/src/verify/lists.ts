/**
 * Every list of the contract read once as a client that sends no query reads it: the default
 * page, whose every row the session holds to the contract's schema (a page of `limit=1` would
 * never show that the third row lacks a member).
 */
import { DEFAULT_PAGE_SIZE, type LocatedRoute } from '@lockstep/contract';
import { z } from 'zod';
import { fillPath, labelOf, type Resource } from './resources.js';
import type { Run } from './run.js';

/** The GET routes of a resource that answer a list (`todos.list`, `todos.listByUser`). */
export const listRoutesOf = (resource: Resource): LocatedRoute[] =>
  [resource.routes.list, ...resource.otherReads].filter(
    (located): located is LocatedRoute =>
      located !== undefined && (located.route.responses as Record<string, unknown>)[200] instanceof z.ZodArray,
  );

export async function defaultPages(run: Run, resource: Resource, mode: 'fixture' | 'existing'): Promise<void> {
  for (const located of listRoutesOf(resource)) {
    const label = labelOf(located);
    if (!run.wants(label)) continue;
    const params = await run.paramsFor(located.route, mode);
    if (!params) {
      run.skip(`${label}: no row to read its default page under`);
      continue;
    }
    const page = await run.session.send(label, located.route, {
      method: 'GET',
      path: fillPath(located.route.path, params),
    });
    if (!page || !run.session.expectStatus(label, 'the default page answers 200', page, 200)) continue;
    const rows = Array.isArray(page.json) ? page.json.length : 0;
    run.session.expect(
      label,
      `the default page holds at most ${DEFAULT_PAGE_SIZE} rows`,
      rows <= DEFAULT_PAGE_SIZE,
      page,
      `at most ${DEFAULT_PAGE_SIZE} rows`,
      `${rows} rows`,
    );
  }
}
