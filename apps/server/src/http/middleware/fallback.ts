import { type ContractRouter, contractRoutes } from '@lockstep/contract';
import type { RequestHandler } from 'express';
import { problem, sendProblem } from '../problem-response.js';

interface PathMethods {
  pattern: RegExp;
  allow: string;
}

/** `/todos/:id` → a regex matching it the way Express does (any case, optional trailing slash). */
function toPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`, 'i');
}

/** Every path of the contract with the methods it answers, derived from the contract itself. */
export function pathTable(contract: ContractRouter): PathMethods[] {
  const methods = new Map<string, Set<string>>();
  for (const { route } of contractRoutes(contract)) {
    const set = methods.get(route.path) ?? new Set(['OPTIONS']);
    set.add(route.method);
    if (route.method === 'GET') set.add('HEAD');
    methods.set(route.path, set);
  }
  return [...methods].map(([path, set]) => ({ pattern: toPattern(path), allow: [...set].sort().join(', ') }));
}

/**
 * Runs after every route: a known path reached with another method answers 405 with `Allow`
 * (OPTIONS answers 204 with `Allow`), anything else 404. Both as problem+json.
 */
export function routeFallback(contract: ContractRouter): RequestHandler {
  const table = pathTable(contract);
  return function routeFallback(req, res) {
    const known = table.find((entry) => entry.pattern.test(req.path));
    if (!known) {
      sendProblem(req, res, problem(404, `No resource at ${req.path}.`));
      return;
    }
    res.setHeader('Allow', known.allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendProblem(req, res, problem(405, `${req.method} is not allowed on ${req.path}; allowed: ${known.allow}.`));
  };
}
