/**
 * A technician's browser for web admin tests, over `app.inject()`: basic-auth credentials, forms posted the way a
 * browser posts them (every field the page rendered, with the values it shows unless the test types new ones), and
 * read-outs of what the user sees (visible text, labels, input values).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { BaseStation } from '../../../../src/devices/base-station/base-station.ts';
import type { Lab, LabOptions } from '../../../../src/lab/lab.ts';
import { buildApp } from '../../../../src/http/build-app.ts';
import { MINUTE, openTestLab } from '../../../support/lab.ts';

export const MAC = '0004F2A00001';
/** A password the policy accepts. */
export const NEW_PASSWORD = 'Lab2026rove';

export interface Credentials {
  user: string;
  password: string;
}

export const FACTORY_LOGIN: Credentials = { user: 'admin', password: 'admin' };
export const ADMIN_LOGIN: Credentials = { user: 'admin', password: NEW_PASSWORD };

export function basicAuth({ user, password }: Credentials): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export interface WebAdminWorld {
  lab: Lab;
  app: FastifyInstance;
  base: BaseStation;
  close(): Promise<void>;
}

/** The default lab with its B4 booted and the web admin app built; the factory password still in place. */
export async function openWebAdmin(options: Partial<LabOptions> = {}): Promise<WebAdminWorld> {
  const lab = await openTestLab(options);
  const base = lab.getBase(MAC)!;
  await lab.clock.advanceUntil(() => base.state === 'running', 10 * MINUTE);
  const app = await buildApp({ lab });
  return {
    lab,
    app,
    base,
    async close() {
      await app.close();
      await lab.close();
    },
  };
}

/** Same, with the factory password already changed to {@link NEW_PASSWORD}. */
export async function openConfiguredWebAdmin(options: Partial<LabOptions> = {}): Promise<WebAdminWorld> {
  const world = await openWebAdmin(options);
  const res = await post(world.app, 'change-password', { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FACTORY_LOGIN);
  if (res.statusCode !== 200) throw new Error(`password change failed: ${res.statusCode} ${visibleText(res.body)}`);
  return world;
}

export function pageUrl(page: string, mac = MAC): string {
  return `/bases/${mac}/${page}`;
}

export function get(app: FastifyInstance, page: string, login?: Credentials, remoteAddress?: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: pageUrl(page),
    headers: login ? { authorization: basicAuth(login) } : {},
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

export function post(app: FastifyInstance, page: string, form: Record<string, string>, login?: Credentials): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: pageUrl(page),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(login ? { authorization: basicAuth(login) } : {}),
    },
    payload: new URLSearchParams(form).toString(),
  });
}

/** Fills in the form with id-less `action` on the page as rendered, changing only `typed`, and submits it. */
export async function submitForm(
  app: FastifyInstance,
  page: string,
  action: string,
  typed: Record<string, string>,
  login: Credentials,
): Promise<LightMyRequestResponse> {
  const shown = await get(app, page, login);
  return post(app, action, { ...formValues(shown.body, action), ...typed }, login);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e]!);
}

/** The page's text as a person reads it: tags removed, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return decode(
    html
      .replace(/<head>[\s\S]*?<\/head>/, ' ')
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
      .replace(/<\/?(?:strong|em|code|span|a|label)\b[^>]*>/g, '')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** `for` → visible text of every `<label>` on the page. */
export function labels(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<label for="([^"]+)">([\s\S]*?)<\/label>/g)].map((m) => [m[1]!, visibleText(m[2]!)]));
}

/** What the inputs and selects of the form posting to `action` show, by field name. */
export function formValues(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="(?:text|password)" id="[^"]*" name="([^"]+)"(?: value="([^"]*)")?/g)) {
    values[m[1]!] = decode(m[2] ?? '');
  }
  for (const m of form.matchAll(/<select id="[^"]*" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(m[2]!);
    values[m[1]!] = decode(selected?.[1] ?? '');
  }
  return values;
}

/** The error shown next to a field, if any. */
export function fieldError(html: string, field: string): string | undefined {
  const m = new RegExp(`<div class="field-error" id="${field}-error">([\\s\\S]*?)</div>`).exec(html);
  return m ? visibleText(m[1]!) : undefined;
}
