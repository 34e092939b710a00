import { z } from 'zod';
/** One offending field of a rejected request. `path` is a JSON Pointer (RFC 6901) into the input. */
export declare const FieldErrorSchema: z.ZodObject<{
    path: z.ZodString;
    message: z.ZodString;
    code: z.ZodString;
}, "strip", z.ZodTypeAny, {
    code: string;
    path: string;
    message: string;
}, {
    code: string;
    path: string;
    message: string;
}>;
/** RFC 9457 problem details: the body of every error response, sent as `application/problem+json`. */
export declare const ProblemSchema: z.ZodObject<{
    type: z.ZodString;
    title: z.ZodString;
    status: z.ZodNumber;
    detail: z.ZodOptional<z.ZodString>;
    instance: z.ZodOptional<z.ZodString>;
    errors: z.ZodOptional<z.ZodArray<z.ZodObject<{
        path: z.ZodString;
        message: z.ZodString;
        code: z.ZodString;
    }, "strip", z.ZodTypeAny, {
        code: string;
        path: string;
        message: string;
    }, {
        code: string;
        path: string;
        message: string;
    }>, "many">>;
}, "strip", z.ZodTypeAny, {
    type: string;
    status: number;
    title: string;
    detail?: string | undefined;
    instance?: string | undefined;
    errors?: {
        code: string;
        path: string;
        message: string;
    }[] | undefined;
}, {
    type: string;
    status: number;
    title: string;
    detail?: string | undefined;
    instance?: string | undefined;
    errors?: {
        code: string;
        path: string;
        message: string;
    }[] | undefined;
}>;
export type FieldError = z.infer<typeof FieldErrorSchema>;
export type Problem = z.infer<typeof ProblemSchema>;
export declare const PROBLEM_CONTENT_TYPE = "application/problem+json";
//# sourceMappingURL=problem.d.ts.map