/**
 * A technician at work on an exercise's lab, through the same surfaces a person uses: the base's web admin (forms
 * posted over Fastify `inject()` as a browser posts them), the handset's keypad, the Teams admin center app.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import type { Lab } from '../../src/lab/lab.ts';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import { basicAuth, type Credentials, FACTORY_LOGIN, formValues, NEW_PASSWORD } from '../devices/base-station/web-admin/web-admin-client.ts';
import { entryLabelOf, registerOnHandset } from '../devices/handset/steps.ts';
import { MINUTE } from '../support/lab.ts';

export class WebAdmin {
  login: Credentials = FACTORY_LOGIN;
  private constructor(
    readonly app: FastifyInstance,
    readonly base: BaseStation,
  ) {}

  /** The web admin of the lab's only base (or the base `mac`), once it answers. */
  static async open(lab: Lab, mac?: string): Promise<WebAdmin> {
    const base = mac === undefined ? [...lab.bases.values()][0] : lab.bases.get(mac);
    expect(await lab.clock.advanceUntil(() => base!.state === 'running', 15 * MINUTE), 'the base did not boot').toBe(true);
    return new WebAdmin(await buildApp({ lab }), base!);
  }

  get(page: string): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'GET', url: `/bases/${this.base.mac}/${page}`, headers: { authorization: basicAuth(this.login) } });
  }

  post(page: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'POST',
      url: `/bases/${this.base.mac}/${page}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(this.login) },
      payload: new URLSearchParams(form).toString(),
    });
  }

  /** The first login: the base insists on a new password. */
  async changeFactoryPassword(): Promise<void> {
    const res = await this.post('change-password', { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(res.statusCode).toBe(200);
    this.login = { user: 'admin', password: NEW_PASSWORD };
  }

  /** Fills in the form on `page` as shown, changes `typed`, saves. */
  async save(page: string, typed: Record<string, string>): Promise<void> {
    const shown = await this.get(page);
    const res = await this.post(page, { ...formValues(shown.body, page), ...typed });
    expect(res.statusCode, `saving ${page}`).toBeLessThan(400);
  }

  /** DECT → Specific Handsets → Register on `slot`, then the handset's menu with `accessCode`. */
  async registerHandset(lab: Lab, handset: Handset, slot: number, accessCode = '0000'): Promise<void> {
    expect((await this.post('register-handset', { slot: String(slot) })).statusCode).toBe(303);
    await registerOnHandset(lab, handset, entryLabelOf(this.base), accessCode);
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/** The Teams admin center as the trainee has it (training mode): its pages and forms, and the bulk sign-in tool's calls. */
export class AdminCenter {
  private constructor(readonly app: FastifyInstance) {}

  static async open(lab: Lab): Promise<AdminCenter> {
    return new AdminCenter(await buildTeamsAdminCenter({ gateway: lab.teams, training: true }));
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'GET', url });
  }

  post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.app.inject({ method: 'POST', url, payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Users → the user → change `typed` in the form as shown (text fields, selects, ticked boxes) → Save. */
  async saveUser(upn: string, typed: Record<string, string>): Promise<void> {
    const url = `/users/${encodeURIComponent(upn)}`;
    const page = await this.get(url);
    expect(page.statusCode, `the page of ${upn}`).toBe(200);
    const form = page.body.slice(page.body.indexOf('<form method="post" class="card">'), page.body.indexOf('</form>', page.body.indexOf('<form method="post" class="card">')));
    const shown: Record<string, string> = {};
    for (const m of form.matchAll(/<input type="text" id="[^"]*" name="([^"]+)" value="([^"]*)"/g)) shown[m[1]!] = m[2]!;
    for (const m of form.matchAll(/<select id="[^"]*" name="([^"]+)">([\s\S]*?)<\/select>/g)) shown[m[1]!] = /<option selected>([^<]*)<\/option>/.exec(m[2]!)?.[1] ?? '';
    for (const m of form.matchAll(/<input type="checkbox" name="([^"]+)" value="on" checked>/g)) shown[m[1]!] = 'on';
    const res = await this.post(url, { ...shown, ...typed });
    expect(res.statusCode, `saving ${upn}: ${res.body.slice(0, 200)}`).toBe(303);
  }

  /** Provision devices → Waiting on activation → Add: one MAC address (`00` + IPEI) and its location. */
  async addDevice(mac: string, location = 'Head office'): Promise<void> {
    const res = await this.post('/devices/provision/add', { mac, location });
    expect(res.statusCode, `adding ${mac}`).toBe(303);
  }

  /**
   * Bulk sign-in: the file as the tool reads it (its format check), then Bulk Sign In; the batch id. Rows are handled
   * on the lab clock afterwards.
   */
  async bulkSignIn(csv: string, region = 'EMEA'): Promise<string> {
    const checked = await this.app.inject({ method: 'POST', url: '/devices/bulk-sign-in/check', payload: { csv } });
    expect(checked.json<{ ok: boolean }>().ok, `the tool's format check: ${checked.body}`).toBe(true);
    const res = await this.app.inject({ method: 'POST', url: '/devices/bulk-sign-in/requests', payload: { csv, region } });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json<{ BatchId: string }>().BatchId;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
