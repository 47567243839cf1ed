/**
 * `lang_xx` in the ConfigURL, through the real provisioning fetch: the base fetches
 * `http://emea.ipp.sdg.teams.microsoft.com/lang_de/00${IPEI}.cfg`, the file carries `%LANGUAGE%: "de"`, and the
 * handset shows its Teams texts in German — the Sign in soft key, the message after `*55*`, the pairing screen
 * [seed 001: "The language setting affects the phones interface, including softkeys and Sign-in/Sign-out system
 * messages"]. The same in Japanese.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.ts';
import { screen } from '../devices/handset/steps.ts';
import { HOUR, MINUTE } from '../support/lab.ts';
import { addInAdminCenter, dialEnrollment, generateCodeInAdminCenter, teamsReadyLab, type TeamsWorld } from './teams-steps.ts';
import { formatHardwareId } from '../../src/cloud/teams/devices/hardware-id.ts';

const LANG_URL = (lang: string) => `http://emea.ipp.sdg.teams.microsoft.com/lang_${lang}/00\${IPEI}.cfg`;

describe('Teams texts on the handset in the language of the provisioning URL', () => {
  let world: TeamsWorld | undefined;
  afterEach(async () => {
    await world?.tac.close();
    await world?.lab.close();
    world = undefined;
  });

  /** Enrolled with `*55*` on a base whose ConfigURL asks for `lang`; returns the screen right after the three busy tones. */
  async function enrolledIn(lang: string): Promise<string[]> {
    world = await teamsReadyLab({ configUrl: LANG_URL(lang) });
    const { lab, tac, handset, hw } = world;
    expect((await addInAdminCenter(tac, formatHardwareId(hw))).statusCode).toBe(303);
    await dialEnrollment(lab, handset, await generateCodeInAdminCenter(tac, hw));
    const afterTones = screen(handset);
    await lab.clock.advanceUntil(() => handset.view().screen === 'idle', MINUTE);
    return afterTones;
  }

  it('lang_de: the file says de, the sign-in screen is German (Anmelden, Gehe zu, Code:, Zurück)', async () => {
    const afterTones = await enrolledIn('de');
    const { base, handset } = world!;
    expect(base.flash.provisioning.applied[handset.ipei]).toMatchObject({ LANGUAGE: 'de' });
    expect(handset.view().tones.at(-1)?.tone).toBe('three-busy');
    expect(afterTones).toContain('Anmelden');
    // The idle screen: the handset's own words are German too (the wiring sets its language from the file).
    expect(screen(handset)).toEqual(['▂▄▆█', 'Mobilteil 1', expect.any(String), expect.stringMatching(/^Mo /), 'Anmelden', expect.stringMatching(/^Menü +Anmelden$/)]);
    handset.press('{soft2}');
    const pairing = screen(handset);
    expect(pairing.slice(0, 4)).toEqual(['Anmelden', 'Gehe zu', 'microsoft.com/', 'devicelogin']);
    expect(pairing[4]).toMatch(/^Code: [A-Z0-9]{9}$/);
    expect(pairing[5]).toBe('Zurück');
    handset.press('{soft2}');
    expect(screen(handset).at(-1)).toMatch(/Anmelden$/);
  });

  it('lang_ja: サインイン, アクセス先, コード: and 戻る on the pairing screen', async () => {
    const afterTones = await enrolledIn('ja');
    const { handset } = world!;
    expect(afterTones).toContain('サインイン');
    expect(screen(handset).at(-1)).toMatch(/^メニュー +サインイン$/);
    handset.press('{soft2}');
    const pairing = screen(handset);
    expect(pairing.slice(0, 4)).toEqual(['サインイン', 'アクセス先', 'microsoft.com/', 'devicelogin']);
    expect(pairing[4]).toMatch(/^コード: [A-Z0-9]{9}$/);
    expect(pairing[5]).toBe('戻る');
  });

  it('the provisioning file the API shows carries the language of the device\'s last fetch, as its record does', async () => {
    await enrolledIn('de');
    const { lab, hw } = world!;
    // The device was added after its first fetches: its record learns the language at the next periodic fetch.
    await lab.clock.advanceUntil(() => lab.teams.device(hw)?.language === 'de', 2 * HOUR);
    const app = await buildApp({ lab });
    try {
      const file = await app.inject(`/api/teams/devices/${world!.hw}/provisioning-file`);
      expect(file.body).toContain('%LANGUAGE%: "de"');
      expect(file.body).toContain('%TEAMS_STATE%: "waiting-for-sign-in"');
      expect((await app.inject(`/api/teams/devices/${world!.hw}/provisioning-file?lang=fr`)).body).toContain('%LANGUAGE%: "fr"');
    } finally {
      await app.close();
    }
  });
});
