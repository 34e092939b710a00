import type { Database } from '@lockstep/db';
import { ApiKeyRepository } from '../repositories/api-keys.js';
import { EventRepository } from '../repositories/events.js';
import { GuestRepository } from '../repositories/guests.js';
import { IdempotencyRepository } from '../repositories/idempotency.js';
import { TodoRepository } from '../repositories/todos.js';
import { TransactionRepository } from '../repositories/transactions.js';
import { UserRepository } from '../repositories/users.js';
import { AuthService } from './auth.js';
import { EventService } from './events.js';
import { GuestService } from './guests.js';
import { IdempotencyService } from './idempotency.js';
import { TodoService } from './todos.js';
import { TransactionService } from './transactions.js';
import { UserService } from './users.js';

export interface Services {
  auth: AuthService;
  idempotency: IdempotencyService;
  todos: TodoService;
  users: UserService;
  transactions: TransactionService;
  events: EventService;
  guests: GuestService;
}

/** Wires repositories to services; the only place that knows both layers' constructors. */
export function createServices(db: Database): Services {
  const users = new UserRepository(db);
  return {
    auth: new AuthService(new ApiKeyRepository(db)),
    idempotency: new IdempotencyService(new IdempotencyRepository(db)),
    todos: new TodoService(new TodoRepository(db), users),
    users: new UserService(users),
    transactions: new TransactionService(new TransactionRepository(db)),
    events: new EventService(new EventRepository(db)),
    guests: new GuestService(new GuestRepository(db)),
  };
}

export { ConflictError, InvalidInputError, NotFoundError, PreconditionFailedError, ServiceError } from './errors.js';
