import type { FieldError } from '@lockstep/contract';

/** An error the HTTP layer itself raises (bad cursor, missing credentials, …), with its status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}
