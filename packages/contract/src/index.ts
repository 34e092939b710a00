export * from './common.js';
export * from './events.js';
export * from './problem.js';
export {
  type Access,
  type Contract,
  contract,
  eventsContract,
  guestsContract,
  type RouteMetadata,
  todosContract,
  transactionsContract,
  usersContract,
} from './router.js';
export * from './todos.js';
export * from './transactions.js';
export * from './trpc.js';
export * from './users.js';
export { CONTRACT_VERSION } from './version.js';
