import { useEffect, useState } from 'react';

/** The screens, addressed by the URL's hash so a reload or a second tab opens the same one. */
export type Route = { screen: 'events' } | { screen: 'event'; eventId: number } | { screen: 'todos'; userId?: number };

export function parseRoute(hash: string): Route {
  const event = /^#\/events\/(\d+)$/.exec(hash);
  if (event) return { screen: 'event', eventId: Number(event[1]) };
  const todos = /^#\/todos(?:\/(\d+))?$/.exec(hash);
  if (todos) return todos[1] ? { screen: 'todos', userId: Number(todos[1]) } : { screen: 'todos' };
  return { screen: 'events' };
}

export const hrefOf = (route: Route): string =>
  route.screen === 'event'
    ? `#/events/${route.eventId}`
    : route.screen === 'todos'
      ? `#/todos${route.userId ? `/${route.userId}` : ''}`
      : '#/events';

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}

export const navigate = (route: Route) => {
  window.location.hash = hrefOf(route);
};
