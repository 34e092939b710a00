/** Form values to request bodies and back. */

/** `2026-12-01T18:00` (a datetime-local field, local time) → ISO 8601 with an offset. */
export const toInstant = (local: string): string => new Date(local).toISOString();

/** An ISO instant → a datetime-local field's value, in local time. */
export function toLocalInput(instant: string): string {
  const date = new Date(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export const formatInstant = (instant: string) =>
  new Date(instant).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A text field: its trimmed value, or undefined when left empty. */
export const text = (form: FormData, name: string): string | undefined => {
  const value = String(form.get(name) ?? '').trim();
  return value === '' ? undefined : value;
};

/** A number field: its value, or undefined when left empty. */
export const whole = (form: FormData, name: string): number | undefined => {
  const value = text(form, name);
  return value === undefined ? undefined : Number(value);
};

/** `1 guest`, `40 guests`. */
export const guests = (count: number) => `${count} guest${count === 1 ? '' : 's'}`;
