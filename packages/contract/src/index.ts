export * from './common.js';
export * from './problem.js';
export * from './todos.js';
export * from './users.js';
export { contract, todosContract, usersContract, type Contract } from './router.js';
export { CONTRACT_VERSION } from './version.js';
