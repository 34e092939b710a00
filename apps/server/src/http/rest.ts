import { contract } from '@lockstep/contract';
import { createExpressEndpoints, type RequestValidationError } from '@ts-rest/express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Services } from '../services/index.js';
import { accessControl, type RoutedRequest } from './middleware/access.js';
import { idempotency } from './middleware/idempotency.js';
import { invalidInput, problem, sendProblem } from './problem.js';
import { eventsRouter, guestsRouter } from './routes/events.js';
import { todosRouter } from './routes/todos.js';
import { transactionsRouter } from './routes/transactions.js';
import { usersRouter } from './routes/users.js';

/** ts-rest found the request invalid: answer with the part it failed on (path, query, headers, body). */
function onInvalidRequest(error: RequestValidationError, req: Request, res: Response, _next: NextFunction): void {
  const part = error.pathParams ? 'params' : error.query ? 'query' : error.headers ? 'headers' : 'body';
  const failure = { params: error.pathParams, query: error.query, headers: error.headers, body: error.body }[part];
  const rejected = invalidInput(part, failure);
  sendProblem(req, res, problem(rejected.status, rejected.message, rejected.errors));
}

/** The handler of every contract route. tRPC calls these same functions. */
export function restImplementations(services: Services) {
  return {
    todos: todosRouter(services.todos),
    users: usersRouter(services.users),
    transactions: transactionsRouter(services.transactions),
    events: eventsRouter(services.events),
    guests: guestsRouter(services.guests),
  };
}

export interface RestOptions {
  services: Services;
  logger: Logger;
  /** In production, writes to public resources (todos, users) need a `write` key too. */
  production: boolean;
}

/**
 * Mounts every contract route; the compiler checks each is implemented with its contract's
 * types. Before any handler: access control (from the route's metadata), then idempotency.
 */
export function mountRestRoutes(app: Router, { services, logger, production }: RestOptions): void {
  const access = accessControl(services.auth, { production });
  const idempotent = idempotency(services.idempotency, logger);
  createExpressEndpoints(contract, restImplementations(services), app, {
    requestValidationErrorHandler: onInvalidRequest,
    globalMiddleware: [
      (req, res, next) => void access(req as unknown as RoutedRequest, res, next),
      (req, res, next) => void idempotent(req as unknown as Request, res, next),
    ],
  });
}
