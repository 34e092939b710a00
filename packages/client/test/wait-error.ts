/**
 * Awaits a promise that must reject with an instance of `ErrorClass` and answers that error,
 * typed: no `.catch((e: unknown) => e)` and no casts in the test. Anything else fails the test.
 */
export async function waitError<T>(
  promise: Promise<unknown>,
  ErrorClass: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErrorClass) return error;
    throw new Error(`expected a ${ErrorClass.name}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a ${ErrorClass.name}, but the promise resolved`);
}
