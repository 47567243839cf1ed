/**
 * The Rove B2/B4 base station firmware as a state machine.
 *
 * ```text
 *            POWER_ON                 boot                       REBOOT (idle) / FORCED_REBOOT / FACTORY_RESET
 *   ┌─────┐ ─────────▶ ┌─────────┐ ─────────▶ ┌───────────────────────────────┐ ─────────────────▶ ┌───────────┐
 *   │ off │            │ booting │            │ running (parallel)            │   firmware installed│ rebooting │
 *   └─────┘ ◀───────── └─────────┘            │  firmware:     scheduled ─▶ checking ─▶ downloading│           │
 *      ▲     POWER_OFF      ▲                 │                 ─▶ receiving ─▶ installing ─┐      │           │
 *      │  (from any state)  │                 │                waiting ◀── failed/none      │      │           │
 *      │                    │                 │  provisioning: scheduled ─▶ fetching ─▶ deciding  │           │
 *      │                    │                 │                waiting ◀──────────┘  (reboot?)    │           │
 *      │                    │                 │                waiting ─ new handset ─▶ newSubscription ─▶ fetching │
 *      │                    │                 │  registration: closed ⇄ open (5 min window)      │           │
 *      │                    │                 │    open ─ SUBSCRIBE_HANDSET (accepted) ─▶ closed   │           │
 *      │                    │                 │  dectSync (multi-cell, see below)                │           │
 *      │                    │                 └───────────────────────────────┘                    └───────────┘
 *      │                    └──────────────────────────── shutdown ─────────────────────────────────────┘
 * ```
 *
 * - REBOOT waits while calls are up or firmware is being downloaded/installed, then reboots ([RTX] "waits until
 *   calls, directory access and firmware update end"); FORCED REBOOT is immediate.
 * - Every reboot is counted and logged with its reason and virtual time in the flash.
 * - Handset subscriptions live in the flash (`handsets`): SUBSCRIBE_HANDSET is only accepted while registration is
 *   open and `decideSubscription` (handset-subscriptions.ts) accepts it; UNSUBSCRIBE_HANDSET (handset menu or web
 *   admin) and HANDSET_REPORT (firmware, over-the-air progress) are handled whenever the base runs.
 * - Multi-cell (Rove B4; multi-cell.ts): the saved multi-cell settings are applied when the base comes up
 *   (`applyMultiCell`: the flash's `multiCell`), so enabling needs save and reboot. The `dectSync` region plays out the
 *   RTX sync states from what the DECT radio reports (`SYNC_SOURCE`: the source heard, the chain level, LAN help):
 *
 *   ```text
 *   deciding ─▶ singleCell (multi-cell off)     deciding ─▶ primary (Locked, level 1)
 *   deciding ─▶ searching ─source heard─▶ locking ─syncLock─▶ locked ─source lost─▶ holdover (still Locked)
 *                  ▲   ◀──source lost── locking                  ▲ ◀──source heard── holdover
 *                  │                                              │                     │ syncFreeRunning (10 s)
 *                  │   ◀─syncGiveUp (2 min), no call── freeRunning ◀─────────────────────┘
 *                  │                                     │  ▲  └─source heard─▶ locked
 *                  │                          LAN help ▼  │ no help
 *                  │                                 assistedLock ─source heard─▶ locked
 *                  └── call ended ── syncLost ◀─syncGiveUp (2 min), call up── freeRunning
 *   ```
 *   A secondary transmits (handsets and other bases hear it) from `locked` to `syncLost`, not while `searching`.
 * - Durations are named delays read from the firmware behaviour profile (firmware-profile.ts), so a lab or test can
 *   change any of them by name.
 * - HTTP work (firmware image, ConfigURL) is done by the `fetchFirmware`/`fetchProvisioning` actors that the lab
 *   provides: real HTTP through the emulated internet.
 */
import { and, assign, fromPromise, not, raise, setup } from 'xstate';
import { type BaseFlash, type RebootLogEntry, factoryReset, requestIdentity } from './base-flash.ts';
import type { BaseFirmwareProfile } from './firmware-profile.ts';
import { multiCellFromSettings, sameMultiCell, type SyncInput } from './multi-cell.ts';
import { FIRMWARE_ERRORS, type FirmwareErrorCode, planFirmwareCheck } from './firmware-update.ts';
import {
  decideSubscription,
  type HandsetReport,
  type SubscriptionRequest,
  withHandsetReport,
  withoutSubscription,
  withoutTransfers,
  withSubscription,
} from './handset-subscriptions.ts';
import {
  appliedAfter,
  changesAnything,
  interpretFetches,
  type ProvisioningFetch,
  type ProvisioningOutcome,
  provisioningRequests,
  type ProvisioningRequest,
  provisioningTarget,
  settingsAfter,
} from './itsp-provisioning.ts';
import type { BaseSettings } from './parameters.ts';
import type { SipConfig } from './sip-config.ts';
import type { LocalDirectoryEntry } from './central-directory.ts';

/** Phases of a background activity (firmware update, provisioning), as scenario conditions name them. */
export const ACTIVITY_PHASES = ['disabled', 'scheduled', 'checking', 'downloading', 'installing', 'up-to-date', 'fetching', 'applied', 'error'] as const;

/** What the status page shows for a background activity (firmware update, provisioning). */
export interface ActivityStatus {
  phase: (typeof ACTIVITY_PHASES)[number];
  message: string;
  /** Stable error code, e.g. `FWU-03`. */
  code?: string;
  /** Virtual epoch ms of the last change. */
  at: number | null;
}

export interface FirmwareFetchInput {
  url: string;
  model: string;
  version: string;
  /** Request identity (User-Agent) of the base. */
  userAgent: string;
}

export interface ProvisioningFetchInput {
  requests: ProvisioningRequest[];
  userAgent: string;
}

export type FirmwareFetchResult = { ok: true; bytes: number } | { ok: false; code: FirmwareErrorCode; message: string };

export interface BaseContext {
  flash: BaseFlash;
  profile: Readonly<BaseFirmwareProfile>;
  now: () => number;
  activeCalls: number;
  firmwareBusy: boolean;
  /** Reason of a REBOOT that waits for calls/firmware work to end. */
  rebootRequested: string | null;
  /** Reason the next entry into `rebooting` logs. */
  rebootReason: string;
  bootedAt: number | null;
  firmware: ActivityStatus;
  firmwareDownload: { url: string; target: string } | null;
  lastFirmwareUpdate: { from: string; to: string; at: number } | null;
  provisioning: ActivityStatus;
  provisioningOutcome: ProvisioningOutcome | null;
  registration: { slot: number; until: number } | null;
  /** A handset subscribed while a provisioning fetch was under way: fetch again for it once that one is done. */
  subscriptionFetchOwed: boolean;
  /** Multi-cell: what the DECT radio last reported about this base's sync source (null until it did). */
  syncInput: SyncInput | null;
  /** Multi-cell: chain level while synchronised (primary = 1), null otherwise. */
  syncLevel: number | null;
}

export type BaseEvent =
  | { type: 'POWER_ON' }
  | { type: 'POWER_OFF' }
  | { type: 'REBOOT'; reason: string }
  | { type: 'FORCED_REBOOT'; reason: string }
  | { type: 'FACTORY_RESET' }
  | { type: 'UPDATE_SETTINGS'; settings: Partial<BaseSettings> }
  | { type: 'SET_ADMIN_PASSWORD'; password: NonNullable<BaseFlash['adminPassword']> }
  | { type: 'CHECK_FIRMWARE' }
  | { type: 'FETCH_PROVISIONING' }
  /** Specific Handsets → Register on `slot`; slot 0 opens registration for the first free slot. */
  | { type: 'OPEN_REGISTRATION'; slot: number }
  /** A handset asks for access rights over the air (accepted only while registration is open). */
  | { type: 'SUBSCRIBE_HANDSET'; request: SubscriptionRequest }
  /** Raised by the registration region when a subscription was accepted (the provisioning region fetches for it). */
  | { type: 'HANDSET_SUBSCRIBED' }
  /** Deregistration from the handset menu or the web admin. */
  | { type: 'UNSUBSCRIBE_HANDSET'; ipei: string }
  | ({ type: 'HANDSET_REPORT' } & HandsetReport)
  /** Servers / Extensions saved in the web admin (checked by sip-config.ts before it gets here). */
  | { type: 'SET_SIP_CONFIG'; sip: SipConfig }
  /** Central Directory → Local entries saved or imported in the web admin (checked by central-directory.ts first). */
  | { type: 'SET_LOCAL_DIRECTORY'; entries: LocalDirectoryEntry[] }
  | { type: 'CALL_STARTED' }
  | { type: 'CALL_ENDED' }
  | { type: 'SETTINGS_CHANGED'; firmware: boolean; provisioning: boolean }
  /** Multi-cell: the DECT radio reports the sync source this secondary hears (multi-cell.ts `syncInputFor`). */
  | ({ type: 'SYNC_SOURCE' } & SyncInput);

export interface BaseInput {
  flash: BaseFlash;
  profile: Readonly<BaseFirmwareProfile>;
  now: () => number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function logReboot(flash: BaseFlash, entry: RebootLogEntry, keep: number): BaseFlash {
  return {
    ...flash,
    reboots: {
      count: flash.reboots.count + (entry.kind === 'reboot' ? 1 : 0),
      log: [entry, ...flash.reboots.log].slice(0, keep),
    },
  };
}

function status(now: number, phase: ActivityStatus['phase'], message: string, code?: string): ActivityStatus {
  return code ? { phase, message, code, at: now } : { phase, message, at: now };
}

function scheduledStatus(now: number, current: ActivityStatus, what: string, inMs: number): ActivityStatus {
  const when = `${what} in ${Math.round(inMs / 1000)} s`;
  return current.phase === 'error' && current.code
    ? status(now, 'error', `${current.message} — ${when.toLowerCase()}`, current.code)
    : status(now, 'scheduled', when);
}

function methodDisabled(method: string): boolean {
  return method === 'Disabled';
}

/**
 * Whose files a provisioning error is about, for the status line: `base`, `IPEI 0328D00001`, or — when the same error
 * stopped several handsets' files (a mistyped ConfigURL host stops them all) — `3 handsets' files: IPEI …, …`.
 */
function whoseFiles(errors: ReadonlyArray<{ source: string; code: string }>, code: string): string {
  const first = errors[0];
  if (!first || first.source === 'base') return 'base';
  const same = errors.filter((e) => e.code === code && e.source !== 'base').map((e) => e.source);
  return same.length <= 1 ? `IPEI ${first.source}` : `${same.length} handsets' files: IPEI ${same.join(', ')}`;
}

export const baseMachine = setup({
  types: {
    context: {} as BaseContext,
    events: {} as BaseEvent,
    input: {} as BaseInput,
  },
  actors: {
    fetchFirmware: fromPromise<FirmwareFetchResult, FirmwareFetchInput>(async () => {
      throw new Error('fetchFirmware must be provided by the lab');
    }),
    fetchProvisioning: fromPromise<ProvisioningFetch[], ProvisioningFetchInput>(async () => {
      throw new Error('fetchProvisioning must be provided by the lab');
    }),
  },
  delays: {
    boot: ({ context }) => context.profile.bootMs,
    shutdown: ({ context }) => context.profile.shutdownMs,
    firmwareFirstCheck: ({ context }) => context.profile.firmwareFirstCheckMs,
    firmwareInterval: ({ context }) =>
      context.flash.settings.firmwareMethod === 'Daily' ? DAY : Number(context.flash.settings.firmwareInterval) * MINUTE,
    firmwareDownload: ({ context }) => context.profile.firmwareDownloadMs,
    firmwareInstall: ({ context }) => context.profile.firmwareInstallMs,
    provisioningFirstFetch: ({ context }) => context.profile.provisioningFirstFetchMs,
    newSubscriptionFetch: ({ context }) => context.profile.newSubscriptionFetchMs,
    provisioningInterval: ({ context }) =>
      context.flash.settings.itspMethod === 'Daily' ? DAY : Number(context.flash.settings.itspInterval) * 1000,
    registrationWindow: ({ context }) => context.profile.registrationWindowMs,
    syncLock: ({ context }) => context.profile.syncLockMs,
    syncFreeRunning: ({ context }) => context.profile.syncFreeRunningMs,
    syncGiveUp: ({ context }) => context.profile.syncGiveUpMs,
  },
  guards: {
    firmwareDisabled: ({ context }) => methodDisabled(context.flash.settings.firmwareMethod),
    provisioningDisabled: ({ context }) =>
      methodDisabled(context.flash.settings.itspMethod) || provisioningTarget(context.flash.settings) === '',
    busy: ({ context }) => context.activeCalls > 0 || context.firmwareBusy,
    rebootDue: ({ context }) => context.rebootRequested !== null && context.activeCalls === 0 && !context.firmwareBusy,
    firmwareChanged: ({ event }) => event.type === 'SETTINGS_CHANGED' && event.firmware,
    provisioningChanged: ({ event }) => event.type === 'SETTINGS_CHANGED' && event.provisioning,
    firmwareDownloadPlanned: ({ context }) => context.firmwareDownload !== null,
    firmwareFailed: ({ context }) => context.firmware.phase === 'error',
    owesSwitchReboot: ({ context }) =>
      context.provisioningOutcome !== null && context.flash.provisioning.pendingSwitchReboots > 0,
    provisioningBroughtChange: ({ context }) =>
      context.provisioningOutcome !== null &&
      context.profile.rebootOnProvisioningChange &&
      changesAnything(context.flash, context.provisioningOutcome, context.profile),
    fetchesForNewSubscription: ({ context }) => context.profile.fetchOnNewSubscription,
    subscriptionFetchOwed: ({ context }) => context.subscriptionFetchOwed && context.profile.fetchOnNewSubscription,
    subscriptionAccepted: ({ context, event }) =>
      event.type === 'SUBSCRIBE_HANDSET' &&
      decideSubscription(context.flash, context.registration, event.request, context.profile.handsetSlots).ok,
    closesAfterSubscribe: ({ context }) => context.profile.registrationClosesAfterSubscribe,
    singleCell: ({ context }) => !context.flash.multiCell,
    syncPrimary: ({ context }) => context.flash.multiCell?.role === 'primary',
    syncSourceHeard: ({ context }) => context.syncInput?.source != null,
    syncAssisted: ({ context }) => context.syncInput?.assisted === true,
    syncLevelChanged: ({ context }) => context.syncInput?.level != null && context.syncInput.level !== context.syncLevel,
    callActive: ({ context }) => context.activeCalls > 0,
  },
  actions: {
    logPowerOn: assign(({ context }) => ({
      flash: logReboot(
        { ...context.flash, powered: true },
        { at: context.now(), reason: 'Power on', kind: 'power-on' },
        context.profile.rebootLogSize,
      ),
    })),
    logReboot: assign(({ context }) => ({
      flash: logReboot(
        context.flash,
        { at: context.now(), reason: context.rebootReason, kind: 'reboot' },
        context.profile.rebootLogSize,
      ),
      rebootRequested: null,
    })),
    markDown: assign(({ context }) => ({
      flash: withoutTransfers(context.flash),
      bootedAt: null,
      activeCalls: 0,
      firmwareBusy: false,
      registration: null,
      firmwareDownload: null,
      syncInput: null,
      syncLevel: null,
      firmware: context.firmware.phase === 'error' ? context.firmware : status(context.now(), 'scheduled', 'Waiting for boot'),
    })),
    markPoweredOff: assign(({ context }) => ({ flash: { ...context.flash, powered: false }, rebootRequested: null })),
    markUp: assign(({ context }) => ({ bootedAt: context.now() })),
    applyMultiCell: assign(({ context }) => {
      const running = multiCellFromSettings(context.flash.model, context.flash.settings);
      return sameMultiCell(running, context.flash.multiCell) && context.flash.multiCell !== undefined
        ? {}
        : { flash: { ...context.flash, multiCell: running } };
    }),
    storeSyncInput: assign(({ event }) =>
      event.type === 'SYNC_SOURCE' ? { syncInput: { source: event.source, level: event.level, assisted: event.assisted } } : {},
    ),
    takePrimaryLevel: assign({ syncLevel: 1 }),
    takeSyncLevel: assign(({ context }) => ({ syncLevel: context.syncInput?.level ?? context.syncLevel })),
    clearSyncLevel: assign({ syncLevel: null }),
    setRebootReasonFromEvent: assign(({ event }) => ({
      rebootReason: event.type === 'REBOOT' || event.type === 'FORCED_REBOOT' ? event.reason : 'Reboot',
    })),
    requestReboot: assign(({ event }) => ({ rebootRequested: event.type === 'REBOOT' ? event.reason : 'Reboot' })),
    takeRequestedReboot: assign(({ context }) => ({ rebootReason: context.rebootRequested ?? 'Reboot' })),
    factoryReset: assign(({ context }) => ({
      flash: factoryReset(context.flash),
      rebootReason: 'Factory reset',
      firmware: status(context.now(), 'scheduled', 'Factory defaults'),
      provisioning: status(context.now(), 'disabled', 'Factory defaults'),
      lastFirmwareUpdate: null,
    })),
    applySettings: assign(({ context, event }) => {
      if (event.type !== 'UPDATE_SETTINGS') return {};
      const before = context.flash.settings;
      const settings = { ...before, ...event.settings };
      const retarget = provisioningTarget(before) !== provisioningTarget(settings) && provisioningTarget(settings) !== '';
      return {
        flash: {
          ...context.flash,
          settings,
          provisioning: retarget
            ? { ...context.flash.provisioning, pendingSwitchReboots: context.profile.configUrlChangeReboots }
            : context.flash.provisioning,
        },
      };
    }),
    announceSettingsChange: raise(({ event }) => {
      const changed = event.type === 'UPDATE_SETTINGS' ? (Object.keys(event.settings) as Array<keyof BaseSettings>) : [];
      const firmwareKeys: Array<keyof BaseSettings> = [
        'firmwareServer',
        'firmwarePath',
        'firmwareMethod',
        'firmwareInterval',
        'baseFwVersion',
        'baseFwBranch',
      ];
      const provisioningKeys: Array<keyof BaseSettings> = ['itspMethod', 'itspInterval', 'provisioningOption', 'configUrl'];
      return {
        type: 'SETTINGS_CHANGED' as const,
        firmware: changed.some((k) => firmwareKeys.includes(k)),
        provisioning: changed.some((k) => provisioningKeys.includes(k)),
      };
    }),
    setAdminPassword: assign(({ context, event }) =>
      event.type === 'SET_ADMIN_PASSWORD' ? { flash: { ...context.flash, adminPassword: event.password } } : {},
    ),
    setSipConfig: assign(({ context, event }) =>
      event.type === 'SET_SIP_CONFIG' ? { flash: { ...context.flash, sip: event.sip } } : {},
    ),
    setLocalDirectory: assign(({ context, event }) =>
      event.type === 'SET_LOCAL_DIRECTORY' ? { flash: { ...context.flash, localDirectory: event.entries } } : {},
    ),
    callStarted: assign(({ context }) => ({ activeCalls: context.activeCalls + 1 })),
    callEnded: assign(({ context }) => ({ activeCalls: Math.max(0, context.activeCalls - 1) })),
    openRegistration: assign(({ context, event }) =>
      event.type === 'OPEN_REGISTRATION'
        ? { registration: { slot: event.slot, until: context.now() + context.profile.registrationWindowMs } }
        : {},
    ),
    closeRegistration: assign({ registration: null }),
    subscribeHandset: assign(({ context, event }) => {
      if (event.type !== 'SUBSCRIBE_HANDSET') return {};
      const decision = decideSubscription(context.flash, context.registration, event.request, context.profile.handsetSlots);
      return decision.ok ? { flash: withSubscription(context.flash, event.request, decision.slot) } : {};
    }),
    announceSubscription: raise({ type: 'HANDSET_SUBSCRIBED' }),
    owePendingSubscriptionFetch: assign({ subscriptionFetchOwed: true }),
    newSubscriptionStatus: assign(({ context }) => ({
      provisioning: scheduledStatus(context.now(), context.provisioning, 'ITSP provisioning fetch for the new handset', context.profile.newSubscriptionFetchMs),
      subscriptionFetchOwed: false,
    })),
    unsubscribeHandset: assign(({ context, event }) =>
      event.type === 'UNSUBSCRIBE_HANDSET' ? { flash: withoutSubscription(context.flash, event.ipei) } : {},
    ),
    recordHandsetReport: assign(({ context, event }) =>
      event.type === 'HANDSET_REPORT' ? { flash: withHandsetReport(context.flash, event) } : {},
    ),
    // A check is coming: say when, so the status page never contradicts what was just saved. An earlier error stays
    // visible (with its code) until the check replaces it.
    firmwareScheduledStatus: assign(({ context }) => ({
      firmware: scheduledStatus(context.now(), context.firmware, 'First firmware check', context.profile.firmwareFirstCheckMs),
    })),
    provisioningScheduledStatus: assign(({ context }) => ({
      provisioning: scheduledStatus(context.now(), context.provisioning, 'First ITSP provisioning fetch', context.profile.provisioningFirstFetchMs),
    })),
    firmwareDisabledStatus: assign(({ context }) => ({
      firmware:
        context.firmware.phase === 'error'
          ? context.firmware
          : status(context.now(), 'disabled', 'Auto firmware update is disabled (Method: Disabled)'),
    })),
    planFirmware: assign(({ context }) => {
      const plan = planFirmwareCheck(context.flash);
      const now = context.now();
      switch (plan.action) {
        case 'none':
          return { firmwareDownload: null, firmware: status(now, 'up-to-date', plan.reason) };
        case 'error':
          return { firmwareDownload: null, firmware: status(now, 'error', plan.message, plan.code) };
        case 'download':
          return {
            firmwareDownload: { url: plan.url, target: plan.target },
            firmware: status(now, 'checking', `Requesting ${plan.url}`),
          };
      }
    }),
    firmwareBusy: assign({ firmwareBusy: true }),
    firmwareIdle: assign({ firmwareBusy: false, firmwareDownload: null }),
    receivingStatus: assign(({ context }) => ({
      firmware: status(context.now(), 'downloading', `Downloading ${context.firmwareDownload?.target ?? ''}`),
    })),
    installingStatus: assign(({ context }) => ({
      firmware: status(
        context.now(),
        'installing',
        `Installing ${context.firmwareDownload?.target ?? ''} — do not power off the base`,
      ),
    })),
    installFirmware: assign(({ context }) => {
      const to = context.firmwareDownload?.target ?? context.flash.firmware;
      const from = context.flash.firmware;
      return {
        flash: { ...context.flash, firmware: to },
        lastFirmwareUpdate: { from, to, at: context.now() },
        rebootReason: `Firmware update ${from} → ${to}`,
        firmware: status(context.now(), 'installing', `Installed ${to}; rebooting`),
      };
    }),
    provisioningDisabledStatus: assign(({ context }) => ({
      provisioning: status(
        context.now(),
        'disabled',
        methodDisabled(context.flash.settings.itspMethod)
          ? 'ITSP provisioning is disabled (Method: Disabled)'
          : 'ITSP provisioning is disabled (ProvisioningOption)',
      ),
    })),
    fetchingStatus: assign(({ context }) => ({
      provisioning: status(context.now(), 'fetching', `Fetching ${context.flash.settings.configUrl}`),
      provisioningOutcome: null,
    })),
    applyProvisioning: assign(({ context }) => {
      const outcome = context.provisioningOutcome;
      if (!outcome) return {};
      const now = context.now();
      // The same flash object when the files and settings are what the base already runs with (most rounds).
      const settings = settingsAfter(context.flash.settings, outcome.settings);
      const applied = appliedAfter(context.flash.provisioning.applied, outcome.applied);
      const flash: BaseFlash =
        settings === context.flash.settings && applied === context.flash.provisioning.applied
          ? context.flash
          : { ...context.flash, settings, provisioning: { ...context.flash.provisioning, applied } };
      const fetched = Object.keys(outcome.applied).length;
      const first = outcome.errors[0];
      const problems = outcome.problems.length ? `; ${outcome.problems.length} problem(s): ${outcome.problems[0]}` : '';
      const provisioning = first
        ? status(now, 'error', `${first.message} (${whoseFiles(outcome.errors, first.code)})${problems}`, first.code)
        : fetched === 0
          ? status(now, 'applied', 'No registered handset: nothing to fetch for ${IPEI}')
          : status(now, 'applied', `Configuration applied (${fetched} file${fetched === 1 ? '' : 's'})${problems}`);
      return { flash, provisioning };
    }),
    owedSwitchReboot: assign(({ context }) => {
      const total = context.profile.configUrlChangeReboots;
      const left = context.flash.provisioning.pendingSwitchReboots;
      return {
        flash: { ...context.flash, provisioning: { ...context.flash.provisioning, pendingSwitchReboots: left - 1 } },
        rebootReason: `ITSP provisioning: applying new provisioning settings (reboot ${total - left + 1} of ${total})`,
      };
    }),
    changeReboot: assign({ rebootReason: 'ITSP provisioning: new configuration' }),
  },
}).createMachine({
  id: 'base',
  context: ({ input }) => ({
    flash: input.flash,
    profile: input.profile,
    now: input.now,
    activeCalls: 0,
    firmwareBusy: false,
    rebootRequested: null,
    rebootReason: 'Reboot',
    bootedAt: null,
    firmware: status(input.now(), 'scheduled', 'Waiting for boot'),
    firmwareDownload: null,
    lastFirmwareUpdate: null,
    provisioning: status(input.now(), 'scheduled', 'Waiting for boot'),
    provisioningOutcome: null,
    registration: null,
    subscriptionFetchOwed: false,
    syncInput: null,
    syncLevel: null,
  }),
  initial: 'off',
  on: { SET_SIP_CONFIG: { actions: 'setSipConfig' }, SET_LOCAL_DIRECTORY: { actions: 'setLocalDirectory' } },
  states: {
    off: {
      entry: ['markDown', 'markPoweredOff'],
      on: { POWER_ON: { target: 'booting', actions: 'logPowerOn' } },
    },
    booting: {
      after: { boot: 'running' },
      on: { POWER_OFF: 'off' },
    },
    running: {
      type: 'parallel',
      entry: ['markUp', 'applyMultiCell'],
      on: {
        POWER_OFF: 'off',
        FORCED_REBOOT: { target: 'rebooting', actions: 'setRebootReasonFromEvent' },
        REBOOT: [
          { guard: 'busy', actions: 'requestReboot' },
          { target: 'rebooting', actions: 'setRebootReasonFromEvent' },
        ],
        FACTORY_RESET: { target: 'rebooting', actions: 'factoryReset' },
        UPDATE_SETTINGS: { actions: ['applySettings', 'announceSettingsChange'] },
        SET_ADMIN_PASSWORD: { actions: 'setAdminPassword' },
        CALL_STARTED: { actions: 'callStarted' },
        CALL_ENDED: { actions: 'callEnded' },
        UNSUBSCRIBE_HANDSET: { actions: 'unsubscribeHandset' },
        HANDSET_REPORT: { actions: 'recordHandsetReport' },
        SYNC_SOURCE: { actions: 'storeSyncInput' },
      },
      always: { guard: 'rebootDue', target: 'rebooting', actions: 'takeRequestedReboot' },
      states: {
        firmware: {
          initial: 'scheduled',
          states: {
            scheduled: {
              entry: 'firmwareScheduledStatus',
              always: { guard: 'firmwareDisabled', target: 'disabled' },
              after: { firmwareFirstCheck: 'checking' },
              on: { CHECK_FIRMWARE: 'checking', SETTINGS_CHANGED: { guard: 'firmwareChanged', target: 'scheduled', reenter: true } },
            },
            disabled: {
              entry: 'firmwareDisabledStatus',
              on: { CHECK_FIRMWARE: 'checking', SETTINGS_CHANGED: { guard: 'firmwareChanged', target: 'scheduled' } },
            },
            checking: {
              entry: 'planFirmware',
              always: [{ guard: 'firmwareDownloadPlanned', target: 'downloading' }, { target: 'waiting' }],
            },
            downloading: {
              entry: 'firmwareBusy',
              invoke: {
                src: 'fetchFirmware',
                input: ({ context }) => ({
                  url: context.firmwareDownload!.url,
                  model: `Rove${context.flash.model}`,
                  version: context.firmwareDownload!.target,
                  userAgent: requestIdentity(context.flash),
                }),
                onDone: {
                  target: 'downloaded',
                  actions: assign(({ context, event }) =>
                    event.output.ok
                      ? {}
                      : { firmware: status(context.now(), 'error', event.output.message, event.output.code) },
                  ),
                },
                onError: {
                  target: 'waiting',
                  actions: [
                    assign(({ context, event }) => ({
                      firmware: status(context.now(), 'error', `${FIRMWARE_ERRORS['FWU-02']}: ${String(event.error)}`, 'FWU-02'),
                    })),
                    'firmwareIdle',
                  ],
                },
              },
            },
            downloaded: {
              always: [{ guard: 'firmwareFailed', target: 'waiting', actions: 'firmwareIdle' }, { target: 'receiving' }],
            },
            receiving: {
              entry: 'receivingStatus',
              after: { firmwareDownload: 'installing' },
            },
            installing: {
              entry: 'installingStatus',
              after: { firmwareInstall: { target: '#base.rebooting', actions: 'installFirmware' } },
            },
            waiting: {
              always: { guard: 'firmwareDisabled', target: 'disabled' },
              after: { firmwareInterval: 'checking' },
              on: { CHECK_FIRMWARE: 'checking', SETTINGS_CHANGED: { guard: 'firmwareChanged', target: 'scheduled' } },
            },
          },
        },
        provisioning: {
          initial: 'scheduled',
          states: {
            scheduled: {
              entry: 'provisioningScheduledStatus',
              always: { guard: 'provisioningDisabled', target: 'disabled' },
              after: { provisioningFirstFetch: 'fetching' },
              on: {
                FETCH_PROVISIONING: 'fetching',
                SETTINGS_CHANGED: { guard: 'provisioningChanged', target: 'scheduled', reenter: true },
              },
            },
            disabled: {
              entry: 'provisioningDisabledStatus',
              on: { SETTINGS_CHANGED: { guard: 'provisioningChanged', target: 'scheduled' } },
            },
            fetching: {
              entry: 'fetchingStatus',
              on: { HANDSET_SUBSCRIBED: { guard: 'fetchesForNewSubscription', actions: 'owePendingSubscriptionFetch' } },
              invoke: {
                src: 'fetchProvisioning',
                input: ({ context }) => ({ requests: provisioningRequests(context.flash), userAgent: requestIdentity(context.flash) }),
                onDone: {
                  target: 'deciding',
                  actions: assign(({ event }) => ({ provisioningOutcome: interpretFetches(event.output) })),
                },
                onError: {
                  target: 'waiting',
                  actions: assign(({ context, event }) => ({
                    provisioning: status(context.now(), 'error', `Provisioning failed: ${String(event.error)}`, 'PRV-02'),
                  })),
                },
              },
            },
            deciding: {
              always: [
                { guard: 'owesSwitchReboot', target: '#base.rebooting', actions: ['applyProvisioning', 'owedSwitchReboot'] },
                { guard: 'provisioningBroughtChange', target: '#base.rebooting', actions: ['applyProvisioning', 'changeReboot'] },
                { target: 'waiting', actions: 'applyProvisioning' },
              ],
            },
            waiting: {
              always: [
                { guard: 'provisioningDisabled', target: 'disabled' },
                { guard: 'subscriptionFetchOwed', target: 'newSubscription' },
              ],
              after: { provisioningInterval: 'fetching' },
              on: {
                FETCH_PROVISIONING: 'fetching',
                HANDSET_SUBSCRIBED: { guard: 'fetchesForNewSubscription', target: 'newSubscription' },
                SETTINGS_CHANGED: { guard: 'provisioningChanged', target: 'scheduled' },
              },
            },
            // A new handset's ${IPEI} file, fetched shortly after it subscribed (profile fetchOnNewSubscription);
            // the periodic round starts again from the fetch.
            newSubscription: {
              entry: 'newSubscriptionStatus',
              always: { guard: 'provisioningDisabled', target: 'disabled' },
              after: { newSubscriptionFetch: 'fetching' },
              on: {
                FETCH_PROVISIONING: 'fetching',
                SETTINGS_CHANGED: { guard: 'provisioningChanged', target: 'scheduled' },
              },
            },
          },
        },
        registration: {
          initial: 'closed',
          states: {
            closed: { on: { OPEN_REGISTRATION: { target: 'open', actions: 'openRegistration' } } },
            open: {
              after: { registrationWindow: { target: 'closed', actions: 'closeRegistration' } },
              on: {
                OPEN_REGISTRATION: { target: 'open', reenter: true, actions: 'openRegistration' },
                SUBSCRIBE_HANDSET: [
                  {
                    guard: and(['subscriptionAccepted', 'closesAfterSubscribe']),
                    target: 'closed',
                    actions: ['subscribeHandset', 'closeRegistration', 'announceSubscription'],
                  },
                  { guard: 'subscriptionAccepted', actions: ['subscribeHandset', 'announceSubscription'] },
                ],
              },
            },
          },
        },
        dectSync: {
          initial: 'deciding',
          states: {
            deciding: {
              always: [
                { guard: 'singleCell', target: 'singleCell' },
                { guard: 'syncPrimary', target: 'primary' },
                { target: 'searching' },
              ],
            },
            singleCell: {},
            primary: { entry: 'takePrimaryLevel' },
            searching: {
              entry: 'clearSyncLevel',
              always: { guard: 'syncSourceHeard', target: 'locking' },
            },
            locking: {
              always: { guard: not('syncSourceHeard'), target: 'searching' },
              after: { syncLock: { target: 'locked', actions: 'takeSyncLevel' } },
            },
            locked: {
              always: [
                { guard: not('syncSourceHeard'), target: 'holdover' },
                { guard: 'syncLevelChanged', actions: 'takeSyncLevel' },
              ],
            },
            holdover: {
              always: { guard: 'syncSourceHeard', target: 'locked', actions: 'takeSyncLevel' },
              after: { syncFreeRunning: 'freeRunning' },
            },
            freeRunning: {
              always: [
                { guard: 'syncSourceHeard', target: 'locked', actions: 'takeSyncLevel' },
                { guard: 'syncAssisted', target: 'assistedLock' },
              ],
              after: { syncGiveUp: [{ guard: 'callActive', target: 'syncLost' }, { target: 'searching' }] },
            },
            assistedLock: {
              always: [
                { guard: 'syncSourceHeard', target: 'locked', actions: 'takeSyncLevel' },
                { guard: not('syncAssisted'), target: 'freeRunning' },
              ],
            },
            syncLost: {
              always: [
                { guard: 'syncSourceHeard', target: 'locked', actions: 'takeSyncLevel' },
                { guard: not('callActive'), target: 'searching' },
              ],
            },
          },
        },
      },
    },
    rebooting: {
      entry: ['logReboot', 'markDown'],
      after: { shutdown: 'booting' },
      on: { POWER_OFF: 'off' },
    },
  },
});

export type BaseMachine = typeof baseMachine;
