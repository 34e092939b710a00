import type { Problem } from '@lockstep/contract';

/**
 * Kinds are recorded on each error under a global symbol, and `instanceof` consults them. The
 * ESM and CJS builds of this package each define their own classes; with plain prototype checks
 * an error thrown by one would fail `instanceof` against the other. Symbol.for is shared by both.
 */
const KINDS = Symbol.for('@lockstep/client.error-kinds');

type Kinded = { [KINDS]?: readonly string[] };

function kindsOf(target: abstract new (...args: never[]) => unknown): string[] {
  const kinds: string[] = [];
  for (let current: unknown = target; typeof current === 'function' && current !== Function.prototype; ) {
    const kind = (current as { kind?: string }).kind;
    if (kind && !kinds.includes(kind)) kinds.push(kind);
    current = Object.getPrototypeOf(current);
  }
  return kinds;
}

/** Base of every error this client throws. */
export class LockstepError extends Error {
  static readonly kind: string = 'LockstepError';
  declare readonly [KINDS]: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.kind;
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    const kinds = (value as Kinded | null | undefined)?.[KINDS];
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about (HttpError, …).
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }
}

/** The server answered with a non-2xx status; `problem` is its RFC 9457 body when it sent one. */
export class HttpError extends LockstepError {
  static override readonly kind: string = 'HttpError';
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
    readonly headers: Headers,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}${problem ? `: ${problem.detail ?? problem.title}` : ''}`);
  }
}

/** No HTTP response: connection refused, DNS failure, reset, closed mid-body. */
export class NetworkError extends LockstepError {
  static override readonly kind = 'NetworkError';
  constructor(
    message: string,
    /** The system error code when known: ECONNREFUSED, ENOTFOUND, ECONNRESET, … */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A time limit passed. `phase` says which: `connect` — no response had started (the connection
 * could not be made or the server did not answer); `request` — the whole exchange, body included.
 */
export class TimeoutError extends LockstepError {
  static override readonly kind = 'TimeoutError';
  constructor(
    readonly phase: 'connect' | 'request',
    readonly timeoutMs: number,
  ) {
    super(`${phase === 'connect' ? 'No response started' : 'The request did not complete'} within ${timeoutMs} ms`);
  }
}

export class TooManyRedirectsError extends LockstepError {
  static override readonly kind = 'TooManyRedirectsError';
  constructor(
    readonly maxRedirects: number,
    readonly chain: string[],
  ) {
    super(`More than ${maxRedirects} redirects: ${chain.join(' -> ')}`);
  }
}

/** The server broke the contract: a status it does not declare, or a body that fails its schema. */
export class ResponseValidationError extends LockstepError {
  static override readonly kind = 'ResponseValidationError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(
      `The response (HTTP ${status}) does not match the contract: ${issues
        .map((issue) => `${issue.path || '/'} ${issue.message}`)
        .join('; ')}`,
    );
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends LockstepError {
  static override readonly kind = 'AbortError';
  constructor(readonly reason?: unknown) {
    super('The request was aborted by the caller');
  }
}
