import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  type ContractRoute,
  contract,
  contractRoutes,
  PROBLEM_CONTENT_TYPE,
  type Problem,
} from '@lockstep/contract';
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import { sample } from './sample.js';

const problem = (status: number, detail: string): Problem => ({
  type: 'about:blank',
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
});

const sendProblem = (res: Response, status: number, detail: string) =>
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem(status, detail)));

/** The route's success status and the schema of its body. */
function successOf(route: ContractRoute): [number, z.ZodType] {
  const found = Object.entries(route.responses as Record<string, unknown>).find(([status]) => Number(status) < 300);
  if (!found || !(found[1] instanceof z.ZodType))
    throw new Error(`${route.method} ${route.path} declares no success body`);
  return [Number(found[0]), found[1]];
}

/**
 * A body for the route that its own schema accepts. Samples are tried seed after seed until one
 * passes (they nearly always pass at once; rules JSON Schema cannot state are met by examples).
 */
function generate(schema: z.ZodType, jsonSchema: unknown, seed: number, pathIds: Record<string, number>): unknown {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const value = sample(jsonSchema, seed + attempt);
    // An item read at /todos/7 is todo 7: the ids the path names are the body's.
    const candidate =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { ...value, ...Object.fromEntries(Object.entries(pathIds).filter(([name]) => name in value)) }
        : value;
    if (schema.safeParse(candidate).success) return candidate;
  }
  throw new Error('no sample satisfies the schema');
}

/** `Prefer: code=404` (RFC 7240 preference, as mock servers such as Prism read it). */
const preferredStatus = (header: string | undefined): number | undefined => {
  const match = /(?:^|[;,\s])code=(\d{3})\b/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
};

/**
 * The ids a path names, as the body names them: on an item's path (`/events/:eventId/guests/:guestId`)
 * the last parameter is the item's own `id`; the others keep their names (`eventId`).
 */
function idsOf(route: ContractRoute, params: Record<string, string>): Record<string, number> {
  const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
  const itemPath = /\/:\w+$/.test(route.path);
  const ids: Record<string, number> = {};
  names.forEach((name, index) => {
    const value = Number(params[name]);
    if (Number.isSafeInteger(value) && value > 0) ids[itemPath && index === names.length - 1 ? 'id' : name] = value;
  });
  return ids;
}

/**
 * A server for the contract with no database: every route answers a body its schema accepts,
 * generated from the contract (201 with `Location` for creates, `{}` for deletes, pages of three
 * for lists), or any status the route declares when the request says `Prefer: code=<status>`.
 * Front-end work can start before the server exists. Requests are not validated.
 */
export function createMockApp(): Express {
  const app = express();
  app.set('etag', 'strong');
  app.disable('x-powered-by');
  app.use(function contractHeaders(_req, res, next) {
    res.setHeader('X-Request-Id', randomUUID());
    res.setHeader(CONTRACT_VERSION_HEADER, CONTRACT_VERSION);
    next();
  });
  let seed = 0;
  for (const { route } of contractRoutes(contract)) {
    const [success, schema] = successOf(route);
    // Derived once per route, not per request.
    const jsonSchema = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    app[method](route.path, function mockRoute(req, res) {
      const preferred = preferredStatus(req.get('prefer'));
      if (preferred !== undefined && preferred !== success) {
        if (!(String(preferred) in (route.responses as object))) {
          sendProblem(res, 400, `${route.method} ${route.path} does not declare status ${preferred}.`);
          return;
        }
        sendProblem(
          res,
          preferred,
          `Answered ${preferred} because the request preferred it (Prefer: code=${preferred}).`,
        );
        return;
      }
      seed += 1;
      const body = generate(schema, jsonSchema, seed, idsOf(route, req.params as Record<string, string>));
      if (success === 201 && typeof body === 'object' && body !== null && 'id' in body) {
        res.location(`${req.path.replace(/\/$/, '')}/${String(body.id)}`);
      }
      res.status(success).json(body);
    });
  }
  app.use(function unknownRoute(req, res) {
    sendProblem(res, 404, `No resource at ${req.path}.`);
  });
  return app;
}
