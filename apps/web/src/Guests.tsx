import { RSVP_VALUES } from '@lockstep/client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { useApi } from './api.js';
import { text } from './form.js';
import { Problem } from './Problem.js';

/** An event's guests: add one (a full event or a taken email answers 409, shown as said), answer, remove. */
export function Guests({ eventId }: { eventId: number }) {
  const api = useApi();
  const params = { eventId };
  const guests = useQuery(api.guests.list.queryOptions({ params, query: { sort: 'name' } }));
  const add = useMutation(api.guests.create.mutationOptions());
  const answer = useMutation(api.guests.update.mutationOptions());
  const remove = useMutation(api.guests.remove.mutationOptions());
  // Guests added, answered or removed in another tab appear here as they happen.
  useEffect(() => api.guests.follow({ params: { eventId } }), [api, eventId]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    add.mutate(
      { params, body: { name: text(data, 'name') ?? '', email: text(data, 'email') ?? '' } },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <section aria-label="Guests">
      <h3>Guests{guests.data ? ` (${guests.data.length})` : ''}</h3>
      <Problem error={guests.error} action="Could not load the guests" />
      <ul className="rows">
        {guests.data?.map((guest) => (
          <li key={guest.id}>
            <span>{guest.name}</span>
            <span className="hint">{guest.email}</span>
            <select
              aria-label={`RSVP of ${guest.name}`}
              value={guest.rsvp}
              onChange={(change) =>
                answer.mutate({
                  params: { eventId, guestId: guest.id },
                  body: { rsvp: change.target.value as (typeof RSVP_VALUES)[number] },
                })
              }
            >
              {RSVP_VALUES.map((rsvp) => (
                <option key={rsvp}>{rsvp}</option>
              ))}
            </select>
            <button
              type="button"
              className="quiet"
              onClick={() => remove.mutate({ params: { eventId, guestId: guest.id } })}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="grid" aria-label="Add guest">
        <label>
          Name <input name="name" required maxLength={200} />
        </label>
        <label>
          Email <input name="email" type="email" required maxLength={254} />
        </label>
        <button type="submit" disabled={add.isPending}>
          Add guest
        </button>
      </form>
      <Problem error={add.error} action="Could not add the guest" />
      <Problem error={answer.error ?? remove.error} action="Could not change the guest" />
    </section>
  );
}
