/**
 * Requests a deployment must refuse, and how: no key on an owner route (401), an unknown query
 * parameter (400), invalid bodies (422 naming the member), a body that is not JSON (415) or is
 * broken JSON (400), a method a path does not allow (405 with `Allow`), a parent that does not
 * exist (404).
 */
import {
  accessOf,
  contract,
  contractPaths,
  contractRoutes,
  type LocatedRoute,
  MAX_ID,
  ProblemSchema,
} from '@lockstep/contract';
import { jsonSchemaOf } from '../generate.js';
import { bodySchemaOf } from '../route-schemas.js';
import { isRow, queryString, type Row, requiredMembersOf, wrongTypeFor } from './expectations.js';
import type { Exchange } from './http.js';
import { fillPath, labelOf, ownerOfPath, type Resource } from './resources.js';
import type { Run } from './run.js';

const routes = contractRoutes(contract);
const UNKNOWN = 'unexpectedMember';

/** Every parameter of a path set to 1: enough for checks that come before any lookup. */
const placeholderParams = (path: string) =>
  Object.fromEntries([...path.matchAll(/:(\w+)/g)].map((match) => [match[1], 1]));

/** Whether a problem's `errors` name the member (a JSON Pointer to it, or below it). */
function namesMember(exchange: Exchange, member: string): boolean {
  const problem = ProblemSchema.safeParse(exchange.json);
  return (
    problem.success &&
    (problem.data.errors ?? []).some((error) => error.path === `/${member}` || error.path.startsWith(`/${member}/`))
  );
}

/** No key on every owner route: 401 with `WWW-Authenticate: Bearer`. Read-only runs send GETs only. */
export async function anonymousProbes(run: Run, readOnly: boolean): Promise<void> {
  for (const located of routes) {
    const { route } = located;
    const label = labelOf(located);
    if (accessOf(route) !== 'owner' || (readOnly && route.method !== 'GET') || !run.wants(label)) continue;
    const json = route.method === 'DELETE' ? undefined : await run.body(route);
    const answer = await run.session.send(label, route, {
      method: route.method,
      path: fillPath(route.path, placeholderParams(route.path)),
      json,
      as: 'anonymous',
    });
    if (!answer) continue;
    run.session.expectStatus(label, 'no key answers 401', answer, 401);
    const challenge = run.session.header(answer, 'www-authenticate') ?? '';
    run.session.expect(
      label,
      '401 says WWW-Authenticate: Bearer',
      /^Bearer\b/i.test(challenge),
      answer,
      'WWW-Authenticate: Bearer …',
      challenge || 'none',
    );
  }
}

/** An unknown query parameter on every GET route that takes a query: 400 naming it. */
export async function unknownQueryProbes(run: Run, readOnly: boolean): Promise<void> {
  for (const located of routes) {
    const { route } = located;
    if (route.method !== 'GET' || !route.query || !run.wants(labelOf(located))) continue;
    const params = await run.paramsFor(route, readOnly ? 'existing' : 'fixture');
    if (!params) {
      run.skip(`${labelOf(located)}: no row to list under, so its query was not probed`);
      continue;
    }
    const answer = await run.session.send(labelOf(located), route, {
      method: 'GET',
      path: `${fillPath(route.path, params)}${queryString({ [UNKNOWN]: 1 })}`,
    });
    if (!answer) continue;
    run.session.expectStatus(labelOf(located), 'an unknown query parameter answers 400', answer, 400);
    run.session.expect(
      labelOf(located),
      'the 400 names the parameter',
      namesMember(answer, UNKNOWN),
      answer,
      `errors[] with path /${UNKNOWN}`,
    );
  }
}

interface Submission {
  json?: unknown;
  raw?: { text: string; contentType: string };
}

/** Sends a create that must be refused; a deployment that created the row anyway gets it deleted. */
async function refused(
  run: Run,
  resource: Resource,
  create: LocatedRoute,
  parentParams: Record<string, number>,
  submission: Submission,
  check: string,
  member?: string,
) {
  const label = labelOf(create);
  const path = fillPath(create.route.path, parentParams);
  const answer = await run.session.send(label, create.route, { method: 'POST', path, ...submission });
  if (!answer) return;
  const status = !submission.raw ? 422 : submission.raw.contentType === 'application/json' ? 400 : 415;
  run.session.expectStatus(label, check, answer, status);
  if (member)
    run.session.expect(
      label,
      `the 422 names /${member}`,
      namesMember(answer, member),
      answer,
      `errors[] with path /${member}`,
    );
  const item =
    answer.status === 201 && isRow(answer.json) ? run.itemAt(resource, parentParams, answer.json) : undefined;
  if (item) run.session.created(label, resource.routes.remove?.route ?? create.route, item.path);
}

/** Invalid create bodies generated from the schema: each member of the wrong type, each required one missing, an unknown one. */
export async function invalidBodyProbes(run: Run, resource: Resource): Promise<void> {
  const create = resource.routes.create;
  const schema = create && bodySchemaOf(create.route);
  const parentParams = await run.parentParams(resource);
  if (!create || !run.wants(labelOf(create))) return;
  const valid = await run.body(create.route);
  if (!schema || !parentParams || !valid) return;
  const properties = (jsonSchemaOf(schema, 'input').properties ?? {}) as Row;
  const send = (submission: Submission, check: string, member?: string) =>
    refused(run, resource, create, parentParams, submission, check, member);
  for (const [member, memberSchema] of Object.entries(properties)) {
    await send(
      { json: { ...valid, [member]: wrongTypeFor(memberSchema) } },
      `${member} of the wrong type answers 422`,
      member,
    );
  }
  for (const member of requiredMembersOf(schema)) {
    const { [member]: _left, ...rest } = valid;
    await send({ json: rest }, `${member} missing answers 422`, member);
  }
  await send({ json: { ...valid, [UNKNOWN]: true } }, 'an unknown member answers 422 (no mass assignment)', UNKNOWN);
  await send(
    { raw: { text: JSON.stringify(valid), contentType: 'text/plain' } },
    'a body that is not JSON answers 415',
  );
  await send({ raw: { text: '{"unterminated', contentType: 'application/json' } }, 'malformed JSON answers 400');
}

/** Per path of the contract, a method it does not declare: 405 with `Allow` naming those it does. */
export async function methodProbes(run: Run): Promise<void> {
  for (const { path, methods } of contractPaths(contract)) {
    const probe = ['DELETE', 'PUT', 'PATCH', 'POST'].find((method) => !methods.includes(method));
    if (probe && !run.wants(`${probe} ${path}`)) continue;
    const host = ownerOfPath(run.resources, `${path}/`) ?? ownerOfPath(run.resources, path);
    const row = host && (await run.fixture(host));
    if (!probe) continue;
    const params = { ...placeholderParams(path), ...row?.params };
    const label = `${probe} ${path}`;
    const answer = await run.session.send(label, undefined, { method: probe, path: fillPath(path, params), json: {} });
    if (!answer) continue;
    run.session.expectStatus(label, 'a method the path does not declare answers 405', answer, 405);
    const allow = (run.session.header(answer, 'allow') ?? '').split(',').map((method) => method.trim().toUpperCase());
    const missing = methods.filter((method) => !allow.includes(method));
    run.session.expect(
      label,
      'Allow names every declared method',
      missing.length === 0,
      answer,
      `Allow: ${methods.join(', ')}`,
      `Allow: ${run.session.header(answer, 'allow') ?? '(none)'}`,
    );
  }
}

/** A GET under a parent that does not exist (`/users/<unused id>/todos`): 404, not an empty list. */
export async function missingParentProbes(run: Run): Promise<void> {
  for (const located of routes) {
    const { route } = located;
    const host = ownerOfPath(run.resources, route.path);
    const hostGet = host?.routes.get?.route;
    if (route.method !== 'GET' || !host || !hostGet || route.path === host.routes.get?.route.path) continue;
    if (!run.wants(labelOf(located))) continue;
    const hostParams = await run.paramsFor(route, 'fixture');
    if (!hostParams) continue;
    const hostParam = [...hostGet.path.matchAll(/:(\w+)/g)].at(-1)?.[1] as string;
    const params = { ...placeholderParams(route.path), ...hostParams, [hostParam]: MAX_ID };
    const answer = await run.session.send(labelOf(located), route, {
      method: 'GET',
      path: fillPath(route.path, params),
    });
    if (answer)
      run.session.expectStatus(labelOf(located), 'under a parent that does not exist answers 404', answer, 404);
  }
}
