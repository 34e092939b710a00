import { useMutation, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useApi } from './api.js';
import { formatInstant, guests, text, toInstant, whole } from './form.js';
import { Problem } from './Problem.js';
import { hrefOf, navigate } from './route.js';

/** The key owner's events, soonest first, and a form to create one. */
export function Events() {
  const api = useApi();
  const events = useQuery(api.events.list.queryOptions({ query: { sort: 'startsAt' } }));
  const create = useMutation(api.events.create.mutationOptions());

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const startsAt = text(form, 'startsAt');
    create.mutate(
      {
        body: {
          name: text(form, 'name') ?? '',
          startsAt: startsAt ? toInstant(startsAt) : '',
          location: text(form, 'location'),
          capacity: whole(form, 'capacity'),
        },
      },
      { onSuccess: (created) => navigate({ screen: 'event', eventId: created.id }) },
    );
  }

  return (
    <section>
      <h2>Events</h2>
      {events.isPending && <p>Loading…</p>}
      <Problem error={events.error} action="Could not load the events" />
      {events.data?.length === 0 && <p className="hint">No events yet: create the first one below.</p>}
      {events.data && events.data.length > 0 && (
        <ul className="cards">
          {events.data.map((item) => (
            <li key={item.id}>
              <a href={hrefOf({ screen: 'event', eventId: item.id })}>{item.name}</a>
              <span>{formatInstant(item.startsAt)}</span>
              {item.location && <span>{item.location}</span>}
              {item.capacity !== undefined && <span>up to {guests(item.capacity)}</span>}
            </li>
          ))}
        </ul>
      )}
      <h3>New event</h3>
      <form onSubmit={submit} className="grid">
        <label>
          Name <input name="name" required maxLength={200} />
        </label>
        <label>
          Starts <input name="startsAt" type="datetime-local" required />
        </label>
        <label>
          Location <input name="location" maxLength={200} />
        </label>
        <label>
          Capacity <input name="capacity" type="number" min={1} />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create event
        </button>
      </form>
      <Problem error={create.error} action="Could not create the event" />
    </section>
  );
}
