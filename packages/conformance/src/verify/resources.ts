/**
 * The contract seen as resources: which route of each top-level router creates, reads, lists,
 * replaces, updates and deletes, which resource a nested one lives under, and which ids in a
 * body refer to another resource. Derived from the routes' methods and paths, so a resource
 * added to the contract is verified without a line here.
 */
import {
  accessOf,
  type ContractRoute,
  type ContractRouter,
  contract,
  contractRoutes,
  type LocatedRoute,
  REFERENCES_KEYWORD,
} from '@lockstep/contract';
import { jsonSchemaOf } from '../generate.js';
import { bodySchemaOf } from '../route-schemas.js';

export type Role = 'list' | 'create' | 'get' | 'replace' | 'update' | 'remove';

export interface Resource {
  /** Its key in the contract, e.g. `guests`. */
  name: string;
  routes: Partial<Record<Role, LocatedRoute>>;
  /** GET routes that play no role above (e.g. `todos.listByUser`): read and probed on their own. */
  otherReads: LocatedRoute[];
  owner: boolean;
  /** The resource whose item path this one's collection path starts with (events for guests). */
  parent?: Resource;
}

export const labelOf = (located: LocatedRoute) => located.key.join('.');

/** The path parameter naming the item on an item path: its last one (`guestId`). */
export const itemParamOf = (path: string): string => [...path.matchAll(/:(\w+)/g)].at(-1)?.[1] ?? 'id';

/** A path with its parameters filled in; a parameter not given is an error in verify itself. */
export function fillPath(path: string, params: Record<string, number | string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(String(value));
  });
}

function roleOf({ route }: LocatedRoute, itemPath: string | undefined): Role | undefined {
  const onItem = route.path === itemPath;
  if (route.method === 'POST') return 'create';
  if (route.method === 'PUT' && onItem) return 'replace';
  if (route.method === 'PATCH' && onItem) return 'update';
  if (route.method === 'DELETE' && onItem) return 'remove';
  if (route.method === 'GET' && onItem) return 'get';
  return undefined;
}

const referencesByRoute = new WeakMap<ContractRoute, Record<string, string>>();

/** Body members holding the id of a row of another resource (`userId` → `users`). */
export function referencesOf(route: ContractRoute): Record<string, string> {
  let references = referencesByRoute.get(route);
  if (!references) {
    references = findReferences(route);
    referencesByRoute.set(route, references);
  }
  return references;
}

function findReferences(route: ContractRoute): Record<string, string> {
  const schema = bodySchemaOf(route);
  if (!schema) return {};
  const properties = (jsonSchemaOf(schema, 'input').properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(properties).flatMap(([name, member]) =>
      typeof member[REFERENCES_KEYWORD] === 'string' ? [[name, member[REFERENCES_KEYWORD]]] : [],
    ),
  );
}

/** Every resource of the contract, parents before the resources nested under them. */
export function resourcesOf(router: ContractRouter = contract): Resource[] {
  const resources = Object.entries(router).map(([name, entry]): Resource => {
    const located = contractRoutes(entry as ContractRouter, [name]);
    const create = located.find(({ route }) => route.method === 'POST');
    // The item path is the create path plus one parameter.
    const itemPath = located.find(
      ({ route }) => route.method === 'GET' && create && new RegExp(`^${create.route.path}/:\\w+$`).test(route.path),
    )?.route.path;
    const routes: Resource['routes'] = {};
    const otherReads: LocatedRoute[] = [];
    for (const route of located) {
      const role =
        roleOf(route, itemPath) ??
        (route.route.method === 'GET' && route.route.path === create?.route.path ? 'list' : undefined);
      if (role) routes[role] = route;
      else if (route.route.method === 'GET') otherReads.push(route);
    }
    return {
      name,
      routes,
      otherReads,
      owner: located.some(({ route }) => accessOf(route) === 'owner'),
    };
  });
  for (const resource of resources) resource.parent = ownerOfPath(resources, resource.routes.create?.route.path ?? '');
  const depth = (resource: Resource): number => (resource.parent ? 1 + depth(resource.parent) : 0);
  return resources.sort((a, b) => depth(a) - depth(b));
}

/** The resource whose item path a nested path (e.g. `/users/:id/todos`) starts with. */
export const ownerOfPath = (resources: readonly Resource[], path: string): Resource | undefined =>
  resources.find((resource) => resource.routes.get && path.startsWith(`${resource.routes.get.route.path}/`));
