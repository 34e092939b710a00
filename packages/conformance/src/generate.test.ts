import { CURRENCY_CODES, contract, contractRoutes } from '@lockstep/contract';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generatorOf } from './generate.js';

const bodies = contractRoutes(contract).flatMap(({ key, route }) =>
  'body' in route && route.body instanceof z.ZodType ? [[key.join('.'), route.body] as const] : [],
);
const answers = contractRoutes(contract).flatMap(({ key, route }) =>
  Object.entries(route.responses)
    .filter(([status, schema]) => Number(status) < 300 && schema instanceof z.ZodType)
    .map(([, schema]) => [key.join('.'), schema as z.ZodType] as const),
);

describe('generated values', () => {
  it.each(bodies)('for the %s body: accepted by the schema, seed after seed, and varied', (_route, schema) => {
    const generator = generatorOf(schema, 'input');
    const values = Array.from({ length: 60 }, (_, seed) => generator.valid(seed));
    for (const value of values) expect(schema.safeParse(value).success).toBe(true);
    expect(new Set(values.map((value) => JSON.stringify(value))).size).toBeGreaterThan(20);
  });

  it.each(answers)('for the %s answer: accepted by its schema', (_route, schema) => {
    const generator = generatorOf(schema, 'output');
    for (let seed = 0; seed < 20; seed += 1) expect(schema.safeParse(generator.valid(seed)).success).toBe(true);
  });

  it('repeat for the same seed and differ for another', () => {
    const generator = generatorOf(contract.users.create.body, 'input');
    expect(generator.valid(42)).toEqual(generatorOf(contract.users.create.body, 'input').valid(42));
    expect(generator.valid(42)).not.toEqual(generator.valid(43));
  });

  it('meet the currency enum, and a rule JSON Schema cannot state (an event ending after it starts)', () => {
    const transactions = generatorOf(contract.transactions.create.body, 'input');
    const events = generatorOf(contract.events.create.body, 'input');
    for (let seed = 0; seed < 30; seed += 1) {
      expect(CURRENCY_CODES).toContain((transactions.valid(seed) as { currency: string }).currency);
      const event = events.valid(seed) as { startsAt: string; endsAt?: string };
      if (event.endsAt) expect(Date.parse(event.endsAt)).toBeGreaterThanOrEqual(Date.parse(event.startsAt));
    }
  });

  it('says so when no value can satisfy the schema', () => {
    const impossible = z.string().refine(() => false);
    expect(() => generatorOf(impossible, 'input').valid(1)).toThrow(
      /no generated value satisfies the schema \(seed 1\)/,
    );
  });
});
