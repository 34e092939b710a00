import { PreconditionFailedError } from './errors.js';

/**
 * A condition on the current state of a resource that a write requires (HTTP's If-Match,
 * expressed without HTTP). Checked inside the write's transaction, so it cannot go stale.
 */
export type Precondition<T> = (current: T) => boolean;

export function enforce<T>(precondition: Precondition<T> | undefined, current: T): void {
  if (precondition && !precondition(current)) {
    throw new PreconditionFailedError('The resource has changed since the representation the request is based on.');
  }
}
