import { eventsContract } from './events.js';
import { guestsContract } from './guests.js';
import { c } from './routes.js';
import { todosContract } from './todos.js';
import { transactionsContract } from './transactions.js';
import { usersContract } from './users.js';

/**
 * The whole API: the composition of each resource's routes, each declared beside its schemas.
 * Every other part of lockstep is derived from this object.
 */
export const contract = c.router({
  todos: todosContract,
  users: usersContract,
  transactions: transactionsContract,
  events: eventsContract,
  guests: guestsContract,
});

export type Contract = typeof contract;
