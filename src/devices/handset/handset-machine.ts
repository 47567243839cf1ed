/**
 * The Rove 30 / Rove 40 handset firmware as a state machine.
 *
 * ```text
 *            red-long / POWER_ON            powerOn
 *   ┌─────┐ ─────────────────────▶ ┌──────────┐ ─────▶ ┌────────────────────────────────────────────────────────┐
 *   │ off │                        │ starting │        │ on (parallel)                                          │
 *   └─────┘ ◀── powerOff ───────── └──────────┘ ◀─┐    │                                                        │
 *      ▲   ┌──────────┐  red-long (from on)       │    │ keypad: key click on every key                         │
 *      └── │ stopping │ ◀─────────────────────────┼─── │                                                        │
 *          └──────────┘                           │    │ link:  boot ─▶ unregistered ──(registered)──▶ inService │
 *   POWER_OFF (battery out) from any state ─▶ off │    │              └▶ searching ⇄ outOfRange                  │
 *                                                 │    │                   │ base heard                         │
 *          ┌────────────┐   otaInstall            │    │                   ▼                                    │
 *          │ installing │ ────────────────────────┘    │                locating ──locationRegistration──▶ inService
 *          └────────────┘ ◀── image complete ───────── │   inService: current ─▶ fetching ─▶ transferring (otaStep…)
 *                                                      │              ▲   └──────▶ failed ──otaRetry──┘       │
 *                                                      │   base lost ▶ searching / outOfRange; base forgot me ▶ unregistered
 *                                                      │                                                        │
 *                                                      │ ui:    idle ─ok/menu─▶ menu ─Register─▶ scanning ─▶ choosingBase
 *                                                      │          │  ▲            ─▶ enteringCode ─▶ registering ─▶ submitting ─▶ notice
 *                                                      │          │  └── notice ◀─ Deregister ─▶ confirmDeregister ─▶ deregistering ─▶ detaching
 *                                                      │          ├─digit/green─▶ dialling ─green─▶ call (emits dial; handset-phone.ts)
 *                                                      │          ├ Contacts ─▶ directory: typing ─pause─▶ searching ─▶ list ⇄ entry ─green─▶ call
 *                                                      │          │  PHONE_SCREEN (any screen) ─▶ call ─PHONE_DONE─▶ idle
 *                                                      │          └ Handset info ─▶ info
 *                                                      └────────────────────────────────────────────────────────┘
 * ```
 *
 * - The link region follows the radio (`RADIO` events from dect-radio.ts): a subscribed handset searches until it
 *   hears its base, location-registers, and is in service; it falls back to searching when the base stops
 *   transmitting (reboot, power off) and to out of range when the base runs but cannot be heard.
 * - The ui region is what the user sees and drives with keys (`KEY.*` events, handset-keys.ts); the screen is rendered
 *   from context by handset-display.ts. Registration follows the guide: Settings → Connectivity → Register → select
 *   an entry → access code.
 * - Over the air: while in service, if the base distributes a different version for this model, the base fetches the
 *   image and sends it in steps (progress in `ota`), then the handset installs it and restarts.
 * - Every duration is a named delay read from the handset firmware profile (handset-profile.ts).
 * - Contacts: letters by multi-tap; a pause (`directoryKeyPause`) sends the text to the base, which searches its central
 *   directory (Local, LDAP, XSI) and answers entries or a problem; green calls the highlighted entry (handset-directory.ts).
 * - Exchanges with a base go through actors the lab provides (`subscribe`, `detach`, `fetchImage`, `lookUpDirectory`,
 *   `scanForBases`: the DECT radio).
 * - Register: the scan lasts `registrationScan`, then the handset lists the bases in registration mode it hears at that
 *   moment (`scanForBases`, answered in the same instant). The radio therefore tells no handset about other bases'
 *   registration windows: what a handset hears matters to it only through its serving base's beacon (and, until it is
 *   subscribed, the beacon of the base it subscribes to).
 */
import { and, assign, emit, fromPromise, not, setup, stateIn } from 'xstate';
import type { HandsetFirmwareTransfer } from '../base-station/base-flash.ts';
import type { FirmwareFetchResult } from '../base-station/base-machine.ts';
import type {
  BaseBeacon,
  DetachInput,
  DirectoryLookupInput,
  HandsetImageInput,
  ScanInput,
  SubscribeInput,
  SubscribeOutcome,
} from '../../air/dect-radio.ts';
import {
  enter,
  highlighted,
  leave,
  MENU_TOP,
  type MenuAction,
  type MenuPosition,
  moveCursor,
} from './handset-menu.ts';
import type { KeyEvent } from './handset-keys.ts';
import type { DirectoryAnswer } from '../base-station/central-directory.ts';
import {
  chosenNumber,
  closeEntry,
  deleteLetter,
  type DirectoryScreen,
  EMPTY_DIRECTORY,
  hasEntries,
  moveDirectoryCursor,
  openEntry,
  settleLetter,
  typeKey,
  withAnswer,
} from './handset-directory.ts';
import type { HandsetFirmwareProfile } from './handset-profile.ts';
import type { HandsetRecord, Language } from './handset-record.ts';
import type { TextKey } from './handset-text.ts';

/** Tones the handset plays, as events (consoles show or play them). */
export type Tone = 'key-click' | 'confirmation' | 'error' | 'busy' | 'three-busy' | 'out-of-range' | 'ringing' | 'ringback';

export interface Notice {
  lines: readonly TextKey[];
  /** Where the screen goes when the notice is dismissed. */
  then: 'idle' | 'menu';
}

export interface RegisterEntry {
  mac: string;
  label: string;
}

export interface HandsetContext {
  /** The handset's persisted state (lab document). */
  record: HandsetRecord;
  profile: Readonly<HandsetFirmwareProfile>;
  /** Bases the radio lets this handset hear now. */
  heard: readonly BaseBeacon[];
  /** The radio says: its base is up but not reachable from here. */
  outOfRange: boolean;
  /** The time zone taken from the base at location registration; null until synchronised since power-on. */
  timeZone: string | null;
  menu: MenuPosition;
  /** Digits typed: the number being dialled or the access code. */
  input: string;
  /** Connectivity → Register: the bases found in registration mode. */
  entries: readonly RegisterEntry[];
  entryCursor: number;
  chosenBase: string | null;
  notice: Notice | null;
  callee: string | null;
  /** Over-the-air update in progress (or failed, waiting to retry). */
  ota: HandsetFirmwareTransfer | null;
  /** Menu → Contacts: the search and the base's answer (null outside it). */
  directory: DirectoryScreen | null;
}

export type HandsetEvent =
  | KeyEvent
  /** Battery in / out: immediate, unlike the red key. */
  | { type: 'POWER_ON' }
  | { type: 'POWER_OFF' }
  | { type: 'RADIO'; heard: readonly BaseBeacon[]; outOfRange: boolean }
  | { type: 'SET_PLACEMENT'; site?: string; outOfRange?: boolean }
  | { type: 'SET_LANGUAGE'; language: Language }
  | { type: 'SET_NAME'; name: string | null }
  /** The line shown on the idle screen (handset-phone.ts; null: no line). */
  | { type: 'SET_LINE'; line: string | null }
  /** The phone (handset-phone.ts) takes the screen: a call rings, or a Teams sign-in screen opens. */
  | { type: 'PHONE_SCREEN' }
  /** The phone is done with the screen (call over, sign-in screen closed). */
  | { type: 'PHONE_DONE' };

export type HandsetEmitted = { type: 'tone'; tone: Tone } | { type: 'dial'; number: string };

export interface HandsetInput {
  record: HandsetRecord;
  profile: Readonly<HandsetFirmwareProfile>;
}

const REFUSALS: Readonly<Record<Extract<SubscribeOutcome, { ok: false }>['reason'], TextKey>> = {
  'wrong-code': 'wrongAccessCode',
  'window-closed': 'notInRegistrationMode',
  'base-full': 'baseFull',
  'slot-taken': 'slotTaken',
  'no-base': 'noBaseFound',
};

/**
 * The heard lists indexed by subscribed MAC, built on first use: a site's list is shared by its handsets and read by
 * several guards per event (a `find` over some 25 beacons each time). The first beacon of a MAC wins, as `find` would.
 */
const HEARD_BY_MAC = new WeakMap<readonly BaseBeacon[], Map<string, BaseBeacon>>();

function servingBeacon(context: HandsetContext): BaseBeacon | undefined {
  return beaconIn(context.heard, context.record.subscription?.baseMac);
}

function beaconIn(heard: readonly BaseBeacon[], mac: string | undefined): BaseBeacon | undefined {
  if (mac === undefined) return undefined;
  if (heard.length < 4) return heard.find((b) => b.mac === mac);
  let byMac = HEARD_BY_MAC.get(heard);
  if (!byMac) {
    byMac = new Map();
    for (const beacon of heard) if (!byMac.has(beacon.mac)) byMac.set(beacon.mac, beacon);
    HEARD_BY_MAC.set(heard, byMac);
  }
  return byMac.get(mac);
}

function offeredFirmware(context: HandsetContext): string | null {
  return servingBeacon(context)?.handsetFirmware[context.record.model] ?? null;
}

function menuActionIs(position: MenuPosition, kind: MenuAction['kind']): boolean {
  return highlighted(position)?.action?.kind === kind;
}

/** Green without the base (out of range, searching): "No service" and the error tone, then the idle screen. */
const NO_SERVICE_ON_GREEN = {
  guard: not(stateIn('#handset.on.link.inService')),
  target: 'notice',
  actions: [
    { type: 'showNotice', params: { lines: ['noService'], then: 'idle' } },
    { type: 'tone', params: { tone: 'error' } },
  ],
} as const;

/** The scan found no base in registration mode (or could not ask). */
const NO_BASE_FOUND = [
  { type: 'showNotice', params: { lines: ['registrationFailed', 'noBaseFound'], then: 'menu' } },
  { type: 'tone', params: { tone: 'error' } },
] as const;

/** Contacts: what Back does (an open entry closes, else the last letter goes, else the menu comes back). */
const DIRECTORY_BACK = [
  { guard: 'directoryEntryOpen', target: '.list', actions: 'directoryClose' },
  { guard: 'directoryHasQuery', target: '.typing', reenter: true, actions: 'directoryDelete' },
  { target: 'menu' },
] as const;

export const handsetMachine = setup({
  types: {
    context: {} as HandsetContext,
    events: {} as HandsetEvent,
    input: {} as HandsetInput,
    emitted: {} as HandsetEmitted,
  },
  actors: {
    subscribe: fromPromise<SubscribeOutcome, SubscribeInput>(async () => {
      throw new Error('subscribe must be provided by the lab');
    }),
    detach: fromPromise<{ reachedBase: boolean }, DetachInput>(async () => {
      throw new Error('detach must be provided by the lab');
    }),
    fetchImage: fromPromise<FirmwareFetchResult, HandsetImageInput>(async () => {
      throw new Error('fetchImage must be provided by the lab');
    }),
    lookUpDirectory: fromPromise<DirectoryAnswer, DirectoryLookupInput>(async () => {
      throw new Error('lookUpDirectory must be provided by the lab');
    }),
    scanForBases: fromPromise<readonly RegisterEntry[], ScanInput>(async () => {
      throw new Error('scanForBases must be provided by the lab');
    }),
  },
  delays: {
    powerOn: ({ context }) => context.profile.powerOnMs,
    powerOff: ({ context }) => context.profile.powerOffMs,
    locationRegistration: ({ context }) => context.profile.locationRegistrationMs,
    registrationScan: ({ context }) => context.profile.registrationScanMs,
    registrationHandshake: ({ context }) => context.profile.registrationHandshakeMs,
    deregistration: ({ context }) => context.profile.deregistrationMs,
    notice: ({ context }) => context.profile.noticeMs,
    otaStep: ({ context }) => (context.profile.otaTransferMs * context.profile.otaStepPercent) / 100,
    otaInstall: ({ context }) => context.profile.otaInstallMs,
    otaRetry: ({ context }) => context.profile.otaRetryMs,
    directoryKeyPause: ({ context }) => context.profile.directoryKeyPauseMs,
  },
  guards: {
    /** Not the long press: it is the `on` state's (power off), and a region's transition would pre-empt it. */
    keyClicks: ({ context, event }) => context.profile.keyClick && event.type !== 'KEY.RED_LONG',
    hasSubscription: ({ context }) => context.record.subscription !== null,
    servingBaseHeard: ({ context }) => servingBeacon(context) !== undefined,
    /** The base is heard but no longer lists this handset (deregistered from the web admin). */
    dismissedByBase: ({ context }) => {
      const beacon = servingBeacon(context);
      return beacon !== undefined && !beacon.subscribers.includes(context.record.ipei);
    },
    showOutOfRange: ({ context }) => context.profile.showOutOfRange && context.outOfRange,
    firmwareOffered: ({ context }) => {
      const target = offeredFirmware(context);
      return target !== null && target !== context.record.firmware;
    },
    otaTargetChanged: ({ context }) => context.ota !== null && offeredFirmware(context) !== context.ota.to,
    imageFetched: ({ event }) => 'output' in event && (event.output as FirmwareFetchResult).ok,
    otaComplete: ({ context }) => context.ota !== null && context.ota.percent >= 100,
    itemHasSubmenu: ({ context }) => highlighted(context.menu)?.children !== undefined,
    itemIs: ({ context }, params: { kind: MenuAction['kind'] }) => menuActionIs(context.menu, params.kind),
    atMenuTop: ({ context }) => context.menu.path.length === 0,
    basesFound: ({ event }) => 'output' in event && (event.output as readonly RegisterEntry[]).length > 0,
    chosenBaseIsAnother: ({ context }) => {
      const entry = context.entries[context.entryCursor];
      return context.record.subscription !== null && entry !== undefined && entry.mac !== context.record.subscription.baseMac;
    },
    hasInput: ({ context }) => context.input.length > 0,
    inputAtMostOne: ({ context }) => context.input.length <= 1,
    subscribed: ({ event }) => 'output' in event && (event.output as SubscribeOutcome).ok,
    noticeBackToMenu: ({ context }) => context.notice?.then === 'menu',
    directoryHasQuery: ({ context }) => (context.directory?.query.length ?? 0) > 0,
    directoryHasEntries: ({ context }) => hasEntries(context.directory),
    directoryEntryOpen: ({ context }) => context.directory?.opened != null,
    directoryHasChoice: ({ context }) => chosenNumber(context.directory) !== null,
  },
  actions: {
    keyClick: emit({ type: 'tone', tone: 'key-click' } as const),
    tone: emit((_, params: { tone: Tone }) => ({ type: 'tone' as const, tone: params.tone })),
    markPoweredOn: assign(({ context }) => ({ record: { ...context.record, powered: true } })),
    markOff: assign(({ context }) => ({
      record: context.record.powered ? { ...context.record, powered: false } : context.record,
      timeZone: null,
      ota: null,
      menu: MENU_TOP,
      input: '',
      entries: [],
      chosenBase: null,
      notice: null,
      callee: null,
      directory: null,
    })),
    resetUi: assign({ menu: MENU_TOP, input: '', entries: [], entryCursor: 0, chosenBase: null, callee: null, directory: null }),
    hearRadio: assign(({ context, event }) => {
      if (event.type !== 'RADIO') return {};
      // While linked (clock synchronised), the handset's clock follows the base's time zone.
      const beacon = beaconIn(event.heard, context.record.subscription?.baseMac);
      const timeZone = beacon && context.timeZone !== null ? beacon.timeZone : context.timeZone;
      return { heard: event.heard, outOfRange: event.outOfRange, timeZone };
    }),
    setPlacement: assign(({ context, event }) => {
      if (event.type !== 'SET_PLACEMENT') return {};
      return {
        record: {
          ...context.record,
          site: event.site ?? context.record.site,
          outOfRange: event.outOfRange ?? context.record.outOfRange,
        },
      };
    }),
    setLanguageFromEvent: assign(({ context, event }) =>
      event.type === 'SET_LANGUAGE' ? { record: { ...context.record, language: event.language } } : {},
    ),
    setName: assign(({ context, event }) => (event.type === 'SET_NAME' ? { record: { ...context.record, name: event.name } } : {})),
    syncWithBase: assign(({ context }) => ({ timeZone: servingBeacon(context)?.timeZone ?? context.timeZone })),
    forgetSubscription: assign(({ context }) => ({ record: { ...context.record, subscription: null } })),
    dropOta: assign({ ota: null }),
    otaStart: assign(({ context }) => ({ ota: { to: offeredFirmware(context) ?? context.record.firmware, percent: 0 } })),
    otaFailed: assign(({ context, event }) => {
      const output = 'output' in event ? (event.output as FirmwareFetchResult) : undefined;
      const error =
        output && !output.ok
          ? { code: output.code, message: output.message }
          : { code: 'FWU-02', message: `Handset image transfer failed: ${'error' in event ? String(event.error) : 'unknown error'}` };
      return { ota: { to: context.ota?.to ?? '', percent: 0, error } };
    }),
    otaProgress: assign(({ context }) =>
      context.ota ? { ota: { ...context.ota, percent: Math.min(100, context.ota.percent + context.profile.otaStepPercent) } } : {},
    ),
    installFirmware: assign(({ context }) => ({
      record: { ...context.record, firmware: context.ota?.to || context.record.firmware },
      ota: null,
    })),
    openMainMenu: assign({ menu: MENU_TOP }),
    menuUp: assign(({ context }) => ({ menu: moveCursor(context.menu, -1) })),
    menuDown: assign(({ context }) => ({ menu: moveCursor(context.menu, 1) })),
    menuEnter: assign(({ context }) => ({ menu: enter(context.menu) })),
    menuLeave: assign(({ context }) => ({ menu: leave(context.menu) })),
    setLanguageFromMenu: assign(({ context }) => {
      const action = highlighted(context.menu)?.action;
      return action?.kind === 'language' ? { record: { ...context.record, language: action.language } } : {};
    }),
    appendDialKey: assign(({ context, event }) =>
      event.type === 'KEY.DIAL' && context.input.length < 32 ? { input: context.input + event.key } : {},
    ),
    appendCodeDigit: assign(({ context, event }) =>
      event.type === 'KEY.DIAL' && /\d/.test(event.key) && context.input.length < 8 ? { input: context.input + event.key } : {},
    ),
    deleteLast: assign(({ context }) => ({ input: context.input.slice(0, -1) })),
    listEntries: assign(({ event }) => ({
      entries: 'output' in event ? (event.output as readonly RegisterEntry[]) : [],
      entryCursor: 0,
    })),
    entryUp: assign(({ context }) => ({
      entryCursor: (context.entryCursor - 1 + context.entries.length) % Math.max(1, context.entries.length),
    })),
    entryDown: assign(({ context }) => ({ entryCursor: (context.entryCursor + 1) % Math.max(1, context.entries.length) })),
    chooseEntry: assign(({ context }) => ({ chosenBase: context.entries[context.entryCursor]?.mac ?? null, input: '' })),
    storeSubscription: assign(({ context, event }) => {
      const output = 'output' in event ? (event.output as SubscribeOutcome) : undefined;
      if (!output?.ok || context.chosenBase === null) return {};
      return { record: { ...context.record, subscription: { baseMac: context.chosenBase, slot: output.slot } } };
    }),
    showNotice: assign((_, params: Notice) => ({ notice: params })),
    noticeRefused: assign(({ event }) => {
      const output = 'output' in event ? (event.output as SubscribeOutcome) : undefined;
      const reason: TextKey = output && !output.ok ? REFUSALS[output.reason] : 'noBaseFound';
      return { notice: { lines: ['registrationFailed', reason], then: 'menu' } satisfies Notice };
    }),
    startCall: assign(({ context }) => ({ callee: context.input })),
    dial: emit(({ context }) => ({ type: 'dial' as const, number: context.input })),
    openDirectory: assign({ directory: EMPTY_DIRECTORY }),
    directoryType: assign(({ context, event }) =>
      event.type === 'KEY.DIAL' ? { directory: typeKey(context.directory ?? EMPTY_DIRECTORY, event.key) } : {},
    ),
    directorySettle: assign(({ context }) => ({ directory: settleLetter(context.directory ?? EMPTY_DIRECTORY) })),
    directoryDelete: assign(({ context }) => ({ directory: deleteLetter(context.directory ?? EMPTY_DIRECTORY) })),
    directoryAnswer: assign(({ context, event }) => {
      const answer: DirectoryAnswer =
        'output' in event ? (event.output as DirectoryAnswer) : { ok: false, problem: 'no-service', detail: 'error' in event ? String(event.error) : 'no answer' };
      return { directory: withAnswer(context.directory ?? EMPTY_DIRECTORY, answer) };
    }),
    directoryUp: assign(({ context }) => ({ directory: moveDirectoryCursor(context.directory ?? EMPTY_DIRECTORY, -1) })),
    directoryDown: assign(({ context }) => ({ directory: moveDirectoryCursor(context.directory ?? EMPTY_DIRECTORY, 1) })),
    directoryOpen: assign(({ context }) => ({ directory: openEntry(context.directory ?? EMPTY_DIRECTORY) })),
    directoryClose: assign(({ context }) => ({ directory: closeEntry(context.directory ?? EMPTY_DIRECTORY) })),
    /** The chosen number becomes what is dialled (startCall and dial read `input`). */
    takeDirectoryNumber: assign(({ context }) => ({ input: chosenNumber(context.directory)?.number ?? '' })),
    setLine: assign(({ context, event }) =>
      event.type === 'SET_LINE' && event.line !== context.record.line ? { record: { ...context.record, line: event.line } } : {},
    ),
  },
}).createMachine({
  id: 'handset',
  context: ({ input }) => ({
    record: input.record,
    profile: input.profile,
    heard: [],
    outOfRange: false,
    timeZone: null,
    menu: MENU_TOP,
    input: '',
    entries: [],
    entryCursor: 0,
    chosenBase: null,
    notice: null,
    callee: null,
    ota: null,
    directory: null,
  }),
  initial: 'off',
  on: {
    RADIO: { actions: 'hearRadio' },
    SET_PLACEMENT: { actions: 'setPlacement' },
    SET_LANGUAGE: { actions: 'setLanguageFromEvent' },
    SET_NAME: { actions: 'setName' },
    SET_LINE: { actions: 'setLine' },
  },
  states: {
    off: {
      entry: 'markOff',
      on: {
        'KEY.RED_LONG': { target: 'starting', actions: 'markPoweredOn' },
        POWER_ON: { target: 'starting', actions: 'markPoweredOn' },
      },
    },
    starting: {
      after: { powerOn: 'on' },
      on: { POWER_OFF: 'off' },
    },
    stopping: {
      after: { powerOff: 'off' },
      on: { POWER_OFF: 'off' },
    },
    installing: {
      after: { otaInstall: { target: 'starting', actions: 'installFirmware' } },
      // A battery pulled during installation leaves the old firmware: the new one is committed at the end.
      on: { POWER_OFF: 'off' },
    },
    on: {
      type: 'parallel',
      on: {
        'KEY.RED_LONG': 'stopping',
        POWER_OFF: 'off',
      },
      states: {
        keypad: {
          on: { 'KEY.*': { guard: 'keyClicks', actions: 'keyClick' } },
        },
        link: {
          initial: 'boot',
          states: {
            boot: {
              always: [{ guard: 'hasSubscription', target: 'searching' }, { target: 'unregistered' }],
            },
            unregistered: {
              entry: 'dropOta',
              always: [
                { guard: and(['hasSubscription', 'servingBaseHeard']), target: 'inService', actions: 'syncWithBase' },
                { guard: 'hasSubscription', target: 'searching' },
              ],
            },
            searching: {
              entry: 'dropOta',
              always: [
                { guard: not('hasSubscription'), target: 'unregistered' },
                { guard: 'dismissedByBase', target: 'unregistered', actions: 'forgetSubscription' },
                { guard: 'servingBaseHeard', target: 'locating' },
                { guard: 'showOutOfRange', target: 'outOfRange' },
              ],
            },
            outOfRange: {
              entry: ['dropOta', { type: 'tone', params: { tone: 'out-of-range' } }],
              always: [
                { guard: not('hasSubscription'), target: 'unregistered' },
                { guard: 'servingBaseHeard', target: 'locating' },
                { guard: not('showOutOfRange'), target: 'searching' },
              ],
            },
            locating: {
              after: { locationRegistration: { target: 'inService', actions: 'syncWithBase' } },
              always: [
                { guard: not('hasSubscription'), target: 'unregistered' },
                { guard: 'dismissedByBase', target: 'unregistered', actions: 'forgetSubscription' },
                { guard: not('servingBaseHeard'), target: 'searching' },
              ],
            },
            inService: {
              always: [
                { guard: not('hasSubscription'), target: 'unregistered' },
                { guard: 'dismissedByBase', target: 'unregistered', actions: 'forgetSubscription' },
                { guard: and([not('servingBaseHeard'), 'showOutOfRange']), target: 'outOfRange' },
                { guard: not('servingBaseHeard'), target: 'searching' },
              ],
              initial: 'current',
              states: {
                current: {
                  always: { guard: 'firmwareOffered', target: 'fetching' },
                },
                fetching: {
                  entry: 'otaStart',
                  invoke: {
                    src: 'fetchImage',
                    input: ({ context }) => ({
                      baseMac: context.record.subscription!.baseMac,
                      model: context.record.model,
                      version: context.ota!.to,
                    }),
                    onDone: [{ guard: 'imageFetched', target: 'transferring' }, { target: 'failed', actions: 'otaFailed' }],
                    onError: { target: 'failed', actions: 'otaFailed' },
                  },
                },
                transferring: {
                  always: [
                    { guard: 'otaComplete', target: '#handset.installing' },
                    { guard: 'otaTargetChanged', target: 'current', actions: 'dropOta' },
                  ],
                  after: { otaStep: { target: 'transferring', reenter: true, actions: 'otaProgress' } },
                },
                failed: {
                  always: { guard: 'otaTargetChanged', target: 'current', actions: 'dropOta' },
                  after: { otaRetry: { target: 'current', actions: 'dropOta' } },
                },
              },
            },
          },
        },
        ui: {
          initial: 'idle',
          on: { PHONE_SCREEN: '.call' },
          states: {
            idle: {
              entry: 'resetUi',
              on: {
                'KEY.OK': { target: 'menu', actions: 'openMainMenu' },
                'KEY.MENU': { target: 'menu', actions: 'openMainMenu' },
                'KEY.SOFT1': { target: 'menu', actions: 'openMainMenu' },
                'KEY.DIAL': { target: 'dialling', actions: 'appendDialKey' },
                'KEY.GREEN': 'dialling',
              },
            },
            menu: {
              on: {
                'KEY.UP': { actions: 'menuUp' },
                'KEY.DOWN': { actions: 'menuDown' },
                'KEY.OK': { target: 'menuSelect' },
                'KEY.SOFT1': { target: 'menuSelect' },
                'KEY.RIGHT': { target: 'menuSelect' },
                'KEY.SOFT2': [{ guard: 'atMenuTop', target: 'idle' }, { actions: 'menuLeave' }],
                'KEY.LEFT': [{ guard: 'atMenuTop', target: 'idle' }, { actions: 'menuLeave' }],
                'KEY.RED': 'idle',
              },
            },
            /** Transient: what selecting the highlighted item does. */
            menuSelect: {
              always: [
                { guard: 'itemHasSubmenu', target: 'menu', actions: 'menuEnter' },
                { guard: { type: 'itemIs', params: { kind: 'register' } }, target: 'scanning' },
                { guard: { type: 'itemIs', params: { kind: 'directory' } }, target: 'directory', actions: 'openDirectory' },
                {
                  guard: and([{ type: 'itemIs', params: { kind: 'deregister' as const } }, 'hasSubscription']),
                  target: 'confirmDeregister',
                },
                {
                  guard: { type: 'itemIs', params: { kind: 'deregister' } },
                  target: 'notice',
                  actions: [{ type: 'showNotice', params: { lines: ['unregistered'], then: 'menu' } }, { type: 'tone', params: { tone: 'error' } }],
                },
                { guard: { type: 'itemIs', params: { kind: 'handset-info' } }, target: 'info' },
                {
                  guard: { type: 'itemIs', params: { kind: 'language' } },
                  target: 'menu',
                  actions: ['setLanguageFromMenu', { type: 'tone', params: { tone: 'confirmation' } }, 'menuLeave'],
                },
                {
                  guard: { type: 'itemIs', params: { kind: 'empty-list' } },
                  target: 'notice',
                  actions: { type: 'showNotice', params: { lines: ['noEntries'], then: 'menu' } },
                },
                { target: 'menu' },
              ],
            },
            /** Connectivity → Register: listening for bases in registration mode, then listing the ones heard. */
            scanning: {
              initial: 'listening',
              on: { 'KEY.SOFT2': 'menu', 'KEY.RED': 'idle' },
              states: {
                listening: {
                  after: { registrationScan: 'listing' },
                },
                listing: {
                  invoke: {
                    src: 'scanForBases',
                    input: ({ context }) => ({ ipei: context.record.ipei }),
                    onDone: [
                      { guard: 'basesFound', target: '#handset.on.ui.choosingBase', actions: 'listEntries' },
                      { target: '#handset.on.ui.notice', actions: NO_BASE_FOUND },
                    ],
                    onError: { target: '#handset.on.ui.notice', actions: NO_BASE_FOUND },
                  },
                },
              },
            },
            choosingBase: {
              on: {
                'KEY.UP': { actions: 'entryUp' },
                'KEY.DOWN': { actions: 'entryDown' },
                'KEY.OK': 'entrySelect',
                'KEY.SOFT1': 'entrySelect',
                'KEY.SOFT2': 'menu',
                'KEY.LEFT': 'menu',
                'KEY.RED': 'idle',
              },
            },
            /** Transient: an entry of the Register list was selected. */
            entrySelect: {
              always: [
                {
                  guard: 'chosenBaseIsAnother',
                  target: 'notice',
                  actions: [
                    { type: 'showNotice', params: { lines: ['alreadyRegistered', 'deregisterFirst'], then: 'menu' } },
                    { type: 'tone', params: { tone: 'error' } },
                  ],
                },
                { target: 'enteringCode', actions: 'chooseEntry' },
              ],
            },
            enteringCode: {
              on: {
                'KEY.DIAL': { actions: 'appendCodeDigit' },
                'KEY.SOFT2': [{ guard: 'hasInput', actions: 'deleteLast' }, { target: 'choosingBase' }],
                'KEY.LEFT': [{ guard: 'hasInput', actions: 'deleteLast' }, { target: 'choosingBase' }],
                'KEY.OK': { guard: 'hasInput', target: 'registering' },
                'KEY.SOFT1': { guard: 'hasInput', target: 'registering' },
                'KEY.RED': 'idle',
              },
            },
            registering: {
              after: { registrationHandshake: 'submitting' },
            },
            submitting: {
              invoke: {
                src: 'subscribe',
                input: ({ context }) => ({
                  baseMac: context.chosenBase ?? '',
                  ipei: context.record.ipei,
                  model: context.record.model,
                  firmware: context.record.firmware,
                  accessCode: context.input,
                }),
                onDone: [
                  {
                    guard: 'subscribed',
                    target: 'notice',
                    actions: [
                      'storeSubscription',
                      { type: 'showNotice', params: { lines: ['registered'], then: 'idle' } },
                      { type: 'tone', params: { tone: 'confirmation' } },
                    ],
                  },
                  { target: 'notice', actions: ['noticeRefused', { type: 'tone', params: { tone: 'error' } }] },
                ],
                onError: {
                  target: 'notice',
                  actions: ['noticeRefused', { type: 'tone', params: { tone: 'error' } }],
                },
              },
            },
            confirmDeregister: {
              on: {
                'KEY.SOFT1': 'deregistering',
                'KEY.OK': 'deregistering',
                'KEY.SOFT2': 'menu',
                'KEY.LEFT': 'menu',
                'KEY.RED': 'idle',
              },
            },
            deregistering: {
              after: { deregistration: 'detaching' },
            },
            detaching: {
              invoke: {
                src: 'detach',
                input: ({ context }) => ({ baseMac: context.record.subscription?.baseMac ?? '', ipei: context.record.ipei }),
                onDone: {
                  target: 'notice',
                  actions: [
                    'forgetSubscription',
                    { type: 'showNotice', params: { lines: ['deregistered'], then: 'idle' } },
                    { type: 'tone', params: { tone: 'confirmation' } },
                  ],
                },
                onError: {
                  target: 'notice',
                  actions: [
                    'forgetSubscription',
                    { type: 'showNotice', params: { lines: ['deregistered'], then: 'idle' } },
                    { type: 'tone', params: { tone: 'confirmation' } },
                  ],
                },
              },
            },
            info: {
              on: { 'KEY.OK': 'menu', 'KEY.SOFT2': 'menu', 'KEY.LEFT': 'menu', 'KEY.RED': 'idle' },
            },
            dialling: {
              on: {
                'KEY.DIAL': { actions: 'appendDialKey' },
                'KEY.SOFT2': [{ guard: 'inputAtMostOne', target: 'idle' }, { actions: 'deleteLast' }],
                'KEY.LEFT': [{ guard: 'inputAtMostOne', target: 'idle' }, { actions: 'deleteLast' }],
                'KEY.GREEN': [
                  {
                    guard: and([stateIn('#handset.on.link.inService'), 'hasInput']),
                    target: 'call',
                    actions: ['startCall', 'dial'],
                  },
                  NO_SERVICE_ON_GREEN,
                ],
                'KEY.RED': 'idle',
              },
            },
            /**
             * Menu → Contacts: the search box and the base's answer. Every digit types (multi-tap) and restarts the pause;
             * after it the base is asked; the answer is listed. OK opens an entry's numbers; green calls.
             */
            directory: {
              initial: 'searching',
              on: {
                'KEY.DIAL': { target: '.typing', reenter: true, actions: 'directoryType' },
                // Back (right soft key or left arrow): close the entry, else delete a letter, else leave for the menu.
                'KEY.SOFT2': DIRECTORY_BACK,
                'KEY.LEFT': DIRECTORY_BACK,
                'KEY.UP': { actions: 'directoryUp' },
                'KEY.DOWN': { actions: 'directoryDown' },
                'KEY.GREEN': [
                  {
                    guard: and([stateIn('#handset.on.link.inService'), 'directoryHasChoice']),
                    target: 'call',
                    actions: ['takeDirectoryNumber', 'startCall', 'dial'],
                  },
                  NO_SERVICE_ON_GREEN,
                ],
                'KEY.RED': 'idle',
              },
              states: {
                /** A key was typed: the letter stays open for the pause, then the base is asked. */
                typing: {
                  after: { directoryKeyPause: { target: 'searching', actions: 'directorySettle' } },
                },
                searching: {
                  invoke: {
                    src: 'lookUpDirectory',
                    input: ({ context }) => ({
                      baseMac: context.record.subscription?.baseMac ?? '',
                      ipei: context.record.ipei,
                      query: context.directory?.query ?? '',
                    }),
                    onDone: { target: 'list', actions: 'directoryAnswer' },
                    onError: { target: 'list', actions: 'directoryAnswer' },
                  },
                },
                list: {
                  on: {
                    'KEY.OK': { guard: 'directoryHasEntries', target: 'entry', actions: 'directoryOpen' },
                    'KEY.SOFT1': { guard: 'directoryHasEntries', target: 'entry', actions: 'directoryOpen' },
                    'KEY.RIGHT': { guard: 'directoryHasEntries', target: 'entry', actions: 'directoryOpen' },
                  },
                },
                /** One entry's numbers: up/down choose, OK or green calls. */
                entry: {
                  on: {
                    'KEY.OK': {
                      guard: and([stateIn('#handset.on.link.inService'), 'directoryHasChoice']),
                      target: '#handset.on.ui.call',
                      actions: ['takeDirectoryNumber', 'startCall', 'dial'],
                    },
                    'KEY.SOFT1': {
                      guard: and([stateIn('#handset.on.link.inService'), 'directoryHasChoice']),
                      target: '#handset.on.ui.call',
                      actions: ['takeDirectoryNumber', 'startCall', 'dial'],
                    },
                  },
                },
              },
            },
            /**
             * The phone's screen (handset-phone.ts): a call (placed, ringing, connected) or a Teams sign-in screen. Keys
             * go to the phone; it says PHONE_DONE when it is over. Losing service ends it here.
             */
            call: {
              always: {
                guard: not(stateIn('#handset.on.link.inService')),
                target: 'notice',
                actions: { type: 'showNotice', params: { lines: ['callEnded'], then: 'idle' } },
              },
              on: { PHONE_DONE: 'idle' },
            },
            notice: {
              after: { notice: 'noticeDone' },
              on: { 'KEY.OK': 'noticeDone', 'KEY.SOFT1': 'noticeDone', 'KEY.SOFT2': 'noticeDone', 'KEY.RED': 'idle' },
            },
            /** Transient: a notice timed out or was dismissed. */
            noticeDone: {
              always: [{ guard: 'noticeBackToMenu', target: 'menu' }, { target: 'idle' }],
            },
          },
        },
      },
    },
  },
});

export type HandsetMachine = typeof handsetMachine;

export type PowerPhase = 'off' | 'starting' | 'stopping' | 'installing' | 'on';
export type LinkPhase = 'unregistered' | 'searching' | 'out-of-range' | 'locating' | 'in-service';
export type OtaPhase = 'current' | 'fetching' | 'transferring' | 'failed';
export type UiPhase =
  | 'idle'
  | 'menu'
  | 'scanning'
  | 'choosing-base'
  | 'entering-code'
  | 'registering'
  | 'confirm-deregister'
  | 'deregistering'
  | 'info'
  | 'dialling'
  | 'directory'
  | 'call'
  | 'notice';

/** The machine's state flattened for views: power, link, over-the-air step and screen. */
export interface HandsetPhase {
  power: PowerPhase;
  link: LinkPhase | null;
  ota: OtaPhase | null;
  ui: UiPhase | null;
}

const LINK_PHASES: Readonly<Record<string, LinkPhase>> = {
  boot: 'searching',
  unregistered: 'unregistered',
  searching: 'searching',
  outOfRange: 'out-of-range',
  locating: 'locating',
  inService: 'in-service',
};

const UI_PHASES: Readonly<Record<string, UiPhase>> = {
  idle: 'idle',
  menu: 'menu',
  menuSelect: 'menu',
  scanning: 'scanning',
  choosingBase: 'choosing-base',
  entrySelect: 'choosing-base',
  enteringCode: 'entering-code',
  registering: 'registering',
  submitting: 'registering',
  confirmDeregister: 'confirm-deregister',
  deregistering: 'deregistering',
  detaching: 'deregistering',
  info: 'info',
  dialling: 'dialling',
  directory: 'directory',
  call: 'call',
  notice: 'notice',
  noticeDone: 'notice',
};

/** Every screen a handset view can show (a condition's `screen`: checked at load against these). */
export const UI_SCREENS: readonly UiPhase[] = [...new Set(Object.values(UI_PHASES))];

/** Flattens a snapshot value of {@link handsetMachine}. */
export function phaseOf(value: unknown): HandsetPhase {
  if (typeof value === 'string') return { power: value as PowerPhase, link: null, ota: null, ui: null };
  const on = (value as { on?: { link?: unknown; ui?: unknown } }).on ?? {};
  const link = on.link;
  const linkName = typeof link === 'string' ? link : Object.keys(link ?? {})[0] ?? 'boot';
  const ota = typeof link === 'object' && link !== null ? ((link as { inService?: string }).inService as OtaPhase | undefined) : undefined;
  return {
    power: 'on',
    link: LINK_PHASES[linkName] ?? 'searching',
    ota: ota ?? null,
    // A screen with states of its own (Contacts) is an object: its name is its key.
    ui: UI_PHASES[typeof on.ui === 'object' && on.ui !== null ? (Object.keys(on.ui)[0] ?? '') : String(on.ui)] ?? 'idle',
  };
}
