/**
 * Reading a submitted form strictly: each expected field exactly once, as text; any other field is refused. A form
 * the web admin did not render (a stale page, a hand-made request) is refused instead of half applied.
 */

export interface FormRead<K extends string> {
  /** The required fields (each '' when missing, with a problem reported). */
  values: Record<K, string>;
  /** The optional fields that were sent. */
  extra: Partial<Record<string, string>>;
  /** Problems with the form itself (unknown, missing or repeated fields), for the summary at the top. */
  problems: string[];
}

export interface FormShape<K extends string> {
  /** Fields that must be present. */
  required: readonly K[];
  /** Fields that may be present (e.g. a submit button's name). */
  optional?: readonly string[];
}

export function readForm<K extends string>(body: unknown, shape: FormShape<K>): FormRead<K> {
  const problems: string[] = [];
  const values = {} as Record<K, string>;
  const extra: Partial<Record<string, string>> = {};
  for (const name of shape.required) values[name] = '';
  const fields: Record<string, unknown> = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (body !== null && body !== undefined && typeof body !== 'object') problems.push('The form could not be read.');
  const known = new Set<string>([...shape.required, ...(shape.optional ?? [])]);
  for (const name of Object.keys(fields)) {
    if (!known.has(name)) problems.push(`Unknown field "${name.slice(0, 40)}" refused: this form has no such setting.`);
  }
  for (const name of known) {
    const raw = fields[name];
    if (raw === undefined) {
      if ((shape.required as readonly string[]).includes(name)) problems.push(`Field "${name}" is missing from the form.`);
      continue;
    }
    if (Array.isArray(raw)) problems.push(`Field "${name}" was sent more than once.`);
    else if (typeof raw !== 'string') problems.push(`Field "${name}" must be text.`);
    else if ((shape.required as readonly string[]).includes(name)) values[name as K] = raw;
    else extra[name] = raw;
  }
  return { values, extra, problems };
}
