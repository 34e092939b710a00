/**
 * The REST tutorial's behaviour, over real HTTP against a freshly started server: what a reader
 * who learned on JSONPlaceholder will do, and must see, with only the base URL changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './testing.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const call = (method: string, path: string, options?: Parameters<typeof request>[3]) =>
  request(server.url, method, path, options);

const expectProblem = (res: Awaited<ReturnType<typeof call>>, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  expect(res.body).toMatchObject({
    type: 'about:blank',
    status,
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.text).not.toMatch(/at .*\.(js|ts):\d+|SELECT|INSERT|prisma/i);
};

describe('tutorial requests against a fresh server', () => {
  it('GET /todos/1 answers the seeded todo as JSON', async () => {
    const res = await call('GET', '/todos/1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.text).toBe('{"userId":1,"id":1,"title":"delectus aut autem","completed":false}');
  });

  it('POST /todos with a json= body creates todo 201 with a Location header', async () => {
    const res = await call('POST', '/todos', { json: { userId: 1, title: 'Buy milk', completed: false } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 1, id: 201, title: 'Buy milk', completed: false });
    expect(res.headers.get('location')).toBe('/todos/201');
    expect((await call('GET', '/todos/201')).body).toEqual(res.body);
  });

  it('POST /todos with data=json.dumps(...) and an explicit Content-Type works the same', async () => {
    const res = await call('POST', '/todos', {
      body: JSON.stringify({ userId: 1, title: 'Buy milk', completed: false }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ userId: 1, id: 202, title: 'Buy milk', completed: false });
    expect(res.headers.get('location')).toBe('/todos/202');
  });

  it('PUT replaces, PATCH merges, DELETE answers {} and then 404 twice', async () => {
    const put = await call('PUT', '/todos/10', { json: { userId: 1, title: 'Wash car', completed: true } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ userId: 1, title: 'Wash car', completed: true, id: 10 });

    const patch = await call('PATCH', '/todos/10', { json: { title: 'Mow lawn' } });
    expect(patch.status).toBe(200);
    expect(patch.body).toEqual({ userId: 1, id: 10, title: 'Mow lawn', completed: true });

    const del = await call('DELETE', '/todos/10');
    expect(del.status).toBe(200);
    expect(del.body).toEqual({});
    expectProblem(await call('GET', '/todos/10'), 404);
    expectProblem(await call('DELETE', '/todos/10'), 404);
  });

  it('GET /users lists the 10 seeded users in JSONPlaceholder shape', async () => {
    const res = await call('GET', '/users');
    expect(res.status).toBe(200);
    const users = res.body as Array<Record<string, unknown>>;
    expect(users).toHaveLength(10);
    expect(users[0]).toEqual({
      id: 1,
      name: 'Leanne Graham',
      username: 'Bret',
      email: 'Sincere@april.biz',
      address: {
        street: 'Kulas Light',
        suite: 'Apt. 556',
        city: 'Gwenborough',
        zipcode: '92998-3874',
        geo: { lat: '-37.3159', lng: '81.1496' },
      },
      phone: '1-770-736-8031 x56442',
      website: 'hildegard.org',
      company: {
        name: 'Romaguera-Crona',
        catchPhrase: 'Multi-layered client-server neural-net',
        bs: 'harness real-time e-markets',
      },
    });
    expect(Object.keys(users[0] ?? {})).toEqual([
      'id',
      'name',
      'username',
      'email',
      'address',
      'phone',
      'website',
      'company',
    ]);
  });

  it('POST /users with only a name answers 201 and an integer id', async () => {
    const res = await call('POST', '/users', { json: { name: 'Alice' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 11, name: 'Alice' });
    expect(res.headers.get('location')).toBe('/users/11');
  });

  it('GET /users/1/todos lists that user’s todos, and filters narrow /todos', async () => {
    const mine = await call('GET', '/users/2/todos');
    expect(mine.status).toBe(200);
    expect((mine.body as unknown[]).length).toBe(20);
    const done = await call('GET', '/todos?userId=2&completed=true');
    const todos = done.body as Array<{ userId: number; completed: boolean }>;
    expect(todos.length).toBeGreaterThan(0);
    expect(todos.every((t) => t.userId === 2 && t.completed)).toBe(true);
    expectProblem(await call('GET', '/users/999/todos'), 404);
  });

  it('matches paths as JSONPlaceholder (Express) does: any case, a trailing slash', async () => {
    for (const path of ['/Todos/1', '/TODOS/1/', '/todos/1/']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toMatchObject({ id: 1, title: 'delectus aut autem' });
    }
    expect((await call('GET', '/Users/2/Todos')).body).toHaveLength(20);
  });
});

describe('bad input is a problem+json, never a 500', () => {
  it('malformed JSON → 400', async () => {
    const res = await call('POST', '/todos', {
      body: '{"userId": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400);
  });

  it('wrong types and unknown fields → 422 naming each offending field', async () => {
    const res = await call('POST', '/todos', { json: { userId: 'one', title: 7, colour: 'red', id: 5 } });
    expectProblem(res, 422);
    const paths = (res.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['/colour', '/id', '/title', '/userId']);
  });

  it('PUT missing a required field → 422; PUT to an unknown id → 404', async () => {
    const missing = await call('PUT', '/todos/3', { json: { userId: 1 } });
    expectProblem(missing, 422);
    expect((missing.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(['/title']);
    expectProblem(await call('PUT', '/todos/99999', { json: { userId: 1, title: 'x' } }), 404);
  });

  it('an id in the body that differs from the URL → 422 (ids are read-only)', async () => {
    const res = await call('PUT', '/todos/3', { json: { id: 4, userId: 1, title: 'x' } });
    expectProblem(res, 422);
    expect(res.body).toMatchObject({ errors: [{ path: '/id', code: 'read_only' }] });
    const same = await call('PUT', '/todos/3', { json: { id: 3, userId: 1, title: 'x' } });
    expect(same.status).toBe(200);
  });

  it('a todo for a user that does not exist → 422 on userId', async () => {
    const res = await call('POST', '/todos', { json: { userId: 4242, title: 'orphan' } });
    expectProblem(res, 422);
    expect(res.body).toMatchObject({ errors: [{ path: '/userId', code: 'unknown_reference' }] });
  });

  it('a form-encoded body → 415', async () => {
    const res = await call('POST', '/todos', {
      body: 'userId=1&title=Buy+milk',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(res, 415);
  });

  it('unknown route → 404; known path with a wrong method → 405 with Allow', async () => {
    expectProblem(await call('GET', '/nothing/here'), 404);
    const res = await call('POST', '/todos/1', { json: {} });
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD, OPTIONS, PATCH, PUT');
    const list = await call('DELETE', '/todos');
    expectProblem(list, 405);
    expect(list.headers.get('allow')).toBe('GET, HEAD, OPTIONS, POST');
  });

  it('a non-numeric id → 400', async () => {
    for (const id of ['abc', '1.5', '0', '-3', '99999999999']) {
      expectProblem(await call('GET', `/todos/${id}`), 400);
    }
  });

  it('a bad query parameter → 400', async () => {
    expectProblem(await call('GET', '/todos?completed=yes'), 400);
    expectProblem(await call('GET', '/todos?limit=5000'), 400);
    expectProblem(await call('GET', '/todos?userid=1'), 400);
  });

  it('a body over 1 MiB → 413', async () => {
    const res = await call('POST', '/todos', { json: { userId: 1, title: 'x'.repeat(1024 * 1024) } });
    expectProblem(res, 413);
  });

  it('every response carries X-Request-Id (echoing the client’s) and X-Contract-Version', async () => {
    const res = await call('GET', '/todos/1', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('x-contract-version')).toMatch(/^\d+\.\d+\.\d+/);
    const error = await call('GET', '/nothing');
    expect(error.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('users: replace and merge patch', () => {
  it('PUT replaces the whole user, dropping members left out', async () => {
    const res = await call('PUT', '/users/2', { json: { name: 'Ervin', email: 'ervin@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 2, name: 'Ervin', email: 'ervin@example.com' });
  });

  it('PATCH merges nested objects and null removes a member', async () => {
    const res = await call('PATCH', '/users/3', {
      body: JSON.stringify({ address: { city: 'Lisbon', geo: null }, phone: null }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.status).toBe(200);
    const user = res.body as Record<string, unknown>;
    expect(user.address).toEqual({
      street: 'Douglas Extension',
      suite: 'Suite 847',
      city: 'Lisbon',
      zipcode: '59590-4157',
    });
    expect(user).not.toHaveProperty('phone');
    expect(user.name).toBe('Clementine Bauch');
  });

  it('PATCH that removes the required name → 422', async () => {
    expectProblem(await call('PATCH', '/users/4', { json: { name: null } }), 422);
  });

  it('DELETE /users/:id deletes the user and the user’s todos', async () => {
    expect((await call('DELETE', '/users/5')).status).toBe(200);
    expectProblem(await call('GET', '/users/5'), 404);
    expectProblem(await call('GET', '/todos/81'), 404); // todo 81 belonged to user 5
  });
});
