import type { Contract } from '@lockstep/contract';
import type { Operations } from '../core/operation.js';
import { eventOperations } from './events/operations.js';
import { guestOperations } from './guests/operations.js';
import { todoOperations } from './todos/operations.js';
import { transactionOperations } from './transactions/operations.js';
import { userOperations } from './users/operations.js';

/**
 * Every resource's operations, at the contract's keys: one registration line per resource. The
 * type makes the compiler check that each contract route has its operation, with its types.
 */
export function createOperations(): Operations<Contract> {
  return {
    todos: todoOperations(),
    users: userOperations(),
    transactions: transactionOperations(),
    events: eventOperations(),
    guests: guestOperations(),
  };
}
