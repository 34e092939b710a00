/**
 * A value that satisfies a JSON Schema (the subset zod 4 emits for this contract), chosen
 * deterministically by `seed`: the same seed gives the same value. Examples the schema carries
 * come first, so a rule JSON Schema cannot state (an ISO 4217 code, say) is met by an example.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sampleString(schema: Json, seed: number): string {
  if (schema.format === 'email') return `user${seed}@example.com`;
  if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 1) + seed * 86_400_000).toISOString();
  if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^[A-Za-z0-9_-]')) return `c${seed}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 40;
  return `sample ${seed}`.padEnd(min, 'x').slice(0, max);
}

function sampleNumber(schema: Json, seed: number, integer: boolean): number {
  const step = integer ? 1 : 0.5;
  const low =
    typeof schema.exclusiveMinimum === 'number'
      ? schema.exclusiveMinimum + step
      : typeof schema.minimum === 'number'
        ? schema.minimum
        : 0;
  const high =
    typeof schema.exclusiveMaximum === 'number'
      ? schema.exclusiveMaximum - step
      : typeof schema.maximum === 'number'
        ? schema.maximum
        : low + 1000;
  return Math.min(high, Math.max(low, low + (seed % 1000) * step));
}

export function sample(schema: unknown, seed = 0): unknown {
  if (!isObject(schema)) return null;
  if (Array.isArray(schema.examples) && schema.examples.length > 0)
    return schema.examples[seed % schema.examples.length];
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[seed % schema.enum.length];
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      const branch = branches.find((b) => isObject(b) && b.type !== 'null') ?? branches[0];
      return sample(branch, seed);
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = isObject(schema.properties) ? schema.properties : {};
      return Object.fromEntries(
        Object.entries(properties).map(([name, member], i) => [name, sample(member, seed + i)]),
      );
    }
    case 'array': {
      const length = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, 3);
      const capped = typeof schema.maxItems === 'number' ? Math.min(length, schema.maxItems) : length;
      return Array.from({ length: capped }, (_, i) => sample(schema.items, seed + i));
    }
    case 'string':
      return sampleString(schema, seed);
    case 'integer':
      return sampleNumber(schema, seed, true);
    case 'number':
      return sampleNumber(schema, seed, false);
    case 'boolean':
      return seed % 2 === 0;
    case 'null':
      return null;
    default:
      return {};
  }
}
