/**
 * The published builds: an error thrown by the CJS build must satisfy `instanceof` against the
 * ESM build's classes and the other way round (an app can load both through its dependencies).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const esmUrl = new URL('../dist/index.js', import.meta.url).href;
const cjsPath = new URL('../dist/index.cjs', import.meta.url).pathname;

describe('ESM and CJS builds', () => {
  it('share error identity through instanceof', async () => {
    const esm = (await import(esmUrl)) as typeof import('../src/index.js');
    const cjs = createRequire(import.meta.url)(cjsPath) as typeof import('../src/index.js');
    expect(esm.HttpError).not.toBe(cjs.HttpError);

    const fromCjs = new cjs.TimeoutError('connect', 100);
    expect(fromCjs).toBeInstanceOf(esm.TimeoutError);
    expect(fromCjs).toBeInstanceOf(esm.LockstepError);
    expect(fromCjs).not.toBeInstanceOf(esm.NetworkError);
    expect(fromCjs).toBeInstanceOf(Error);

    const fromEsm = new esm.HttpError(404, undefined, new Headers(), null);
    expect(fromEsm).toBeInstanceOf(cjs.HttpError);
    expect(fromEsm).not.toBeInstanceOf(cjs.AbortError);
    expect(fromEsm.name).toBe('HttpError');
  });
});
