/**
 * Values generated from the contract's schemas, for the mock server's answers and for the
 * bodies `lockstep verify` sends. Generation is property-based (fast-check) and seeded: the same
 * seed gives the same values. No maintained library derives fast-check arbitraries from zod 4
 * (zod-fast-check stops at zod 3 and fast-check 3), so the schema goes through zod's own JSON
 * Schema export and this module maps that small, stable vocabulary; the zod schema then has the
 * last word, so a rule JSON Schema cannot state (an event ending after it starts) is still met.
 */
import fc from 'fast-check';
import { z } from 'zod';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** An instant between 2000 and 2100, in the contract's ISO 8601 form. */
const dateTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Addresses every mail validator accepts (fast-check's own follow RFC 5322 to its odd corners). */
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,16}$/), fc.constantFrom('example.com', 'example.org', 'mail.example.net'))
  .map(([local, domain]) => `${local}@${domain}`);

function bounds(schema: Json, integer: boolean): { min: number; max: number } {
  const step = integer ? 1 : Number.EPSILON;
  const min =
    typeof schema.exclusiveMinimum === 'number'
      ? schema.exclusiveMinimum + step
      : typeof schema.minimum === 'number'
        ? schema.minimum
        : integer
          ? INT32_MIN
          : -1e9;
  const max =
    typeof schema.exclusiveMaximum === 'number'
      ? schema.exclusiveMaximum - step
      : typeof schema.maximum === 'number'
        ? schema.maximum
        : integer
          ? INT32_MAX
          : 1e9;
  return { min, max };
}

function integerArbitrary(schema: Json): fc.Arbitrary<number> {
  const { min, max } = bounds(schema, true);
  // fc.integer is 32-bit; wider ranges (money in minor units) go through bigint.
  if (min >= INT32_MIN && max <= INT32_MAX) return fc.integer({ min, max });
  return fc.bigInt({ min: BigInt(Math.ceil(min)), max: BigInt(Math.floor(max)) }).map(Number);
}

function stringArbitrary(schema: Json): fc.Arbitrary<string> {
  if (schema.format === 'email') return email;
  if (schema.format === 'date-time') return dateTime;
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({
    unit: 'grapheme',
    minLength: typeof schema.minLength === 'number' ? schema.minLength : 0,
    // Kept short: long values add nothing a few short ones do not, and bounds are checked apart.
    maxLength: Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, 40),
  });
}

function typedArbitrary(schema: Json, type: unknown): fc.Arbitrary<unknown> {
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, member]) => [name, arbitraryOf(member)])),
        { requiredKeys: required.filter((name) => name in properties) },
      );
    }
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : minLength + 3, minLength + 3);
      return fc.array(arbitraryOf(schema.items), { minLength, maxLength });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return integerArbitrary(schema);
    case 'number': {
      const { min, max } = bounds(schema, false);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // `{}` (anything): what zod exports for a shape it cannot state.
      return fc.constant({});
  }
}

/** A fast-check arbitrary of the values a JSON Schema (the subset zod 4 emits) accepts. */
export function arbitraryOf(schema: unknown): fc.Arbitrary<unknown> {
  if (!isObject(schema)) return fc.constant({});
  // Examples first: they meet rules the schema cannot state.
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return fc.constantFrom(...schema.examples);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.length > 0) return fc.oneof(...branches.map(arbitraryOf));
  }
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => typedArbitrary(schema, type)));
  return typedArbitrary(schema, schema.type);
}

const jsonSchemas = { input: new WeakMap<z.ZodType, Json>(), output: new WeakMap<z.ZodType, Json>() };

/**
 * The JSON Schema of a zod schema as a request (`input`) or a response (`output`) carries it;
 * derived once per schema, since verify asks for the same route's again on every write.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  let derived = jsonSchemas[io].get(schema);
  if (!derived) {
    derived = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    jsonSchemas[io].set(schema, derived);
  }
  return derived;
}

export interface Generator {
  /** The first generated value (after `adjust`) that the zod schema accepts, for this seed. */
  valid(seed: number, adjust?: (value: unknown) => unknown): unknown;
}

/**
 * A seeded generator of values a zod schema accepts; its arbitrary is derived once. Candidates
 * are drawn until the schema accepts one (nearly always the first; refinements may skip some).
 */
export function generatorOf(schema: z.ZodType, io: 'input' | 'output'): Generator {
  const arbitrary = arbitraryOf(jsonSchemaOf(schema, io));
  return {
    valid(seed, adjust = (value) => value) {
      // A short draw first (fc.sample is eager), a long one only if a refinement rejected it.
      for (const numRuns of [8, 400]) {
        for (const value of fc.sample(arbitrary, { seed, numRuns })) {
          const candidate = adjust(value);
          if (schema.safeParse(candidate).success) return candidate;
        }
      }
      throw new Error(`no generated value satisfies the schema (seed ${seed})`);
    },
  };
}
