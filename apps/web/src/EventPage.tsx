import type { Event } from '@lockstep/client';
import { PreconditionFailedError } from '@lockstep/client/react-query';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from './api.js';
import { formatInstant, guests, text, toInstant, toLocalInput, whole } from './form.js';
import { Guests } from './Guests.js';
import { Problem } from './Problem.js';
import { hrefOf, navigate } from './route.js';

type Changes = { name: string; startsAt: string; location: string | null; capacity: number | null };

/**
 * One event: edit it, delete it, and its guests. It follows the event's changes live: another
 * tab's edit shows at once as "changed elsewhere" while the form keeps the version it was opened
 * on, and saving that version anyway is caught as a 412 (If-Match with its ETag).
 */
export function EventPage({ eventId }: { eventId: number }) {
  const api = useApi();
  const params = { eventId };
  const event = useQuery(api.events.get.queryOptions({ params }));
  const queryClient = useQueryClient();
  const update = useMutation(api.events.update.mutationOptions());
  const remove = useMutation(api.events.remove.mutationOptions());
  // The edit that met a newer version: kept, so the user can overwrite with it.
  const [pending, setPending] = useState<Changes>();
  // The version the form shows; a newer one arriving from elsewhere does not replace it unasked.
  const [shown, setShown] = useState<Event>();
  useEffect(() => api.events.follow(), [api]);
  useEffect(() => {
    if (!shown && event.data) setShown(event.data);
  }, [shown, event.data]);

  const save = (changes: Changes, ifMatch?: string) =>
    update.mutate(
      { params, body: changes, ...(ifMatch ? { ifMatch } : {}) },
      {
        onSuccess: () => {
          setPending(undefined);
          setShown(undefined);
        },
      },
    );

  function submit(form: FormEvent<HTMLFormElement>) {
    form.preventDefault();
    const data = new FormData(form.currentTarget);
    const startsAt = text(data, 'startsAt');
    const changes: Changes = {
      name: text(data, 'name') ?? '',
      startsAt: startsAt ? toInstant(startsAt) : '',
      // Merge patch: null removes a member that was set.
      location: text(data, 'location') ?? null,
      capacity: whole(data, 'capacity') ?? null,
    };
    setPending(changes);
    save(changes, shown && api.etagOf(shown));
  }

  const conflict = update.error instanceof PreconditionFailedError ? update.error : undefined;

  if (event.isPending) return <p>Loading…</p>;
  if (event.error) return <Problem error={event.error} action="Could not load the event" />;
  const latest: Event = event.data;
  const current: Event = shown ?? latest;
  const changedElsewhere = latest.updatedAt !== current.updatedAt;
  const reload = () => {
    update.reset();
    setPending(undefined);
    setShown(undefined);
  };

  return (
    <section>
      <p>
        <a href={hrefOf({ screen: 'events' })}>← Events</a>
      </p>
      <h2>{current.name}</h2>
      <p className="hint">
        {formatInstant(current.startsAt)}
        {current.location ? ` · ${current.location}` : ''}
        {current.capacity !== undefined ? ` · up to ${guests(current.capacity)}` : ''}
      </p>
      {changedElsewhere && !conflict && (
        <div role="alert" className="conflict">
          <p>
            <strong>This event was changed elsewhere</strong> while you have it open (now “{latest.name}”).
          </p>
          <button type="button" onClick={reload}>
            Show theirs
          </button>
        </div>
      )}
      {conflict && pending && (
        <div role="alert" className="conflict">
          <p>
            <strong>This event was changed elsewhere</strong> since you opened it
            {isEvent(conflict.current) ? ` (now “${conflict.current.name}”)` : ''}.
          </p>
          <button
            type="button"
            onClick={() => {
              reload();
              void queryClient.refetchQueries({ queryKey: api.events.get.key({ params }) });
            }}
          >
            Reload theirs
          </button>
          <button type="button" onClick={() => save(pending, conflict.currentEtag)}>
            Overwrite with mine
          </button>
        </div>
      )}
      {/* Remounted with each new version, so the fields show what the server holds. */}
      <form key={current.updatedAt} onSubmit={submit} className="grid" aria-label="Edit event">
        <label>
          Name <input name="name" required maxLength={200} defaultValue={current.name} />
        </label>
        <label>
          Starts <input name="startsAt" type="datetime-local" required defaultValue={toLocalInput(current.startsAt)} />
        </label>
        <label>
          Location <input name="location" maxLength={200} defaultValue={current.location ?? ''} />
        </label>
        <label>
          Capacity <input name="capacity" type="number" min={1} defaultValue={current.capacity ?? ''} />
        </label>
        <button type="submit" disabled={update.isPending}>
          Save changes
        </button>
      </form>
      {!conflict && <Problem error={update.error} action="Could not save the event" />}
      <Guests eventId={eventId} />
      <p>
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ params }, { onSuccess: () => navigate({ screen: 'events' }) })}
        >
          Delete event and its guests
        </button>
      </p>
      <Problem error={remove.error} action="Could not delete the event" />
    </section>
  );
}

const isEvent = (value: unknown): value is Event => typeof value === 'object' && value !== null && 'name' in value;
