import { contract } from '@lockstep/contract';
import { createExpressEndpoints, type RequestValidationError } from '@ts-rest/express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Services } from '../services/index.js';
import { toFieldErrors } from '../services/validation.js';
import { problem, sendProblem } from './problem.js';
import { todosRouter } from './routes/todos.js';
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

/** Mounts every contract route; the compiler checks each is implemented with its contract's types. */
export function mountRestRoutes(app: Router, services: Services): void {
  createExpressEndpoints(contract, { todos: todosRouter(services.todos), users: usersRouter(services.users) }, app, {
    requestValidationErrorHandler: onInvalidRequest,
  });
}
