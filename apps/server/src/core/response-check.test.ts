import { contract, contractRoutes } from '@lockstep/contract';
import type { DataAccess } from '@lockstep/db';
import { describe, expect, it } from 'vitest';
import type { AnyOutcome, BoundRoute } from './operation.js';
import { type ContractViolation, checkingOutcomes } from './response-check.js';

/** The real `todos.get` route, answering whatever outcome the test gives it. */
function todosGet(outcome: AnyOutcome): BoundRoute[] {
  const located = contractRoutes(contract).find((route) => route.key.join('.') === 'todos.get');
  if (!located) throw new Error('the contract has no todos.get');
  return [{ ...located, operation: async () => outcome }];
}

const call = (routes: BoundRoute[]) =>
  (routes[0] as BoundRoute).operation(
    { params: { id: 1 }, query: undefined, body: undefined, caller: undefined, ifMatch: undefined },
    {} as DataAccess,
  );

const GOOD = { status: 200, body: { userId: 1, id: 1, title: 'delectus aut autem', completed: false } };
const DRIFTED = { status: 200, body: { userId: 1, id: 1, title: 'delectus aut autem', completed: 'no', secret: 'x' } };

describe('checking outcomes against the contract', () => {
  it('reports a body the contract does not allow, and returns it unchanged', async () => {
    const violations: ContractViolation[] = [];
    const routes = checkingOutcomes(todosGet(DRIFTED), { sample: 1, onViolation: (v) => violations.push(v) });
    expect(await call(routes)).toBe(DRIFTED);
    expect(violations).toEqual([
      { method: 'GET', route: '/todos/:id', status: 200, issues: [expect.stringMatching(/^completed: /)] },
    ]);
    // The report names where, never the value sent.
    expect(JSON.stringify(violations)).not.toContain('"no"');
  });

  it('reports a status the route does not declare', async () => {
    const violations: ContractViolation[] = [];
    const routes = checkingOutcomes(todosGet({ status: 201, body: GOOD.body }), {
      sample: 1,
      onViolation: (v) => violations.push(v),
    });
    await call(routes);
    expect(violations.map((v) => v.status)).toEqual([201]);
  });

  it('says nothing of a body that matches', async () => {
    const violations: ContractViolation[] = [];
    await call(checkingOutcomes(todosGet(GOOD), { sample: 1, onViolation: (v) => violations.push(v) }));
    expect(violations).toEqual([]);
  });

  it('checks the sampled share of calls, and none at 0 (the routes as they were)', async () => {
    const violations: ContractViolation[] = [];
    const draws = [0.05, 0.5, 0.09, 0.95];
    const routes = checkingOutcomes(todosGet(DRIFTED), {
      sample: 0.1,
      onViolation: (v) => violations.push(v),
      random: () => draws.shift() ?? 1,
    });
    for (let i = 0; i < 4; i += 1) await call(routes);
    expect(violations).toHaveLength(2);

    const unchecked = todosGet(DRIFTED);
    expect(checkingOutcomes(unchecked, { sample: 0, onViolation: () => {} })).toBe(unchecked);
  });
});
