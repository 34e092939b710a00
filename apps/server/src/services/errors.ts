import type { FieldError } from '@lockstep/contract';

/**
 * Failures a service reports in business terms. The HTTP layer maps each class to a status
 * (404, 409, 422); services never know about HTTP.
 */
export abstract class ServiceError extends Error {
  abstract readonly kind: 'not-found' | 'conflict' | 'invalid' | 'precondition-failed';
}

export class NotFoundError extends ServiceError {
  readonly kind = 'not-found';
  constructor(resource: string, id: number) {
    super(`${resource} ${id} does not exist.`);
  }
}

export class ConflictError extends ServiceError {
  readonly kind = 'conflict';
}

/** Input that is well-formed but breaks a rule the schema alone cannot express. */
export class InvalidInputError extends ServiceError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    readonly errors: FieldError[],
  ) {
    super(message);
  }
}

/** The client's precondition (If-Match) does not hold for the current representation. */
export class PreconditionFailedError extends ServiceError {
  readonly kind = 'precondition-failed';
}
