import { contract, contractRoutes, feedList } from '@lockstep/contract';
import { describe, expect, it } from 'vitest';
import { pathTable } from './fallback.js';

describe('pathTable', () => {
  const table = pathTable(contract);
  const allowFor = (path: string) => table.find((entry) => entry.pattern.test(path))?.allow;

  it('lists each contract path and feed once with the methods the contract gives it', () => {
    const paths = new Set(contractRoutes(contract).map(({ route }) => route.path));
    expect(table).toHaveLength(paths.size + feedList().length);
    expect(allowFor('/todos')).toBe('GET, HEAD, OPTIONS, POST');
    expect(allowFor('/todos/7')).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, PUT');
    expect(allowFor('/users/7/todos')).toBe('GET, HEAD, OPTIONS');
    // A feed is not the item its path would otherwise match.
    expect(allowFor('/todos/changes')).toBe('GET, HEAD, OPTIONS');
    expect(allowFor('/events/7/guests/changes')).toBe('GET, HEAD, OPTIONS');
  });

  it('matches like Express: any case, optional trailing slash, one segment per parameter', () => {
    expect(allowFor('/TODOS/')).toBe('GET, HEAD, OPTIONS, POST');
    expect(allowFor('/todos/7/extra')).toBeUndefined();
    expect(allowFor('/todosx')).toBeUndefined();
  });
});
