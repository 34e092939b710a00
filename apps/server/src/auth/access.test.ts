import { describe, expect, it } from 'vitest';
import { requiredScope } from './access.js';

describe('requiredScope', () => {
  it('asks owner routes for read to read and write to write, in every mode', () => {
    for (const production of [false, true]) {
      expect(requiredScope('owner', 'GET', production)).toBe('read');
      expect(requiredScope('owner', 'head', production)).toBe('read');
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'])
        expect(requiredScope('owner', method, production)).toBe('write');
    }
  });

  it('leaves public routes open, except writes in production', () => {
    expect(requiredScope('public', 'GET', true)).toBeNull();
    expect(requiredScope('public', 'POST', false)).toBeNull();
    expect(requiredScope('public', 'POST', true)).toBe('write');
    expect(requiredScope('public', 'DELETE', true)).toBe('write');
  });
});
