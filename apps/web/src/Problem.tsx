import { HttpError } from '@lockstep/client';

/**
 * What went wrong, as the API said it: the problem's detail and status, and each field it
 * named. Shown as an alert, so assistive technology announces it.
 */
export function Problem({ error, action }: { error: unknown; action: string }) {
  if (!error) return null;
  const problem = error instanceof HttpError ? error.problem : undefined;
  const detail = problem?.detail ?? problem?.title ?? (error instanceof Error ? error.message : String(error));
  return (
    <div role="alert" className="problem">
      <strong>{action}:</strong> {detail}
      {error instanceof HttpError && <span className="status"> ({error.status})</span>}
      {problem?.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((field) => (
            <li key={`${field.path}:${field.code}`}>
              <code>{field.path || '(body)'}</code> {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
