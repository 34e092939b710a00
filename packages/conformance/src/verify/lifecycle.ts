/**
 * The stateful scenario every resource goes through with read-write keys: create (and replay
 * it), read, conditional read, list across pages, replace, update, a stale `If-Match`, delete,
 * and what the other key and a read-only key may not do meanwhile.
 */
import { applyMergePatch, type LocatedRoute } from '@lockstep/contract';
import { bodySchemaOf } from '../route-schemas.js';
import {
  differences,
  isRow,
  nextLink,
  pick,
  queryString,
  type Row,
  sameValue,
  writableMembersOf,
} from './expectations.js';
import type { Exchange } from './http.js';
import { fillPath, labelOf, type Resource } from './resources.js';
import type { Item, Run } from './run.js';

/** Checks that a write's answer holds what was written (after the schema's defaults). */
function reflects(run: Run, located: LocatedRoute, sent: Row, exchange: Exchange, check: string): void {
  const schema = bodySchemaOf(located.route);
  if (!schema) return;
  const parsed = schema.safeParse(sent);
  const expected = parsed.success && isRow(parsed.data) ? parsed.data : sent;
  const differing = differences(expected, exchange.json, writableMembersOf(schema));
  run.session.expect(
    labelOf(located),
    check,
    differing === undefined,
    exchange,
    'the members that were written',
    differing,
  );
}

async function read(
  run: Run,
  get: LocatedRoute,
  item: Item,
  headers: Record<string, string> = {},
  as: 'key' | 'otherKey' = 'key',
) {
  return run.session.send(labelOf(get), get.route, { method: 'GET', path: item.path, headers, as });
}

/** Creates the scenario's row with an Idempotency-Key, replays it, and reuses the key wrongly. */
async function createAndReplay(
  run: Run,
  resource: Resource,
  create: LocatedRoute,
  parentParams: Record<string, number>,
) {
  const { session } = run;
  const label = labelOf(create);
  const body = await run.body(create.route);
  if (!body) return undefined;
  const idempotency = { 'idempotency-key': session.idempotencyKey() };
  const { exchange, item } = await run.create(resource, parentParams, body, idempotency);
  if (!exchange || !session.expectStatus(label, 'create answers 201', exchange, 201) || !item) return undefined;
  reflects(run, create, body, exchange, 'the created row holds what was sent');
  const location = session.header(exchange, 'location');
  if (location) {
    const path = new URL(location, run.baseUrl).pathname;
    session.expect(
      label,
      'Location names the created row',
      path.endsWith(item.path),
      exchange,
      `a Location ending in ${item.path}`,
      location,
    );
  }

  const replay = await session.send(label, create.route, {
    method: 'POST',
    path: fillPath(create.route.path, parentParams),
    json: body,
    headers: idempotency,
  });
  if (replay) {
    session.expect(
      label,
      'a replayed POST (same Idempotency-Key and body) answers the first answer',
      replay.status === 201 && sameValue(replay.json, exchange.json),
      replay,
      `201 with ${exchange.text}`,
    );
    session.expect(
      label,
      'a replay says Idempotent-Replayed: true',
      session.header(replay, 'idempotent-replayed') === 'true',
      replay,
      'Idempotent-Replayed: true',
      session.header(replay, 'idempotent-replayed') ?? 'none',
    );
  }
  const otherBody = await run.body(create.route);
  const reused =
    otherBody &&
    (await session.send(label, create.route, {
      method: 'POST',
      path: fillPath(create.route.path, parentParams),
      json: otherBody,
      headers: idempotency,
    }));
  if (reused) session.expectStatus(label, 'an Idempotency-Key reused with another body answers 422', reused, 422);
  return item;
}

/** A second row, then `limit=1` pages: the `Link` to the next page leads to the other row. */
async function pages(
  run: Run,
  resource: Resource,
  list: LocatedRoute,
  parentParams: Record<string, number>,
  first: Item,
) {
  const { session } = run;
  const label = labelOf(list);
  const create = resource.routes.create;
  const body = create && (await run.body(create.route));
  const second = body && (await run.create(resource, parentParams, body)).item;
  if (!second) return;
  // Newest first, so both rows are on the first two pages whatever else the list holds.
  const newest =
    list.route.query &&
    (list.route.query as { safeParse(v: unknown): { success: boolean } }).safeParse({ sort: '-id' }).success;
  const path = `${fillPath(list.route.path, parentParams)}${queryString(newest ? { limit: 1, sort: '-id' } : { limit: 1 })}`;
  const page = await session.send(label, list.route, { method: 'GET', path });
  if (!page || !session.expectStatus(label, 'list answers 200', page, 200)) return;
  const next = nextLink(session.header(page, 'link'), run.baseUrl);
  if (
    !session.expect(
      label,
      'a page with more after it links to the next (Link rel="next")',
      next !== undefined,
      page,
      'Link: <…>; rel="next"',
      session.header(page, 'link') ?? 'no Link header',
    )
  )
    return;
  const following = await session.send(label, list.route, { method: 'GET', path: next as string });
  if (!following || !session.expectStatus(label, 'the next link answers 200', following, 200)) return;
  const ids = [page.json, following.json].flatMap((rows) =>
    Array.isArray(rows) ? rows.map((row: Row) => row.id) : [],
  );
  session.expect(
    label,
    'pages of limit=1 hold one row each, none twice',
    ids.length === 2 && ids[0] !== ids[1],
    following,
    'two different rows on two pages',
    JSON.stringify(ids),
  );
  if (newest) {
    session.expect(
      label,
      'both new rows are listed, newest first',
      ids[0] === second.id && ids[1] === first.id,
      following,
      `ids ${second.id}, ${first.id}`,
      `ids ${ids.join(', ')}`,
    );
  }
}

/** What another owner's key may not do to the row: see, change or delete it (all 404). */
async function isolation(run: Run, resource: Resource, item: Item, parentParams: Record<string, number>) {
  const { session } = run;
  const { get, list, replace, update, remove } = resource.routes;
  if (!resource.owner || !get) return;
  if (!session.keys.otherKey) return run.skip('isolation between owners: pass --other-key');
  const unseen = 'another owner’s key gets 404 for the row';
  const got = await read(run, get, item, {}, 'otherKey');
  if (got) session.expectStatus(labelOf(get), unseen, got, 404);
  for (const [located, method] of [
    [replace, 'PUT'],
    [update, 'PATCH'],
    [remove, 'DELETE'],
  ] as const) {
    if (!located) continue;
    const json = method === 'DELETE' ? undefined : await run.body(located.route, { id: item.id });
    const answer = await session.send(labelOf(located), located.route, {
      method,
      path: item.path,
      json,
      as: 'otherKey',
    });
    if (answer)
      session.expectStatus(labelOf(located), `another owner’s key cannot ${method} the row (404)`, answer, 404);
  }
  if (list) {
    const path = `${fillPath(list.route.path, parentParams)}${queryString({ sort: '-id' })}`;
    const listed = await session.send(labelOf(list), list.route, { method: 'GET', path, as: 'otherKey' });
    if (listed && resource.parent?.owner) {
      session.expectStatus(labelOf(list), 'another owner’s key cannot list under the row’s parent (404)', listed, 404);
    } else if (listed) {
      const ids = Array.isArray(listed.json) ? listed.json.map((row: Row) => row.id) : [];
      session.expect(
        labelOf(list),
        'another owner’s list does not hold the row',
        listed.status === 200 && !ids.includes(item.id),
        listed,
        `200 without id ${item.id}`,
        `${listed.status}, ids ${ids.slice(0, 20).join(', ')}`,
      );
    }
  }
  const after = await read(run, get, item);
  if (after)
    session.expect(
      labelOf(get),
      'the other key changed nothing',
      sameValue(after.json, item.row),
      after,
      JSON.stringify(item.row),
    );
}

/** A read-only key may read but not write owned rows: every write answers 403. */
async function readOnlyKey(run: Run, resource: Resource, item: Item, parentParams: Record<string, number>) {
  const { session } = run;
  if (!resource.owner) return;
  if (!session.keys.readKey) return run.skip('writes with a read-only key (403): pass --read-key');
  const { create, replace, update, remove } = resource.routes;
  for (const [located, method, path] of [
    [create, 'POST', create && fillPath(create.route.path, parentParams)],
    [replace, 'PUT', item.path],
    [update, 'PATCH', item.path],
    [remove, 'DELETE', item.path],
  ] as const) {
    if (!located || !path) continue;
    const json = method === 'DELETE' ? undefined : await run.body(located.route, { id: item.id });
    const answer = await session.send(labelOf(located), located.route, { method, path, json, as: 'readKey' });
    if (!answer) continue;
    session.expectStatus(labelOf(located), `a read-only key cannot ${method} (403)`, answer, 403);
    if (answer.status === 201 && isRow(answer.json)) {
      const created = run.itemAt(resource, parentParams, answer.json);
      if (created) session.created(labelOf(located), (remove ?? located).route, created.path);
    }
  }
}

/**
 * A merge patch that leaves the row valid: a patch valid on its own may still make the row
 * invalid (an event ending before it starts), which the server rightly refuses with 422.
 */
async function validPatch(run: Run, resource: Resource, item: Item): Promise<Row | undefined> {
  const { replace, update } = resource.routes;
  const schema = replace && bodySchemaOf(replace.route);
  if (!update || !schema) return undefined;
  const writable = pick(item.row, writableMembersOf(schema));
  for (let attempt = 0; attempt < 25; attempt += 1) {
    const candidate = await run.body(update.route, { id: item.id });
    if (candidate && schema.safeParse(applyMergePatch(writable, candidate)).success) return candidate;
  }
  return undefined;
}

/** Replace, update, and the preconditions around them; answers the row as it ends up. */
async function writes(run: Run, resource: Resource, item: Item, firstTag: string | undefined): Promise<Item> {
  const { session } = run;
  const { get, replace, update } = resource.routes;
  let current = item;
  if (replace) {
    const body = await run.body(replace.route, { id: item.id });
    const answer = await session.send(labelOf(replace), replace.route, { method: 'PUT', path: item.path, json: body });
    if (
      body &&
      answer &&
      session.expectStatus(labelOf(replace), 'replace answers 200', answer, 200) &&
      isRow(answer.json)
    ) {
      reflects(run, replace, body, answer, 'the replaced row holds exactly what was sent');
      current = { ...current, row: answer.json };
    }
  }
  if (update && replace) {
    const schema = bodySchemaOf(replace.route);
    const members = schema ? writableMembersOf(schema) : [];
    const writable = pick(current.row, members);
    const patch = await validPatch(run, resource, current);
    if (patch) {
      const answer = await session.send(labelOf(update), update.route, {
        method: 'PATCH',
        path: item.path,
        json: patch,
      });
      if (answer && session.expectStatus(labelOf(update), 'update answers 200', answer, 200) && isRow(answer.json)) {
        const expected = applyMergePatch(writable, patch) as Row;
        const differing = differences(expected, answer.json, members);
        session.expect(
          labelOf(update),
          'the updated row is the merge patch applied (RFC 7396)',
          differing === undefined,
          answer,
          JSON.stringify(expected),
          differing,
        );
        current = { ...current, row: answer.json };
      }
    }
  }
  if (!get || !firstTag || !(update ?? replace)) return current;
  const now = await read(run, get, current);
  const tag = now && session.header(now, 'etag');
  if (!now || !tag) return current;
  session.expect(
    labelOf(get),
    'the ETag changes when the row changes',
    tag !== firstTag,
    now,
    `an ETag other than ${firstTag}`,
    tag,
  );
  const writer = (update ?? replace) as LocatedRoute;
  const stale = await session.send(labelOf(writer), writer.route, {
    method: writer.route.method,
    path: item.path,
    json: update ? await validPatch(run, resource, current) : await run.body(writer.route, { id: item.id }),
    headers: { 'if-match': firstTag },
  });
  if (stale) session.expectStatus(labelOf(writer), 'a stale If-Match answers 412', stale, 412);
  const unchanged = await read(run, get, current);
  if (unchanged)
    session.expect(
      labelOf(get),
      'a refused write (412) changes nothing',
      session.header(unchanged, 'etag') === tag,
      unchanged,
      `ETag ${tag}`,
      session.header(unchanged, 'etag'),
    );
  return { ...current, row: isRow(unchanged?.json) ? unchanged.json : current.row };
}

/** Delete with the current ETag as If-Match; then the row is gone for reads and deletes. */
async function removal(run: Run, resource: Resource, item: Item) {
  const { session } = run;
  const { get, remove } = resource.routes;
  if (!remove || !get) return;
  const now = await read(run, get, item);
  const tag = now && session.header(now, 'etag');
  const gone = await session.send(labelOf(remove), remove.route, {
    method: 'DELETE',
    path: item.path,
    headers: tag ? { 'if-match': tag } : {},
  });
  if (
    !gone ||
    !session.expect(
      labelOf(remove),
      'delete (If-Match: current ETag) answers 200 {}',
      gone.status === 200 && sameValue(gone.json, {}),
      gone,
      '200 {}',
    )
  )
    return;
  session.deleted(item.path);
  const after = await read(run, get, item);
  if (after) session.expectStatus(labelOf(get), 'a deleted row answers 404', after, 404);
  const again = await session.send(labelOf(remove), remove.route, { method: 'DELETE', path: item.path });
  if (again) session.expectStatus(labelOf(remove), 'deleting it again answers 404', again, 404);
}

/** The whole scenario for one resource. */
export async function lifecycle(run: Run, resource: Resource): Promise<void> {
  const { session } = run;
  const { create, get, list } = resource.routes;
  if (!create || !get) return run.skip(`${resource.name}: no create and item routes to run a scenario on`);
  const parentParams = await run.parentParams(resource);
  if (!parentParams) return run.skip(`${resource.name}: its parent row could not be created`);
  const item = await createAndReplay(run, resource, create, parentParams);
  if (!item) return;
  const got = await read(run, get, item);
  if (!got || !session.expectStatus(labelOf(get), 'get answers 200', got, 200)) return;
  session.expect(
    labelOf(get),
    'get answers the row as created',
    sameValue(got.json, item.row),
    got,
    JSON.stringify(item.row),
  );
  const tag = session.header(got, 'etag');
  if (tag) {
    const fresh = await read(run, get, item, { 'if-none-match': tag });
    if (fresh) {
      session.expectStatus(labelOf(get), 'If-None-Match with the current ETag answers 304', fresh, 304);
      session.expect(
        labelOf(get),
        'a 304 repeats the ETag',
        session.header(fresh, 'etag') === tag,
        fresh,
        `ETag ${tag}`,
        session.header(fresh, 'etag') ?? 'none',
      );
    }
  }
  if (list) await pages(run, resource, list, parentParams, item);
  await isolation(run, resource, item, parentParams);
  await readOnlyKey(run, resource, item, parentParams);
  const final = await writes(run, resource, item, tag);
  await removal(run, resource, final);
}
