import { type ContractRoute, type ContractRouter, contractRoutes, type LocatedRoute } from './routes.js';

/**
 * OpenAPI links (3.1 §4.8.20): how one answer's values feed the next request, derived from the
 * contract's paths so that a stateful tester or a generated client follows create → get →
 * replace → update → remove, and parent → children (`/events/{eventId}` → its guests), without
 * guessing which value goes where.
 */

type Link = { operationId: string; parameters: Record<string, string>; description: string };

const pathParameters = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);

/** The runtime expression (3.1 §4.8.20.4) of the item's body member that fills `parameter`. */
function fromBody(itemPath: string, parameter: string): string | undefined {
  const own = pathParameters(itemPath);
  if (!own.includes(parameter)) return undefined;
  // The item's own id is the last parameter of its path (`guestId` of a guest); the ones before
  // name its parents, which the item repeats under the same name (a guest's `eventId`).
  return `$response.body#/${parameter === own.at(-1) ? 'id' : parameter}`;
}

function linkTo(target: LocatedRoute, itemPath: string, description: string): [string, Link] | undefined {
  const parameters: Record<string, string> = {};
  for (const parameter of pathParameters(target.route.path)) {
    const expression = fromBody(itemPath, parameter);
    if (!expression) return undefined;
    parameters[parameter] = expression;
  }
  const operationId = target.key.join('.');
  return [operationId, { operationId, parameters, description }];
}

/** Whether `path` is a collection directly under the item at `itemPath` (`/events/:eventId/guests`). */
const isChildCollection = (path: string, itemPath: string) =>
  path.startsWith(`${itemPath}/`) && /^[^/:]+$/.test(path.slice(itemPath.length + 1));

/**
 * The links of each route's success response, by operation id: a create's 201 leads to the item's
 * routes and its children's collections; an item's GET leads to its children's collections.
 */
export function contractLinks(contract: ContractRouter): Map<string, Record<string, Link>> {
  const routes = contractRoutes(contract);
  const links = new Map<string, Record<string, Link>>();
  for (const [resource, router] of Object.entries(contract)) {
    const own = contractRoutes(router as ContractRouter, [resource]);
    const get = own.find(({ key }) => key.at(-1) === 'get')?.route;
    if (!get) continue;
    const itemPath = get.path;
    const item = routes.filter(({ route }) => route.path === itemPath);
    const children = routes.filter(({ route }) => isChildCollection(route.path, itemPath));
    const described = (targets: LocatedRoute[], what: (route: ContractRoute) => string) =>
      Object.fromEntries(
        targets
          .map((target) => linkTo(target, itemPath, what(target.route)))
          .filter((link): link is [string, Link] => link !== undefined),
      );
    const toChildren = described(children, (route) => `${route.method} ${route.path} of this item: ${route.summary}`);
    const create = own.find(({ key }) => key.at(-1) === 'create');
    if (create) {
      const toItem = described(item, (route) => `${route.method} ${route.path} of the created item: ${route.summary}`);
      links.set(create.key.join('.'), { ...toItem, ...toChildren });
    }
    if (Object.keys(toChildren).length > 0) links.set(`${resource}.get`, toChildren);
  }
  return links;
}
