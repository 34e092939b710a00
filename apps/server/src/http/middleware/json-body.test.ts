import { describe, expect, it } from 'vitest';
import { findUnsafeShape, MAX_JSON_DEPTH } from './json-body.js';

const nested = (depth: number): unknown => (depth === 1 ? {} : { a: nested(depth - 1) });

describe('findUnsafeShape', () => {
  it('accepts ordinary bodies, up to the nesting limit', () => {
    expect(findUnsafeShape({ userId: 1, title: 'a', tags: [1, { b: null }] })).toBeNull();
    expect(findUnsafeShape(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(findUnsafeShape('text')).toBeNull();
  });

  it('refuses nesting past the limit, in objects and arrays alike', () => {
    expect(findUnsafeShape(nested(MAX_JSON_DEPTH + 1))).toMatch(/deeper than 32/);
    let array: unknown = [];
    for (let i = 0; i < MAX_JSON_DEPTH; i += 1) array = [array];
    expect(findUnsafeShape(array)).toMatch(/deeper than/);
  });

  it('refuses keys that reach for a prototype, at any depth', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(findUnsafeShape(JSON.parse(`{"a":[{"${key}":{"x":1}}]}`)), key).toContain(`"${key}"`);
    }
  });
});
