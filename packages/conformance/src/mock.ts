import { createHash, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  accessOf,
  CONTRACT_VERSION,
  CONTRACT_VERSION_HEADER,
  type ContractRoute,
  contract,
  contractPaths,
  contractRoutes,
  deprecationHeaders,
  deprecationLink,
  deprecationOf,
  type FieldError,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  toFieldErrors,
} from '@lockstep/contract';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { generatorOf } from './generate.js';
import { bodySchemaOf, successOf } from './route-schemas.js';

const sendProblem = (res: Response, status: number, detail: string, errors?: FieldError[]) => {
  const problem: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (errors) problem.errors = errors;
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
};

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

/** Overwrites the members of an object body that the path names, so `/todos/7` is todo 7. */
const withIds = (ids: Record<string, number>) => (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? { ...value, ...Object.fromEntries(Object.entries(ids).filter(([name]) => name in value)) }
    : value;

/** The same request gets the same answer (and ETag, so If-None-Match answers 304). */
const seedOf = (req: Request) =>
  createHash('sha256').update(`${req.method} ${req.originalUrl}`).digest().readUInt32BE(0);

/**
 * What the server would refuse before reaching any data, refused the same way: a missing key on
 * an owner route (401), a bad path or query parameter (400), a body that is not JSON (415) or
 * breaks the schema (422). Any key is accepted: the mock has no owners.
 */
function refusal(route: ContractRoute, req: Request, res: Response): boolean {
  if (accessOf(route) === 'owner' && !/^Bearer \S+/i.test(req.get('authorization') ?? '')) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="lockstep"');
    sendProblem(res, 401, 'This route needs an API key: Authorization: Bearer <key>.');
    return true;
  }
  for (const [part, status] of [
    ['pathParams', 400],
    ['query', 400],
  ] as const) {
    const declared = route[part as keyof ContractRoute];
    const schema = declared instanceof z.ZodType ? declared : undefined;
    const input = part === 'query' ? req.query : req.params;
    const parsed = schema?.safeParse(input);
    if (parsed && !parsed.success) {
      sendProblem(
        res,
        status,
        `A ${part === 'query' ? 'query' : 'path'} parameter is invalid.`,
        toFieldErrors(parsed.error.issues),
      );
      return true;
    }
  }
  const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : bodySchemaOf(route);
  if (!body) return false;
  if (!req.is(['application/json', 'application/*+json'])) {
    sendProblem(res, 415, 'Send the body as application/json.');
    return true;
  }
  const parsed = body.safeParse(req.body);
  if (!parsed.success) {
    sendProblem(res, 422, 'The body does not match the schema.', toFieldErrors(parsed.error.issues));
    return true;
  }
  return false;
}

/**
 * A server for the contract with no database: every route answers a body its schema accepts,
 * generated from the contract (201 with `Location` for creates, `{}` for deletes, short pages
 * for lists), or any status the route declares when the request says `Prefer: code=<status>`.
 * Requests are checked as the server checks them before it reaches data (key present, path,
 * query and body valid), so a front end learns its mistakes before the server exists.
 */
export function createMockApp(): Express {
  const app = express();
  app.set('etag', 'strong');
  app.disable('x-powered-by');
  app.use(function contractHeaders(req, res, next) {
    res.setHeader('X-Request-Id', req.get('x-request-id') ?? randomUUID());
    res.setHeader(CONTRACT_VERSION_HEADER, CONTRACT_VERSION);
    next();
  });
  app.use(express.json({ type: ['application/json', 'application/*+json'] }));
  for (const { route } of contractRoutes(contract)) {
    const [success, schema] = successOf(route);
    // Lists are pages of generated rows: `limit` of them, three at most.
    const rows = schema instanceof z.ZodArray ? (schema.element as z.ZodType) : undefined;
    const generator = generatorOf(rows ?? schema, 'output'); // derived once per route, not per request
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const deprecation = deprecationOf(route);
    app[method](route.path, function mockRoute(req, res) {
      // A deprecated route says so on every answer, as the server does.
      if (deprecation) res.set(deprecationHeaders(deprecation)).append('Link', deprecationLink(deprecation));
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
      if (refusal(route, req, res)) return;
      const seed = seedOf(req);
      const adjust = withIds(idsOf(route, req.params as Record<string, string>));
      const limit = Math.min(Number(req.query.limit ?? 3), 3);
      const body = rows
        ? Array.from({ length: limit }, (_, index) => generator.valid(seed + index, adjust))
        : generator.valid(seed, adjust);
      if (success === 201 && typeof body === 'object' && body !== null && 'id' in body) {
        res.location(`${req.path.replace(/\/$/, '')}/${String(body.id)}`);
      }
      res.status(success).json(body);
    });
  }
  // A known path asked with a method it does not declare: 405 naming the ones it does.
  const paths = contractPaths(contract);
  app.use(function unknownMethod(req, res, next) {
    const methods = paths.find(({ pattern }) => pattern.test(req.path))?.methods;
    if (!methods) return next();
    res.setHeader('Allow', methods.join(', '));
    sendProblem(res, 405, `${req.method} is not allowed on ${req.path}; use ${methods.join(', ')}.`);
  });
  app.use(function unknownRoute(req, res) {
    sendProblem(res, 404, `No resource at ${req.path}.`);
  });
  app.use(function malformedBody(error: { status?: number }, _req: Request, res: Response, _next: () => void) {
    const status = error.status === 413 ? 413 : 400;
    sendProblem(res, status, status === 413 ? 'The body is too large.' : 'The body is not valid JSON.');
  });
  return app;
}
