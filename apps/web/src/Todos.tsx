import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from './api.js';
import { Problem } from './Problem.js';
import { navigate } from './route.js';

const PAGE_SIZE = 8;

/** A user's todos, a page at a time as the list scrolls (the API's Link cursors), each one tickable. */
export function Todos({ userId }: { userId: number | undefined }) {
  const api = useApi();
  const users = useQuery(api.users.list.queryOptions({ query: { limit: 100 } }));
  const selected = userId ?? users.data?.[0]?.id;

  return (
    <section>
      <h2>Todos</h2>
      <Problem error={users.error} action="Could not load the users" />
      <label>
        User{' '}
        <select
          value={selected ?? ''}
          onChange={(change) => navigate({ screen: 'todos', userId: Number(change.target.value) })}
        >
          {users.data?.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name}
            </option>
          ))}
        </select>
      </label>
      {selected !== undefined && <TodoList key={selected} userId={selected} />}
    </section>
  );
}

function TodoList({ userId }: { userId: number }) {
  const api = useApi();
  const todos = useInfiniteQuery(
    api.todos.listByUser.infiniteQueryOptions({ params: { id: userId }, query: { limit: PAGE_SIZE } }),
  );
  const toggle = useMutation(api.todos.update.mutationOptions());
  const end = useRef<HTMLLIElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = todos;

  // The next page is fetched when the end of the list scrolls into view.
  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel || !hasNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const rows = todos.data?.pages.flat() ?? [];
  // Shown ticked (or not) at once, while the change is on its way and the list revalidates. Kept
  // in React state set in the click's own handler: the mutation's state reaches React a tick
  // later, and a controlled checkbox would flick back to the old value in between.
  const [ticking, setTicking] = useState<{ id: number; completed: boolean }>();
  const completed = (todo: { id: number; completed: boolean }) =>
    ticking?.id === todo.id ? ticking.completed : todo.completed;
  const tick = (todo: { id: number; completed: boolean }) => {
    const next = { id: todo.id, completed: !completed(todo) };
    setTicking(next);
    toggle.mutate(
      { params: { id: todo.id }, body: { completed: next.completed } },
      { onSettled: () => setTicking((current) => (current === next ? undefined : current)) },
    );
  };
  return (
    <>
      <Problem error={todos.error ?? toggle.error} action="Could not load or change the todos" />
      <p className="hint">
        {rows.length} shown{hasNextPage ? ', more below' : todos.data ? ', all of them' : ''}
      </p>
      <ul className="rows todos">
        {rows.map((todo) => (
          <li key={todo.id}>
            <label>
              <input type="checkbox" checked={completed(todo)} onChange={() => tick(todo)} />
              {todo.title}
            </label>
          </li>
        ))}
        <li ref={end} className="end" aria-hidden={!hasNextPage}>
          {isFetchingNextPage ? 'Loading more…' : ''}
        </li>
      </ul>
    </>
  );
}
