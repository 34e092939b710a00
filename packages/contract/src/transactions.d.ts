import { z } from 'zod';
export declare const CurrencySchema: z.ZodEffects<z.ZodString, string, string>;
/** Money in integer minor units (cents for EUR), never floating point; negative for refunds. */
export declare const AmountSchema: z.ZodNumber;
/** A transaction, visible only to the API key owner that created it. */
export declare const TransactionSchema: z.ZodObject<{
    id: z.ZodNumber;
    amount: z.ZodNumber;
    currency: z.ZodEffects<z.ZodString, string, string>;
    description: z.ZodString;
    occurredAt: z.ZodString;
    createdAt: z.ZodString;
    updatedAt: z.ZodString;
}, "strip", z.ZodTypeAny, {
    id: number;
    createdAt: string;
    updatedAt: string;
    currency: string;
    amount: number;
    description: string;
    occurredAt: string;
}, {
    id: number;
    createdAt: string;
    updatedAt: string;
    currency: string;
    amount: number;
    description: string;
    occurredAt: string;
}>;
/** POST and PUT body: the writable members only; ids, owner and timestamps are server-set. */
export declare const TransactionWriteSchema: z.ZodObject<{
    currency: z.ZodEffects<z.ZodString, string, string>;
    amount: z.ZodNumber;
    occurredAt: z.ZodString;
} & {
    description: z.ZodDefault<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    currency: string;
    amount: number;
    description: string;
    occurredAt: string;
}, {
    currency: string;
    amount: number;
    occurredAt: string;
    description?: string | undefined;
}>;
export declare const TransactionReplaceSchema: z.ZodObject<{
    currency: z.ZodEffects<z.ZodString, string, string>;
    amount: z.ZodNumber;
    occurredAt: z.ZodString;
} & {
    description: z.ZodDefault<z.ZodString>;
} & {
    id: z.ZodOptional<z.ZodNumber>;
}, "strict", z.ZodTypeAny, {
    currency: string;
    amount: number;
    description: string;
    occurredAt: string;
    id?: number | undefined;
}, {
    currency: string;
    amount: number;
    occurredAt: string;
    id?: number | undefined;
    description?: string | undefined;
}>;
/** PATCH body (merge patch): every member is required, so none may be `null`. */
export declare const TransactionPatchSchema: z.ZodObject<{
    id: z.ZodOptional<z.ZodNumber>;
    currency: z.ZodOptional<z.ZodEffects<z.ZodString, string, string>>;
    amount: z.ZodOptional<z.ZodNumber>;
    description: z.ZodOptional<z.ZodString>;
    occurredAt: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    id?: number | undefined;
    currency?: string | undefined;
    amount?: number | undefined;
    description?: string | undefined;
    occurredAt?: string | undefined;
}, {
    id?: number | undefined;
    currency?: string | undefined;
    amount?: number | undefined;
    description?: string | undefined;
    occurredAt?: string | undefined;
}>;
export declare const TransactionListQuerySchema: z.ZodObject<{
    currency: z.ZodOptional<z.ZodEffects<z.ZodString, string, string>>;
    sort: z.ZodDefault<z.ZodEnum<["id" | "-id" | "amount" | "occurredAt" | "-amount" | "-occurredAt", ...("id" | "-id" | "amount" | "occurredAt" | "-amount" | "-occurredAt")[]]>>;
    limit: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
    cursor: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    sort: "id" | "-id" | "amount" | "occurredAt" | "-amount" | "-occurredAt";
    limit: number;
    cursor?: string | undefined;
    currency?: string | undefined;
}, {
    sort?: "id" | "-id" | "amount" | "occurredAt" | "-amount" | "-occurredAt" | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
    currency?: string | undefined;
}>;
export type Transaction = z.infer<typeof TransactionSchema>;
export type TransactionWrite = z.infer<typeof TransactionWriteSchema>;
export type TransactionReplace = z.infer<typeof TransactionReplaceSchema>;
export type TransactionPatch = z.infer<typeof TransactionPatchSchema>;
export type TransactionListQuery = z.infer<typeof TransactionListQuerySchema>;
//# sourceMappingURL=transactions.d.ts.map