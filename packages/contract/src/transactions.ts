import { z } from 'zod';
import {
  CursorQuerySchema,
  DateTimeSchema,
  EmptyObjectSchema,
  IdPathParamsSchema,
  IdSchema,
  LimitQuerySchema,
  RepeatedIdSchema,
  sortQuery,
} from './common.js';
import { CURRENCY_CODES } from './currencies.js';
import { c, ownerRoute, routerOptions } from './routes.js';

/** An ISO 4217 code from the contract's list, so `XYZ` is refused, not stored: an enum in JSON Schema. */
export const CurrencySchema = z.enum(CURRENCY_CODES, { error: 'is not an ISO 4217 currency code' });

/** Money in integer minor units (cents for EUR), never floating point; negative for refunds. */
export const AmountSchema = z.number().int().min(-1_000_000_000_000).max(1_000_000_000_000);

/** A transaction, visible only to the API key owner that created it. */
export const TransactionSchema = z.object({
  id: IdSchema,
  amount: AmountSchema,
  currency: CurrencySchema,
  description: z.string().max(500),
  occurredAt: DateTimeSchema,
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});

/** POST and PUT body: the writable members only; ids, owner and timestamps are server-set. */
export const TransactionWriteSchema = TransactionSchema.pick({
  amount: true,
  currency: true,
  description: true,
  occurredAt: true,
})
  .extend({ description: TransactionSchema.shape.description.default('') })
  .strict();

export const TransactionReplaceSchema = TransactionWriteSchema.extend({ id: RepeatedIdSchema }).strict();

/** PATCH body (merge patch): every member is required, so none may be `null`. */
export const TransactionPatchSchema = TransactionSchema.pick({
  amount: true,
  currency: true,
  description: true,
  occurredAt: true,
})
  .partial()
  .extend({ id: RepeatedIdSchema })
  .strict();

export const TransactionListQuerySchema = z
  .object({
    currency: CurrencySchema.optional(),
    sort: sortQuery(['id', 'occurredAt', 'amount']).default('id'),
    limit: LimitQuerySchema,
    cursor: CursorQuerySchema.optional(),
  })
  .strict();

export type Transaction = z.infer<typeof TransactionSchema>;
export type TransactionWrite = z.infer<typeof TransactionWriteSchema>;
export type TransactionReplace = z.infer<typeof TransactionReplaceSchema>;
export type TransactionPatch = z.infer<typeof TransactionPatchSchema>;
export type TransactionListQuery = z.infer<typeof TransactionListQuerySchema>;

export const transactionsContract = c.router(
  {
    list: {
      method: 'GET',
      path: '/transactions',
      query: TransactionListQuerySchema,
      responses: { 200: z.array(TransactionSchema) },
      summary: "List the caller's transactions; filter by currency, sort by id, occurredAt or amount",
      metadata: ownerRoute,
    },
    create: {
      method: 'POST',
      path: '/transactions',
      body: TransactionWriteSchema,
      responses: { 201: TransactionSchema },
      summary: 'Record a transaction; honours Idempotency-Key',
      metadata: ownerRoute,
    },
    get: {
      method: 'GET',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      responses: { 200: TransactionSchema },
      summary: 'Get one of the caller’s transactions',
      metadata: ownerRoute,
    },
    replace: {
      method: 'PUT',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: TransactionReplaceSchema,
      responses: { 200: TransactionSchema },
      summary: 'Replace a transaction; honours If-Match',
      metadata: ownerRoute,
    },
    update: {
      method: 'PATCH',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: TransactionPatchSchema,
      responses: { 200: TransactionSchema },
      summary: 'Update a transaction with a JSON Merge Patch; honours If-Match',
      metadata: ownerRoute,
    },
    remove: {
      method: 'DELETE',
      path: '/transactions/:id',
      pathParams: IdPathParamsSchema,
      body: c.noBody(),
      responses: { 200: EmptyObjectSchema },
      summary: 'Delete a transaction; honours If-Match',
      metadata: ownerRoute,
    },
  },
  routerOptions,
);
