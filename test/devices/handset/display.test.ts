import { afterEach, describe, expect, it } from 'vitest';
import { clockFace, DISPLAY_COLUMNS, DISPLAY_LINES, renderDisplay } from '../../../src/devices/handset/handset-display.ts';
import type { HandsetContext } from '../../../src/devices/handset/handset-machine.ts';
import { MENU_TOP, positionOf } from '../../../src/devices/handset/handset-menu.ts';
import { ROVE_HANDSET_8_0_PROFILE } from '../../../src/devices/handset/handset-profile.ts';
import { newHandsetRecord } from '../../../src/devices/handset/handset-record.ts';
import type { Lab } from '../../../src/lab/lab.ts';
import { MINUTE, openTestLab } from '../../support/lab.ts';
import { openMenuPath, registerHandset, screen, select, waitForBootedLab } from './steps.ts';

/** 2026-11-02 14:05 UTC: a Monday; 15:05 in Berlin. */
const AFTERNOON = Date.UTC(2026, 10, 2, 14, 5);

describe('Idle screen time (seed 000 known issue: German still shows 12-hour time)', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  async function germanHandsetInBerlin(handsetProfile?: string) {
    lab = await openTestLab(handsetProfile ? { handsetProfile } : {});
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    expect(base.updateSettings({ timeZone: 'Europe/Berlin' }).ok).toBe(true);
    await registerHandset(lab, base, handset!, 1);

    // Menu → Settings → Language → Deutsch.
    openMenuPath(handset!, 'Settings', 'Language', 'Deutsch');
    expect(screen(handset!)[0]).toBe('Einstellungen');
    handset!.press('{red}');
    return handset!;
  }

  it('with German selected, the Rove 8.0 handset shows the time in 12-hour format', async () => {
    const handset = await germanHandsetInBerlin();
    const lines = screen(handset);
    expect(handset.view().language).toBe('de');
    expect(lines[1]).toBe('Mobilteil 1');
    expect(lines[2]).toMatch(/^\d{1,2}:\d{2} (AM|PM)$/);
    expect(lines[3]).toMatch(/^Mo 02\.11\.2026$/);
    expect(lines[5]).toBe('Menü');
  });

  it('a "fixed" firmware profile shows German time in 24-hour format', async () => {
    const handset = await germanHandsetInBerlin('fixed-clock');
    expect(screen(handset)[2]).toMatch(/^\d{2}:\d{2}$/);
  });

  it('the clock follows the base time zone (Europe/Berlin is UTC+1 in November)', () => {
    expect(clockFace(AFTERNOON, 'Europe/Berlin', 'de', 'always-12h')).toEqual({ time: '3:05 PM', date: 'Mo 02.11.2026' });
    expect(clockFace(AFTERNOON, 'Europe/Berlin', 'de', 'per-language')).toEqual({ time: '15:05', date: 'Mo 02.11.2026' });
    expect(clockFace(AFTERNOON, 'UTC', 'en', 'per-language')).toEqual({ time: '2:05 PM', date: 'Mon 11/02/2026' });
    expect(clockFace(AFTERNOON, 'Asia/Tokyo', 'ja', 'per-language')).toEqual({ time: '23:05', date: '2026/11/02(月)' });
    expect(clockFace(Date.UTC(2026, 10, 2, 0, 7), 'UTC', 'fr', 'always-12h').time).toBe('12:07 AM');
  });
});

describe('Languages: the idle screen and the menus the guide uses', () => {
  let lab: Lab;
  afterEach(async () => lab?.close());

  it.each([
    ['Deutsch', ['Einstellungen', 'Konnektivität', 'Anmelden', 'Nicht angemeldet']],
    ['Français', ['Paramètres', 'Connectivité', 'Enregistrer', 'Non enregistré']],
    ['Español', ['Ajustes', 'Conectividad', 'Registrar', 'No registrado']],
    ['Português', ['Configurações', 'Conectividade', 'Registrar', 'Não registrado']],
    ['日本語', ['設定', '接続', '登録', '未登録']],
  ])('%s', async (language, [settings, connectivity, register, unregistered]) => {
    lab = await openTestLab();
    const base = lab.getBase('0004F2A00001')!;
    const [handset] = lab.handsets.values();
    await waitForBootedLab(lab, base, handset!);
    openMenuPath(handset!, 'Settings', 'Language', language);
    handset!.press('{red}');
    expect(screen(handset!)).toContain(unregistered);

    handset!.press('{menu}');
    select(handset!, settings!);
    select(handset!, connectivity!);
    expect(screen(handset!)).toContain(`> ${register}`);
    handset!.press('{ok}');
    await lab.clock.advanceUntil(() => handset!.view().screen === 'notice', MINUTE);
    expect(screen(handset!).join('\n')).not.toMatch(/Registration|No base/);
  });
});

describe('renderDisplay (pure)', () => {
  const context: Parameters<typeof renderDisplay>[0]['context'] = {
    record: newHandsetRecord({ ipei: '0328D12345', model: 'Rove 40', firmware: '8.0.0.0402' }),
    profile: ROVE_HANDSET_8_0_PROFILE,
    timeZone: null,
    menu: MENU_TOP,
    input: '',
    entries: [],
    entryCursor: 0,
    notice: null,
    callee: null,
    ota: null,
    directory: null,
  } satisfies Partial<HandsetContext>;

  it('always gives six lines of twenty characters', () => {
    const lines = renderDisplay({ phase: { power: 'on', link: 'unregistered', ota: null, ui: 'idle' }, context, now: AFTERNOON });
    expect(lines).toHaveLength(DISPLAY_LINES);
    for (const line of lines) expect([...line]).toHaveLength(DISPLAY_COLUMNS);
    expect(lines.map((l) => l.trim())).toEqual(['', 'Rove 40', '', '', 'Unregistered', 'Menu']);
  });

  it('shows a menu with the highlighted row and scrolls to keep it visible', () => {
    const language = positionOf('language-ja')!;
    const lines = renderDisplay({ phase: { power: 'on', link: 'in-service', ota: null, ui: 'menu' }, context: { ...context, menu: language }, now: 0 });
    expect(lines.map((l) => l.trim())).toEqual(['Language', 'Français', 'Español', 'Português', '> 日本語', 'Select          Back']);
  });

  it('shows over-the-air progress in the status bar and the install screen', () => {
    const ota = { to: '8.0.3.0009', percent: 40 };
    const idle = renderDisplay({
      phase: { power: 'on', link: 'in-service', ota: 'transferring', ui: 'idle' },
      context: { ...context, ota, timeZone: 'UTC' },
      now: AFTERNOON,
    });
    expect(idle[0]).toBe('▂▄▆█            ⇩40%');
    expect(idle[2]?.trim()).toBe('2:05 PM');
    const installing = renderDisplay({ phase: { power: 'installing', link: null, ota: null, ui: null }, context: { ...context, ota }, now: 0 });
    expect(installing.map((l) => l.trim())).toEqual(['Firmware update', '', '8.0.3.0009', '100%', 'Do not switch off', '']);
  });

  it('shows the handset info a technician needs for Teams Admin Center', () => {
    const lines = renderDisplay({
      phase: { power: 'on', link: 'in-service', ota: null, ui: 'info' },
      context: { ...context, record: { ...context.record, subscription: { baseMac: '0004F2A00001', slot: 3 } } },
      now: 0,
    });
    expect(lines.map((l) => l.trim())).toEqual([
      'Handset info',
      'IPEI 0328D 12345',
      'Firmware 8.0.0.0402',
      'Base 0004F2A00001',
      'Rove 40  Slot 3',
      'Back',
    ]);
  });
});
