/** The three success shapes every resource answers with, named once. */

export const ok = <Body>(body: Body) => ({ status: 200 as const, body });

/** `201` with the new resource and where it lives (the front door sends it as `Location`). */
export const created = <Body extends { id: number }>(collection: string, body: Body) => ({
  status: 201 as const,
  body,
  location: `${collection}/${body.id}`,
});

/** A DELETE answers `200 {}`, which is what JSONPlaceholder's users' code expects. */
export const deleted = () => ({ status: 200 as const, body: {} });
