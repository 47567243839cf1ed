/** A value or a list of field errors: how every user input is checked before anything is saved. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface FieldError {
  /** The parameter or field name exactly as the user sees it (e.g. `FirmwareServer`, `MAC id`). */
  field: string;
  message: string;
}

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function fail<T = never>(field: string, message: string): Checked<T> {
  return { ok: false, errors: [{ field, message }] };
}
