/**
 * Steps of the guide's Teams part ("Provisioning the device in the Teams Admin Center" to the end), written once so the
 * stories read like the guide: the Teams admin center and the device login page through Fastify `inject()`, the handset
 * through its keypad, everything on the lab's paused clock.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { BaseStation } from '../../src/devices/base-station/base-station.ts';
import type { Handset } from '../../src/devices/handset/handset.ts';
import type { Lab } from '../../src/lab/lab.ts';
import { buildTeamsAdminCenter } from '../../src/cloud/teams/admin-center/build-admin-center.ts';
import { APPROVAL_QUESTION } from '../../src/cloud/teams/device-login/device-login-plugin.ts';
import { formatHardwareId, hardwareIdForIpei } from '../../src/cloud/teams/devices/hardware-id.ts';
import { registerHandset, screen, waitForBootedLab } from '../devices/handset/steps.ts';
import { MINUTE, openTestLab } from '../support/lab.ts';
import type { LabOptions } from '../../src/lab/lab.ts';

export const TEAMS_EMEA = 'http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';
export const TEAMS_NOAM = 'http://noam.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg';

export interface TeamsWorld {
  lab: Lab;
  tac: FastifyInstance;
  base: BaseStation;
  handset: Handset;
  /** A second handset on the same base (it goes Searching too when the base reboots). */
  other: Handset;
  hw: string;
}

/** The base applied its provisioning, its lines are up and `handsets` are idle in service. */
export function settled(base: BaseStation, ...handsets: Handset[]): () => boolean {
  return () =>
    base.status().pendingProvisioningReboots === 0 &&
    base.state === 'running' &&
    handsets.every((h) => h.state === 'in-service' && h.view().screen === 'idle' && h.view().line !== null && h.view().line?.state !== 'Registering');
}

/**
 * A B2 with two registered Rove 30s, both firmwares at `firmware`, ITSP provisioning from the Teams ConfigURL (the
 * three reboots of the guide already behind it), and the Teams admin center app.
 */
export async function teamsReadyLab(
  options: { firmware?: string; handsetFirmware?: string; configUrl?: string; lab?: Partial<LabOptions> } = {},
): Promise<TeamsWorld> {
  const lab = await openTestLab(options.lab);
  const base = lab.addBase({ model: 'B2', firmware: options.firmware ?? '8.0.3.0009' });
  const handset = lab.addHandset({ model: 'Rove 30', firmware: options.handsetFirmware ?? options.firmware ?? '8.0.3.0009' });
  const other = lab.addHandset({ model: 'Rove 30', firmware: options.firmware ?? '8.0.3.0009' });
  await waitForBootedLab(lab, base, handset, other);
  await registerHandset(lab, base, handset, 1);
  await registerHandset(lab, base, other, 2);
  base.updateSettings({ itspMethod: 'Periodically', itspInterval: '3600', provisioningOption: 'ConfigURL', configUrl: options.configUrl ?? TEAMS_EMEA });
  await lab.clock.advanceUntil(settled(base, handset, other), 90 * MINUTE);
  const tac = await buildTeamsAdminCenter({ gateway: lab.teams });
  return { lab, tac, base, handset, other, hw: hardwareIdForIpei(handset.ipei) };
}

export function post(app: FastifyInstance, url: string, body: Record<string, string>): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Teams devices → Provision devices → Waiting on activation → Add: one MAC address ("00" + IPEI) and its location. */
export async function addInAdminCenter(tac: FastifyInstance, mac: string, location = 'Head office'): Promise<LightMyRequestResponse> {
  return post(tac, '/devices/provision/add', { mac, location });
}

/** Select the device → Generate verification code; returns the code the list then shows. */
export async function generateCodeInAdminCenter(tac: FastifyInstance, hw: string): Promise<string> {
  const res = await post(tac, '/devices/provision/generate-code', { device: hw });
  expect(res.statusCode).toBe(303);
  const page = await tac.inject(res.headers.location as string);
  expect(page.body).toContain('The verification code is valid for 24 hours.');
  const code = new RegExp(`data-code="${hw}">(\\d{6})<`).exec(page.body)?.[1];
  expect(code, `no code for ${formatHardwareId(hw)} on the Waiting on activation tab`).toMatch(/^\d{6}$/);
  return code!;
}

/** The handset's idle Sign in soft key: the pairing screen with the URL and the code; returns the code. */
export function pairingCodeOnHandset(handset: Handset): string {
  handset.press('{soft2}');
  expect(screen(handset)).toEqual(expect.arrayContaining(['Sign in', 'microsoft.com/', 'devicelogin']));
  const code = screen(handset).find((l) => l.startsWith('Code: '))?.slice(6);
  expect(code).toMatch(/^[A-Z0-9]{9}$/);
  return code!;
}

/**
 * The user at https://microsoft.com/devicelogin: enters the code (in lower case: not case sensitive), picks the
 * account, is asked "Are you trying to sign in to Teams SIP devices gateway?" and presses Continue. Returns the last
 * page.
 */
export async function signInOnDeviceLoginPage(tac: FastifyInstance, pairingCode: string, upn: string): Promise<LightMyRequestResponse> {
  const otc = pairingCode.toLowerCase();
  expect((await tac.inject('/devicelogin')).body).toContain('Enter code');
  const pick = await post(tac, '/devicelogin', { otc });
  expect(pick.body, 'the device login page refused the code').toContain('Pick an account');
  expect(pick.body).toContain(upn);
  const approve = await post(tac, '/devicelogin/account', { otc, upn });
  expect(approve.body).toContain(APPROVAL_QUESTION);
  return post(tac, '/devicelogin/approve', { otc, upn, decision: 'continue' });
}

/** `*55*<code>` and green; resolves when the enrollment call has ended (tones played, answer on the screen). */
export async function dialEnrollment(lab: Lab, handset: Handset, code: string): Promise<void> {
  const since = lab.clock.now();
  handset.press(`*55*${code}{green}`);
  await lab.clock.advanceUntil(() => handset.view().tones.some((t) => (t.tone === 'three-busy' || t.tone === 'error') && t.at >= since), MINUTE);
}

/** The enrolled handset, through the admin center and `*55*`: waiting for sign in, idle screen showing Sign in. */
export async function enrollThroughAdminCenter(world: TeamsWorld): Promise<string> {
  const { lab, tac, handset, hw } = world;
  expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
  const code = await generateCodeInAdminCenter(tac, hw);
  await dialEnrollment(lab, handset, code);
  expect(lab.teams.device(hw)?.state).toBe('enrolled');
  await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
  return code;
}
