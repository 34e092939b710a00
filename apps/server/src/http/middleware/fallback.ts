import { type ContractRouter, contractPaths, feedPaths } from '@lockstep/contract';
import type { RequestHandler } from 'express';
import { problem, sendProblem } from '../problem-response.js';

interface PathMethods {
  pattern: RegExp;
  allow: string;
}

/**
 * Every path of the contract with the methods it answers: those declared, HEAD with GET, and
 * OPTIONS. The change feeds come first: `/todos/changes` is not the todo `/todos/:id`.
 */
export function pathTable(contract: ContractRouter): PathMethods[] {
  return [...feedPaths(), ...contractPaths(contract)].map(({ pattern, methods }) => {
    const answered = new Set(['OPTIONS', ...methods, ...(methods.includes('GET') ? ['HEAD'] : [])]);
    return { pattern, allow: [...answered].sort().join(', ') };
  });
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
      void sendProblem(req, res, problem(404, `No resource at ${req.path}.`));
      return;
    }
    res.setHeader('Allow', known.allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    void sendProblem(req, res, problem(405, `${req.method} is not allowed on ${req.path}; allowed: ${known.allow}.`));
  };
}
