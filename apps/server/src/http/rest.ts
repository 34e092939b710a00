import { contract } from '@lockstep/contract';
import { createExpressEndpoints, type RequestValidationError } from '@ts-rest/express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import type { Services } from '../services/index.js';
import { toFieldErrors } from '../services/validation.js';
import { accessControl, type RoutedRequest } from './middleware/access.js';
import { idempotency } from './middleware/idempotency.js';
import { problem, sendProblem } from './problem.js';
import { eventsRouter, guestsRouter } from './routes/events.js';
import { todosRouter } from './routes/todos.js';
import { transactionsRouter } from './routes/transactions.js';
import { usersRouter } from './routes/users.js';

/**
 * Rejected input, by where it was: a bad URL (path or query) is the client asking for something
 * that cannot exist, 400; a well-formed body that breaks the schema is 422.
 */
function onInvalidRequest(error: RequestValidationError, req: Request, res: Response, _next: NextFunction): void {
  if (error.pathParams) {
    sendProblem(req, res, problem(400, 'A path parameter is invalid.', toFieldErrors(error.pathParams)));
  } else if (error.query) {
    sendProblem(req, res, problem(400, 'A query parameter is invalid.', toFieldErrors(error.query)));
  } else if (error.headers) {
    sendProblem(req, res, problem(400, 'A header is invalid.', toFieldErrors(error.headers)));
  } else {
    const errors = error.body ? toFieldErrors(error.body) : [];
    sendProblem(req, res, problem(422, 'The body does not match the schema.', errors));
  }
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
