import { HttpError } from '@lockstep/client';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { bindingsFor } from './api.js';
import { Problem } from './Problem.js';
import { saveKey } from './session.js';

/** Asks for an API key once; it is tried on the API before it is kept for the session. */
export function KeyForm({ onAccepted }: { onAccepted: (key: string) => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const key = String(new FormData(event.currentTarget).get('key') ?? '').trim();
    setChecking(true);
    setError(undefined);
    try {
      const api = bindingsFor(key, queryClient);
      await queryClient.fetchQuery(api.events.list.queryOptions({ query: { limit: 1 } }));
      saveKey(key);
      onAccepted(key);
    } catch (failure) {
      setError(
        failure instanceof HttpError && failure.status === 401
          ? new Error('This key was refused. Check it and try again.')
          : failure,
      );
    } finally {
      setChecking(false);
    }
  }

  return (
    <main className="narrow">
      <h1>lockstep</h1>
      <p>Events, their guests, and todos, on the lockstep API. Enter an API key with the read and write scopes:</p>
      <pre>pnpm --filter @lockstep/server keys:create --name me --scopes read,write</pre>
      <form onSubmit={submit}>
        <label>
          API key
          <input name="key" type="password" autoComplete="off" required placeholder="lsk_…" />
        </label>
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Use this key'}
        </button>
      </form>
      <Problem error={error} action="Not signed in" />
      <p className="hint">The key is kept in this tab’s session storage only, and sent to this server only.</p>
    </main>
  );
}
