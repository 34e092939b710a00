import { describe, expect, it } from 'vitest';
import type { ApiError } from './api-error.js';
import { entityTagOf } from './entity-tag.js';
import { checkIfMatch, parseIfMatch } from './preconditions.js';

describe('If-Match', () => {
  const todo = { userId: 1, id: 1, title: 'a', completed: false };
  const tag = entityTagOf(todo);

  it('parses absent, any and lists of tags', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' * ')).toEqual({ any: true });
    expect(parseIfMatch('"a", W/"b" ,"c"')).toEqual({ any: false, tags: ['"a"', 'W/"b"', '"c"'] });
    expect(parseIfMatch('garbage')).toEqual({ any: false, tags: [] });
  });

  it('passes the current tag, any tag and no precondition', () => {
    expect(() => checkIfMatch(parseIfMatch(`"x", ${tag}`), todo)).not.toThrow();
    expect(() => checkIfMatch(parseIfMatch('*'), todo)).not.toThrow();
    expect(() => checkIfMatch(undefined, todo)).not.toThrow();
  });

  it('answers 412 for a stale tag and for the weak form of the current one', () => {
    for (const header of ['"stale"', `W/${tag}`, 'garbage']) {
      expect(() => checkIfMatch(parseIfMatch(header), todo)).toThrow(
        expect.objectContaining({ status: 412 }) as unknown as ApiError,
      );
    }
  });
});
