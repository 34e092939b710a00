import { z } from 'zod';
/** An event, visible only to the API key owner that created it. */
export declare const EventSchema: z.ZodObject<{
    id: z.ZodNumber;
    name: z.ZodString;
    startsAt: z.ZodString;
    endsAt: z.ZodOptional<z.ZodString>;
    location: z.ZodOptional<z.ZodString>;
    /** Most guests the event takes; adding one more answers 409. */
    capacity: z.ZodOptional<z.ZodNumber>;
    createdAt: z.ZodString;
    updatedAt: z.ZodString;
}, "strip", z.ZodTypeAny, {
    id: number;
    name: string;
    startsAt: string;
    createdAt: string;
    updatedAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}, {
    id: number;
    name: string;
    startsAt: string;
    createdAt: string;
    updatedAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}>;
export declare const EventWriteSchema: z.ZodEffects<z.ZodObject<Pick<{
    id: z.ZodNumber;
    name: z.ZodString;
    startsAt: z.ZodString;
    endsAt: z.ZodOptional<z.ZodString>;
    location: z.ZodOptional<z.ZodString>;
    /** Most guests the event takes; adding one more answers 409. */
    capacity: z.ZodOptional<z.ZodNumber>;
    createdAt: z.ZodString;
    updatedAt: z.ZodString;
}, "name" | "startsAt" | "endsAt" | "location" | "capacity">, "strict", z.ZodTypeAny, {
    name: string;
    startsAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}, {
    name: string;
    startsAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}>, {
    name: string;
    startsAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}, {
    name: string;
    startsAt: string;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}>;
export declare const EventReplaceSchema: z.ZodEffects<z.ZodObject<Pick<{
    id: z.ZodNumber;
    name: z.ZodString;
    startsAt: z.ZodString;
    endsAt: z.ZodOptional<z.ZodString>;
    location: z.ZodOptional<z.ZodString>;
    /** Most guests the event takes; adding one more answers 409. */
    capacity: z.ZodOptional<z.ZodNumber>;
    createdAt: z.ZodString;
    updatedAt: z.ZodString;
}, "name" | "startsAt" | "endsAt" | "location" | "capacity"> & {
    id: z.ZodOptional<z.ZodNumber>;
}, "strict", z.ZodTypeAny, {
    name: string;
    startsAt: string;
    id?: number | undefined;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}, {
    name: string;
    startsAt: string;
    id?: number | undefined;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}>, {
    name: string;
    startsAt: string;
    id?: number | undefined;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}, {
    name: string;
    startsAt: string;
    id?: number | undefined;
    endsAt?: string | undefined;
    location?: string | undefined;
    capacity?: number | undefined;
}>;
/** PATCH body (merge patch): `null` removes endsAt, location or capacity. */
export declare const EventPatchSchema: z.ZodObject<{
    id: z.ZodOptional<z.ZodNumber>;
    name: z.ZodOptional<z.ZodString>;
    startsAt: z.ZodOptional<z.ZodString>;
    endsAt: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    location: z.ZodOptional<z.ZodNullable<z.ZodString>>;
    capacity: z.ZodOptional<z.ZodNullable<z.ZodNumber>>;
}, "strict", z.ZodTypeAny, {
    id?: number | undefined;
    name?: string | undefined;
    startsAt?: string | undefined;
    endsAt?: string | null | undefined;
    location?: string | null | undefined;
    capacity?: number | null | undefined;
}, {
    id?: number | undefined;
    name?: string | undefined;
    startsAt?: string | undefined;
    endsAt?: string | null | undefined;
    location?: string | null | undefined;
    capacity?: number | null | undefined;
}>;
export declare const EventListQuerySchema: z.ZodObject<{
    location: z.ZodOptional<z.ZodString>;
    sort: z.ZodDefault<z.ZodEnum<["id" | "name" | "startsAt" | "-id" | "-name" | "-startsAt", ...("id" | "name" | "startsAt" | "-id" | "-name" | "-startsAt")[]]>>;
    limit: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
    cursor: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    sort: "id" | "name" | "startsAt" | "-id" | "-name" | "-startsAt";
    limit: number;
    location?: string | undefined;
    cursor?: string | undefined;
}, {
    sort?: "id" | "name" | "startsAt" | "-id" | "-name" | "-startsAt" | undefined;
    location?: string | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
}>;
export declare const RSVP_VALUES: readonly ["pending", "yes", "no", "maybe"];
export declare const RsvpSchema: z.ZodEnum<["pending", "yes", "no", "maybe"]>;
/** A guest of an event; the email is unique within the event. */
export declare const GuestSchema: z.ZodObject<{
    id: z.ZodNumber;
    eventId: z.ZodNumber;
    name: z.ZodString;
    email: z.ZodString;
    rsvp: z.ZodEnum<["pending", "yes", "no", "maybe"]>;
    createdAt: z.ZodString;
    updatedAt: z.ZodString;
}, "strip", z.ZodTypeAny, {
    id: number;
    name: string;
    createdAt: string;
    updatedAt: string;
    eventId: number;
    email: string;
    rsvp: "pending" | "yes" | "no" | "maybe";
}, {
    id: number;
    name: string;
    createdAt: string;
    updatedAt: string;
    eventId: number;
    email: string;
    rsvp: "pending" | "yes" | "no" | "maybe";
}>;
export declare const GuestWriteSchema: z.ZodObject<{
    name: z.ZodString;
    email: z.ZodString;
} & {
    rsvp: z.ZodDefault<z.ZodEnum<["pending", "yes", "no", "maybe"]>>;
}, "strict", z.ZodTypeAny, {
    name: string;
    email: string;
    rsvp: "pending" | "yes" | "no" | "maybe";
}, {
    name: string;
    email: string;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}>;
export declare const GuestReplaceSchema: z.ZodObject<{
    name: z.ZodString;
    email: z.ZodString;
} & {
    rsvp: z.ZodDefault<z.ZodEnum<["pending", "yes", "no", "maybe"]>>;
} & {
    id: z.ZodOptional<z.ZodNumber>;
}, "strict", z.ZodTypeAny, {
    name: string;
    email: string;
    rsvp: "pending" | "yes" | "no" | "maybe";
    id?: number | undefined;
}, {
    name: string;
    email: string;
    id?: number | undefined;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}>;
export declare const GuestPatchSchema: z.ZodObject<{
    id: z.ZodOptional<z.ZodNumber>;
    name: z.ZodOptional<z.ZodString>;
    email: z.ZodOptional<z.ZodString>;
    rsvp: z.ZodOptional<z.ZodEnum<["pending", "yes", "no", "maybe"]>>;
}, "strict", z.ZodTypeAny, {
    id?: number | undefined;
    name?: string | undefined;
    email?: string | undefined;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}, {
    id?: number | undefined;
    name?: string | undefined;
    email?: string | undefined;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}>;
export declare const GuestListQuerySchema: z.ZodObject<{
    rsvp: z.ZodOptional<z.ZodEnum<["pending", "yes", "no", "maybe"]>>;
    email: z.ZodOptional<z.ZodString>;
    sort: z.ZodDefault<z.ZodEnum<["id" | "name" | "-id" | "-name", ...("id" | "name" | "-id" | "-name")[]]>>;
    limit: z.ZodDefault<z.ZodOptional<z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>>>;
    cursor: z.ZodOptional<z.ZodString>;
}, "strict", z.ZodTypeAny, {
    sort: "id" | "name" | "-id" | "-name";
    limit: number;
    cursor?: string | undefined;
    email?: string | undefined;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}, {
    sort?: "id" | "name" | "-id" | "-name" | undefined;
    limit?: string | undefined;
    cursor?: string | undefined;
    email?: string | undefined;
    rsvp?: "pending" | "yes" | "no" | "maybe" | undefined;
}>;
export declare const EventPathParamsSchema: z.ZodObject<{
    eventId: z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>;
}, "strip", z.ZodTypeAny, {
    eventId: number;
}, {
    eventId: string;
}>;
export declare const GuestPathParamsSchema: z.ZodObject<{
    eventId: z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>;
    guestId: z.ZodPipeline<z.ZodEffects<z.ZodString, number, string>, z.ZodNumber>;
}, "strip", z.ZodTypeAny, {
    eventId: number;
    guestId: number;
}, {
    eventId: string;
    guestId: string;
}>;
export type Event = z.infer<typeof EventSchema>;
export type EventWrite = z.infer<typeof EventWriteSchema>;
export type EventReplace = z.infer<typeof EventReplaceSchema>;
export type EventPatch = z.infer<typeof EventPatchSchema>;
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
export type Rsvp = z.infer<typeof RsvpSchema>;
export type Guest = z.infer<typeof GuestSchema>;
export type GuestWrite = z.infer<typeof GuestWriteSchema>;
export type GuestReplace = z.infer<typeof GuestReplaceSchema>;
export type GuestPatch = z.infer<typeof GuestPatchSchema>;
export type GuestListQuery = z.infer<typeof GuestListQuerySchema>;
//# sourceMappingURL=events.d.ts.map