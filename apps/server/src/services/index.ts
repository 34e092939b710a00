import type { Database } from '@lockstep/db';
import { TodoRepository } from '../repositories/todos.js';
import { UserRepository } from '../repositories/users.js';
import { TodoService } from './todos.js';
import { UserService } from './users.js';

export interface Services {
  todos: TodoService;
  users: UserService;
}

/** Wires repositories to services; the only place that knows both layers' constructors. */
export function createServices(db: Database): Services {
  const users = new UserRepository(db);
  const todos = new TodoRepository(db);
  return { todos: new TodoService(todos, users), users: new UserService(users) };
}

export { ConflictError, InvalidInputError, NotFoundError, ServiceError } from './errors.js';
