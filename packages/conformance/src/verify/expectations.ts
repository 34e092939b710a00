/** Pure helpers that say what an answer should be, given what was sent. */
import { DateTimeSchema, nextPageLink } from '@lockstep/contract';
import type { z } from 'zod';
import { jsonSchemaOf } from '../generate.js';

export type Row = Record<string, unknown>;

export const isRow = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Instants compare as instants (`+02:00` and `Z` spellings of one moment are equal). */
function normalised(value: unknown): unknown {
  if (typeof value === 'string' && DateTimeSchema.safeParse(value).success) return Date.parse(value);
  if (Array.isArray(value)) return value.map(normalised);
  if (isRow(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => value[key] !== undefined)
        .sort()
        .map((key) => [key, normalised(value[key])]),
    );
  }
  return value;
}

export const sameValue = (a: unknown, b: unknown) => JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));

/** The members a client writes, by the write schema: the resource's own minus `id`. */
export const writableMembersOf = (writeSchema: z.ZodType): string[] =>
  Object.keys((jsonSchemaOf(writeSchema, 'input').properties ?? {}) as object).filter((name) => name !== 'id');

export const requiredMembersOf = (writeSchema: z.ZodType): string[] => {
  const required = jsonSchemaOf(writeSchema, 'input').required;
  return Array.isArray(required) ? (required as string[]) : [];
};

export const pick = (row: Row, members: readonly string[]): Row =>
  Object.fromEntries(members.filter((name) => row[name] !== undefined).map((name) => [name, row[name]]));

/**
 * How the answer differs from what was written, member by member (after the schema's defaults
 * are applied to what was sent); `undefined` when it reflects it.
 */
export function differences(expected: Row, answered: unknown, members: readonly string[]): string | undefined {
  if (!isRow(answered)) return 'the answer is not an object';
  const differing = members.filter((name) => !sameValue(expected[name], answered[name]));
  if (differing.length === 0) return undefined;
  return differing
    .map(
      (name) =>
        `${name}: sent ${JSON.stringify(expected[name]) ?? 'nothing'}, got ${JSON.stringify(answered[name]) ?? 'nothing'}`,
    )
    .join('; ');
}

/** A value of another JSON type than the member's, so the schema must refuse it. */
export function wrongTypeFor(member: unknown): unknown {
  const schema = isRow(member) ? member : {};
  const types = [
    schema.type,
    ...(Array.isArray(schema.anyOf) ? schema.anyOf.map((branch: Row) => branch.type) : []),
  ].flat();
  if (types.includes('string')) return types.includes('integer') || types.includes('number') ? [] : 12345;
  if (types.includes('integer') || types.includes('number')) return 'not a number';
  if (types.includes('boolean')) return 'not a boolean';
  if (types.includes('object')) return 'not an object';
  return 12345;
}

/** The path and query of the `rel="next"` link in a Link header, relative to the base URL, if any. */
export function nextLink(header: string | undefined, baseUrl: URL): string | undefined {
  const target = nextPageLink(header);
  if (target === undefined) return undefined;
  const url = new URL(target, baseUrl);
  const prefix = baseUrl.pathname.replace(/\/$/, '');
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  return `${path}${url.search}`;
}

/** A query string, with `?`, for the given parameters. */
export const queryString = (params: Record<string, string | number>) => {
  const search = new URLSearchParams(
    Object.entries(params).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  return search ? `?${search}` : '';
};
