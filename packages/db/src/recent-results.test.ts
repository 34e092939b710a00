import { describe, expect, it } from 'vitest';
import { RecentResults, resultKey } from './recent-results.js';

const page = (cells: number) => ({ rows: [Array.from({ length: cells }, (_, n) => n)], shape: 'shape' });

describe('RecentResults', () => {
  it('forgets every result once the version moves, and keeps them while it does not', () => {
    const recent = new RecentResults<string>(1 << 20);
    recent.at(1);
    recent.set('a', page(3));
    recent.at(1);
    expect(recent.get('a')?.rows).toEqual([[0, 1, 2]]);
    recent.at(2);
    expect(recent.get('a')).toBeUndefined();
    expect(recent.size).toEqual({ results: 0, bytes: 0 });
  });

  it('holds no more than its budget, least recently used out first', () => {
    // Each result is estimated at 234 bytes: ten of them exceed 2 KiB.
    const recent = new RecentResults<string>(2048);
    recent.at(1);
    for (const key of 'abcdefghij') {
      recent.set(key, page(25));
      recent.get('a');
    }
    expect(recent.size).toEqual({ results: 8, bytes: 8 * 234 });
    expect(recent.get('a')).toBeDefined();
    expect(recent.get('b')).toBeUndefined();
    expect(recent.get('c')).toBeUndefined();
    expect(recent.get('j')).toBeDefined();
  });

  it('does not keep a result bigger than an eighth of the budget, nor one holding a BLOB', () => {
    const recent = new RecentResults<string>(4096);
    recent.at(1);
    recent.set('big', page(100));
    recent.set('blob', { rows: [[Buffer.from('x')]], shape: 'shape' });
    expect(recent.size.results).toBe(0);
  });

  it('keys a query by its SQL and its values with their types', () => {
    const keys = [
      resultKey('SELECT ?', [1]),
      resultKey('SELECT ?', ['1']),
      resultKey('SELECT ?', [1n]),
      resultKey('SELECT ?', [null]),
      resultKey('SELECT ? ', [1]),
      resultKey('SELECT ?', ['a", "b']),
      resultKey('SELECT ?', ['a', 'b']),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(resultKey('SELECT ?', [1])).toBe(resultKey('SELECT ?', [1]));
    expect(resultKey('SELECT ?', [Buffer.from('x')])).toBeUndefined();
  });
});
