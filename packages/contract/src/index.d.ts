export * from './common.js';
export * from './events.js';
export * from './problem.js';
export { type Contract, contract, todosContract, usersContract } from './router.js';
export * from './todos.js';
export * from './transactions.js';
export * from './users.js';
export { CONTRACT_VERSION } from './version.js';
//# sourceMappingURL=index.d.ts.map