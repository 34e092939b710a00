/**
 * What `--read-only` checks of a resource, with safe requests only (for production): its list
 * and the page after it, one listed row read plainly and conditionally, and that another
 * owner's key cannot read that row.
 */

import { isRow, nextLink, queryString, type Row } from './expectations.js';
import { fillPath, labelOf, type Resource } from './resources.js';
import type { Run } from './run.js';

export async function readOnly(run: Run, resource: Resource): Promise<void> {
  const { session } = run;
  const { list, get } = resource.routes;
  if (!list) return;
  const parentParams = resource.parent ? (await run.existingRow(resource.parent))?.params : {};
  if (!parentParams) return run.skip(`${resource.name}: the key owns no ${resource.parent?.name} to read it under`);
  const label = labelOf(list);
  const page = await session.send(label, list.route, {
    method: 'GET',
    path: `${fillPath(list.route.path, parentParams)}${queryString({ limit: 2 })}`,
  });
  if (!page || !session.expectStatus(label, 'list answers 200', page, 200) || !Array.isArray(page.json)) return;
  session.expect(
    label,
    'a page holds at most `limit` rows',
    page.json.length <= 2,
    page,
    'at most 2 rows',
    `${page.json.length} rows`,
  );
  const next = nextLink(session.header(page, 'link'), run.baseUrl);
  if (next) {
    const following = await session.send(label, list.route, { method: 'GET', path: next });
    const seen = new Set(page.json.map((row: Row) => row.id));
    if (
      following &&
      session.expectStatus(label, 'the next link answers 200', following, 200) &&
      Array.isArray(following.json)
    ) {
      const repeated = following.json.filter((row: Row) => seen.has(row.id)).map((row: Row) => row.id);
      session.expect(
        label,
        'the next page repeats no row',
        repeated.length === 0,
        following,
        'no id of the first page',
        `ids ${repeated.join(', ')} again`,
      );
    }
  }
  const first = isRow(page.json[0]) ? run.itemAt(resource, parentParams, page.json[0]) : undefined;
  if (!get || !first) return run.skip(`${resource.name}: the key owns no rows, so none was read`);
  const got = await session.send(labelOf(get), get.route, { method: 'GET', path: first.path });
  if (!got || !session.expectStatus(labelOf(get), 'a listed row answers 200', got, 200)) return;
  const tag = session.header(got, 'etag');
  if (tag) {
    const fresh = await session.send(labelOf(get), get.route, {
      method: 'GET',
      path: first.path,
      headers: { 'if-none-match': tag },
    });
    if (fresh) session.expectStatus(labelOf(get), 'If-None-Match with the current ETag answers 304', fresh, 304);
  }
  if (!resource.owner) return;
  if (!session.keys.otherKey) return run.skip('isolation between owners: pass --other-key');
  const other = await session.send(labelOf(get), get.route, { method: 'GET', path: first.path, as: 'otherKey' });
  if (other) session.expectStatus(labelOf(get), 'another owner’s key gets 404 for the row', other, 404);
}
