import type { ErrorStatus, FieldError } from '@lockstep/contract';

export interface ApiErrorOptions {
  /** What went wrong, for the caller: becomes the problem's `detail`. */
  detail: string;
  /** The offending fields, for validation failures: become the problem's `errors`. */
  errors?: FieldError[];
  /** Headers the answer must carry (`WWW-Authenticate`, `Retry-After`, …). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The one error that operations, data access and the front doors raise for an answer the
 * contract declares. `status` is one of the contract's error statuses; each front door turns it
 * into its own form (problem+json for REST, a TRPCError carrying the problem for tRPC).
 * Anything else thrown is unexpected and answers 500.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ErrorStatus;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: ErrorStatus, options: ApiErrorOptions) {
    super(options.detail, { cause: options.cause });
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** 404 for a resource that does not exist, or that exists for another owner (never 403). */
export const notFound = (resource: string, id: number) =>
  new ApiError(404, { detail: `${resource} ${id} does not exist.` });

/** 422 for well-formed input that breaks a rule the schema alone cannot express. */
export const invalid = (detail: string, errors: FieldError[]) => new ApiError(422, { detail, errors });

/**
 * 503 for a write that kept losing to concurrent writes of the same rows: nothing was written,
 * and the client may simply try again (RFC 9110 §15.6.4).
 */
export const writeConflict = () =>
  new ApiError(503, {
    detail: 'The resource is being changed by other requests; retry shortly.',
    headers: { 'Retry-After': '1' },
  });
