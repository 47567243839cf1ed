/** Reading url-encoded form bodies (a field may come once, several times, or not at all). */
export type FormBody = Record<string, string | string[] | undefined> | undefined;

export function field(body: FormBody, name: string): string {
  const v = body?.[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export function fields(body: FormBody, name: string): string[] {
  const v = body?.[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Query string values the pages use. */
export type Query = Record<string, string | undefined>;
