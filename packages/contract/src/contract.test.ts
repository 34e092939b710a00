import { readFileSync } from 'node:fs';
import { isAppRoute } from '@ts-rest/core';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  contract,
  ERROR_STATUSES,
  PathIdSchema,
  TodoCreateSchema,
  TodoListQuerySchema,
  UserPatchSchema,
} from './index.js';

describe('contract', () => {
  it('exports the version in package.json', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(CONTRACT_VERSION).toBe(version);
  });

  it('declares a problem response for every error status on every route', () => {
    const routes = Object.values(contract)
      .flatMap((router) => Object.values(router))
      .filter(isAppRoute);
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      for (const status of ERROR_STATUSES) {
        expect(route.responses, `${route.method} ${route.path} ${status}`).toHaveProperty(String(status));
      }
    }
  });

  it('accepts only positive integer ids in paths', () => {
    expect(PathIdSchema.parse('42')).toBe(42);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '01', '2147483648']) {
      expect(PathIdSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('rejects server-assigned and unknown fields on create (no mass assignment)', () => {
    expect(TodoCreateSchema.parse({ userId: 1, title: 'a' })).toEqual({ userId: 1, title: 'a', completed: false });
    expect(TodoCreateSchema.safeParse({ userId: 1, title: 'a', id: 9 }).success).toBe(false);
    expect(TodoCreateSchema.safeParse({ userId: 1, title: 'a', createdAt: 'now' }).success).toBe(false);
  });

  it('bounds list sizes: default 100, at most 1000', () => {
    expect(TodoListQuerySchema.parse({})).toEqual({ sort: 'id', limit: 100 });
    expect(TodoListQuerySchema.parse({ limit: '1000', completed: 'false' })).toEqual({
      sort: 'id',
      limit: 1000,
      completed: false,
    });
    expect(TodoListQuerySchema.safeParse({ limit: '1001' }).success).toBe(false);
    expect(TodoListQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });

  it('lets a user merge patch remove optional members with null, but not the name', () => {
    expect(UserPatchSchema.safeParse({ phone: null, address: { geo: null } }).success).toBe(true);
    expect(UserPatchSchema.safeParse({ name: null }).success).toBe(false);
  });
});

describe('route access', () => {
  it('marks todos and users public and every owned resource owner-only', () => {
    for (const [name, router] of Object.entries(contract)) {
      for (const route of Object.values(router).filter(isAppRoute)) {
        const expected = name === 'todos' || name === 'users' ? 'public' : 'owner';
        expect(route.metadata, `${route.method} ${route.path}`).toEqual({ access: expected });
      }
    }
  });
});
