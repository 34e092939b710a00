import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProvider } from './api.js';
import { EventPage } from './EventPage.js';
import { Events } from './Events.js';
import { KeyForm } from './KeyForm.js';
import { hrefOf, useRoute } from './route.js';
import { forgetKey, loadKey } from './session.js';
import { Todos } from './Todos.js';

export function App() {
  const [apiKey, setApiKey] = useState(loadKey);
  const queryClient = useQueryClient();
  const route = useRoute();
  if (!apiKey) return <KeyForm onAccepted={setApiKey} />;
  const signOut = () => {
    forgetKey();
    queryClient.clear();
    setApiKey(undefined);
  };
  return (
    <ApiProvider apiKey={apiKey}>
      <header>
        <h1>lockstep</h1>
        <nav>
          <a href={hrefOf({ screen: 'events' })} aria-current={route.screen !== 'todos' ? 'page' : undefined}>
            Events
          </a>
          <a href={hrefOf({ screen: 'todos' })} aria-current={route.screen === 'todos' ? 'page' : undefined}>
            Todos
          </a>
        </nav>
        <button type="button" className="quiet" onClick={signOut}>
          Forget key
        </button>
      </header>
      <main>
        {route.screen === 'events' && <Events />}
        {route.screen === 'event' && <EventPage eventId={route.eventId} />}
        {route.screen === 'todos' && <Todos userId={route.userId} />}
      </main>
    </ApiProvider>
  );
}
