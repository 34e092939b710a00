import type { z } from 'zod';
import { linkTarget } from './common.js';
import type { Deprecation } from './routes.js';

/**
 * How a deprecation travels: as response headers from the server (and the mock), read back by
 * the typed client and `lockstep verify`, and as OpenAPI keywords the breaking-change gate reads.
 * Dates are whole UTC days: a deprecation takes effect at the start of `since`, and the route may
 * go from the start of `sunset`.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The instant a `YYYY-MM-DD` day starts (UTC), or undefined for anything else. */
export function startOfDay(day: string): Date | undefined {
  if (!DAY.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? undefined : date;
}

/** What is wrong with a declared deprecation (empty when nothing is): the contract's tests check every route. */
export function deprecationProblems(deprecation: Deprecation): string[] {
  const problems: string[] = [];
  const since = startOfDay(deprecation.since);
  const sunset = startOfDay(deprecation.sunset);
  if (!since) problems.push(`since ${JSON.stringify(deprecation.since)} is not a YYYY-MM-DD day`);
  if (!sunset) problems.push(`sunset ${JSON.stringify(deprecation.sunset)} is not a YYYY-MM-DD day`);
  if (since && sunset && sunset < since) problems.push('sunset comes before since');
  // Absolute, and nothing that would end the `<…>` of a Link header early.
  if (!/^https?:\/\/[^\s<>"]+$/.test(deprecation.link))
    problems.push(`link ${JSON.stringify(deprecation.link)} is not an absolute http(s) URL`);
  return problems;
}

/** The `Link` value announcing where a deprecation is explained (RFC 9745 §3). */
export const deprecationLink = (deprecation: Deprecation): string =>
  `<${deprecation.link}>; rel="deprecation"; type="text/html"`;

/**
 * The headers of every answer of a deprecated route, `Link` aside (it may join a page's
 * `rel="next"`; see `deprecationLink`):
 * - `Deprecation: @<seconds>` (RFC 9745 §2.1: a Structured Field Date, when it is or was deprecated);
 * - `Sunset: <HTTP-date>` (RFC 8594 §3: when it may stop answering).
 */
export function deprecationHeaders(deprecation: Deprecation): { Deprecation: string; Sunset: string } {
  const since = startOfDay(deprecation.since);
  const sunset = startOfDay(deprecation.sunset);
  if (!since || !sunset) throw new Error(`invalid deprecation: ${deprecationProblems(deprecation).join('; ')}`);
  return { Deprecation: `@${since.getTime() / 1000}`, Sunset: sunset.toUTCString() };
}

/** A deprecation as a client reads it off an answer. */
export interface DeprecationNotice {
  /** When the route is (or will be) deprecated. */
  deprecation: Date;
  /** When it may stop answering, if the server said. */
  sunset: Date | undefined;
  /** Where to read about it, if the server said. */
  link: string | undefined;
}

/** The deprecation an answer announces (`Deprecation`, `Sunset`, `Link`), or undefined when it announces none. */
export function readDeprecation(headers: { get(name: string): string | null }): DeprecationNotice | undefined {
  const value = /^@(-?\d{1,15})$/.exec(headers.get('deprecation')?.trim() ?? '');
  if (!value) return undefined;
  const sunset = Date.parse(headers.get('sunset') ?? '');
  return {
    deprecation: new Date(Number(value[1]) * 1000),
    sunset: Number.isNaN(sunset) ? undefined : new Date(sunset),
    link: linkTarget(headers.get('link'), 'deprecation'),
  };
}

/** The OpenAPI keywords of a deprecated operation or schema: `deprecated`, and our `x-sunset` and `x-deprecation-link`. */
export const deprecationKeywords = (deprecation: Deprecation) => ({
  deprecated: true,
  'x-deprecated-since': deprecation.since,
  'x-sunset': deprecation.sunset,
  'x-deprecation-link': deprecation.link,
});

/**
 * A body member on its way out: `deprecatedMember(z.string(), { since, sunset, link })` in an
 * object schema. The document marks the member `deprecated` with its sunset, and the gate lets
 * it be removed from that day on.
 */
export const deprecatedMember = <Schema extends z.ZodType>(schema: Schema, deprecation: Deprecation): Schema =>
  schema.meta(deprecationKeywords(deprecation));
