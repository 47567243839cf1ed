/**
 * One SIP device as the Teams SIP Gateway sees it, from the moment an administrator adds its hardware id to
 * offboarding.
 *
 * ```text
 *   add MAC address            *55*<code> (valid, same region)             pairing code + account approved
 *  ───────────────▶ ┌─────────────┐ ENROLL ┌──────────┐ SIGN_IN ┌──────────┐ SIGN_OUT ┌───────────┐
 *                   │ provisioned │───────▶│ enrolled │────────▶│ signedIn │─────────▶│ signedOut │
 *                   └─────────────┘        └──────────┘         └──────────┘◀─────────└───────────┘
 *                   Waiting on activation  Waiting for sign in   SIP devices  SIGN_IN   SIP devices
 *                   GENERATE_CODE          REQUEST_PAIRING       POLICY_CHANGED/SYNCED  REQUEST_PAIRING
 *                                          │                     RESTART │              RESTART │
 *                                          └──────────── OFFBOARD (disconnected 14 d unpaired, 30 d paired) ─▶ offboarded
 * ```
 *
 * Edges: `provisioned → enrolled` (ENROLL with the current, unexpired, unused code, from the device's region or any
 * region while none is bound); `enrolled|signedOut → signedIn` (SIGN_IN with an unexpired pairing code; the tenant
 * prerequisites are checked by the gateway first); `signedIn → signedOut` (SIGN_OUT from the device or the admin
 * center); `provisioned|enrolled|signedOut → signedIn` (BULK_SIGN_IN, after the gateway's bulk sign-in checks: a device
 * that fetched its file with the tenant id needs no `*55*` [seed 003]); `enrolled|signedIn|signedOut → offboarded` (OFFBOARD). `offboarded` is final: the device needs a factory
 * reset and must be added again [MS].
 *
 * Why deadlines are fields and not `after` delays: the gateway is a cloud service whose records must outlive a
 * restart of the simulator, and XState cannot restore pending delayed events from a persisted snapshot. So every
 * deadline (code expiry, pairing expiry, offboarding, policy sync) is an absolute lab-clock time in the persisted
 * record; codes are checked against `clock.now()` when used, and the gateway keeps one lab-clock timer for the
 * earliest deadline that must *do* something (offboard, sync, announce an expired pairing code). A thousand handsets
 * cost one timer, not a thousand actors. The machine is used as a pure function (`transition()`): every change of a
 * record goes through its guarded edges, and a refused event leaves the record untouched.
 */
import { assign, createActor, setup, type SnapshotFrom } from 'xstate';
import type { Language, Region } from '../regions.ts';

export type DeviceState = 'provisioned' | 'enrolled' | 'signedIn' | 'signedOut' | 'offboarded';

/** The signed-in user as the device knows it (refreshed by policy sync). */
export interface DeviceUser {
  upn: string;
  displayName: string;
  phoneNumber: string | null;
  /** Whether the user's calling policy still allows SIP devices (a sync after a policy change can turn it off). */
  sipCallingAllowed: boolean;
}

export interface IssuedCode {
  code: string;
  issuedAt: number;
  expiresAt: number;
}

export type CodeSource = 'device' | 'admin-center' | 'api';

/** The persisted record (`teams-device` document, keyed by hardware id). */
export interface TeamsDevice {
  hardwareId: string;
  tenantId: string;
  state: DeviceState;
  location: string;
  addedAt: number;
  addedFrom: 'admin-center' | 'upload' | 'api';
  /** Bound when the device enrolls: the gateway region whose provisioning/SIP service it uses. */
  region: Region | null;
  verificationCode: IssuedCode | null;
  /** Codes that can no longer be used, newest first, so a refusal can say why. */
  spentCodes: Array<{ code: string; at: number; why: 'used' | 'replaced' }>;
  enrolledAt: number | null;
  pairing: (IssuedCode & { requestedFrom: CodeSource }) | null;
  /** The last pairing code that expired, so the device login page can say "expired" rather than "wrong". */
  expiredPairing: IssuedCode | null;
  user: DeviceUser | null;
  lastUser: DeviceUser | null;
  signedInAt: number | null;
  signedOutAt: number | null;
  /** Listed under Teams devices → SIP devices once a user has signed in at least once [seed 001]. */
  everSignedIn: boolean;
  /** Last time the device talked to the gateway (provisioning fetch, SIP registration, enrollment). */
  lastContactAt: number | null;
  lastContactRegion: Region | null;
  siteId: string | null;
  /** Tenant id the device's provisioning URL carried (`/tenantid/<guid>/`): the bulk sign-in tag [seed 003]. */
  bulkSignInTag: string | null;
  /**
   * The base stations the device's requests came through, newest first, each with when it was last heard (the MAC in
   * the base's User-Agent). Two bases fetching one handset's file is a duplicate device. Absent in older labs.
   */
  sources?: Array<{ baseMac: string; at: number }>;
  language: Language;
  policySyncDueAt: number | null;
  restartRequestedAt: number | null;
  offboardedAt: number | null;
  history: Array<{ at: number; text: string }>;
}

export type DeviceEvent =
  | { type: 'GENERATE_CODE'; at: number; code: IssuedCode }
  | { type: 'ENROLL'; at: number; code: string; region: Region }
  | { type: 'REQUEST_PAIRING'; at: number; pairing: IssuedCode & { requestedFrom: CodeSource } }
  | { type: 'PAIRING_EXPIRED'; at: number }
  | { type: 'SIGN_IN'; at: number; user: DeviceUser }
  | { type: 'BULK_SIGN_IN'; at: number; user: DeviceUser; region: Region; batchId: string }
  | { type: 'SIGN_OUT'; at: number; by: CodeSource }
  | { type: 'SEEN'; at: number; region: Region; language?: Language; bulkSignInTag?: string | null; siteId?: string; baseMac?: string }
  | { type: 'POLICY_CHANGED'; at: number; dueAt: number }
  | { type: 'POLICY_SYNCED'; at: number; user: DeviceUser }
  | { type: 'RESTART'; at: number }
  | { type: 'OFFBOARD'; at: number; reason: string }
  | { type: 'SET_LOCATION'; at: number; location: string }
  | { type: 'NOTE'; at: number; text: string };

export type DeviceContext = Omit<TeamsDevice, 'state'>;

export type EnrollRefusalCode =
  | 'DEVICE_NOT_FOUND'
  | 'ALREADY_ENROLLED'
  | 'CODE_MISSING'
  | 'CODE_WRONG'
  | 'CODE_EXPIRED'
  | 'CODE_USED'
  | 'CODE_REPLACED';

export interface EnrollRefusal {
  code: EnrollRefusalCode;
  message: string;
}

/**
 * Why `*55*<code>` from `region` would not enroll this device, or null when it would. Shared by the machine's guard
 * and the gateway's answer, so the two can never disagree.
 */
export function enrollmentRefusal(device: TeamsDevice, code: string, region: Region, at: number): EnrollRefusal | null {
  if (device.state === 'offboarded' || (device.region !== null && device.region !== region)) {
    return { code: 'DEVICE_NOT_FOUND', message: 'Device not found in records.' };
  }
  const spent = device.spentCodes.find((c) => c.code === code);
  if (spent?.why === 'used') return { code: 'CODE_USED', message: 'This verification code has already been used.' };
  if (device.state !== 'provisioned') {
    return { code: 'ALREADY_ENROLLED', message: 'This device is already enrolled; it is waiting for sign in.' };
  }
  if (spent?.why === 'replaced') {
    return { code: 'CODE_REPLACED', message: 'This verification code was replaced by a newer one; use the latest code.' };
  }
  const current = device.verificationCode;
  if (!current) {
    return { code: 'CODE_MISSING', message: 'No verification code has been generated for this device.' };
  }
  if (current.code !== code) return { code: 'CODE_WRONG', message: 'The verification code is not valid for this device.' };
  if (at >= current.expiresAt) {
    return { code: 'CODE_EXPIRED', message: 'The verification code has expired; it is valid for 24 hours. Generate a new code.' };
  }
  return null;
}

export function pairingValid(device: Pick<TeamsDevice, 'pairing'>, at: number): boolean {
  return device.pairing !== null && at < device.pairing.expiresAt;
}

function note(context: DeviceContext, at: number, text: string, keep = 30) {
  return [{ at, text }, ...context.history].slice(0, keep);
}

function spend(context: DeviceContext, code: IssuedCode | null, at: number, why: 'used' | 'replaced') {
  if (!code) return context.spentCodes;
  return [{ code: code.code, at, why }, ...context.spentCodes.filter((c) => c.code !== code.code)].slice(0, 10);
}

const contact = (at: number) => ({ lastContactAt: at });

export type SeenEvent = Extract<DeviceEvent, { type: 'SEEN' }>;

/**
 * What SEEN assigns: the contact fields (when, via which region and base, language, bulk sign-in tag, site). SEEN is
 * the same guardless self-transition in every state but `offboarded` and no guard reads what it writes, so
 * `DeviceRecords` applies this directly instead of running a macrostep per REGISTER and fetch (see
 * {@link seenAccepted}); the machine's `seen` action is this function too, so the two cannot differ.
 */
export function seenUpdate(context: DeviceContext, event: SeenEvent): Partial<DeviceContext> {
  return {
    lastContactRegion: event.region,
    ...contact(event.at),
    ...(event.language ? { language: event.language } : {}),
    ...(event.bulkSignInTag !== undefined ? { bulkSignInTag: event.bulkSignInTag } : {}),
    ...(event.siteId !== undefined ? { siteId: event.siteId } : {}),
    ...(event.baseMac !== undefined
      ? { sources: [{ baseMac: event.baseMac, at: event.at }, ...(context.sources ?? []).filter((s) => s.baseMac !== event.baseMac)].slice(0, 8) }
      : {}),
  };
}


export const deviceMachine = setup({
  types: {
    context: {} as DeviceContext,
    events: {} as DeviceEvent,
    input: {} as DeviceContext,
  },
  guards: {
    enrollAccepted: ({ context, event }) =>
      event.type === 'ENROLL' &&
      enrollmentRefusal({ ...context, state: 'provisioned' }, event.code, event.region, event.at) === null,
    pairingValid: ({ context, event }) => event.type === 'SIGN_IN' && pairingValid(context, event.at),
    pairingExpired: ({ context, event }) => context.pairing !== null && context.pairing.expiresAt <= event.at,
  },
  actions: {
    generateCode: assign(({ context, event }) => {
      if (event.type !== 'GENERATE_CODE') return {};
      return {
        verificationCode: event.code,
        spentCodes: spend(context, context.verificationCode, event.at, 'replaced'),
        history: note(context, event.at, context.verificationCode ? 'New verification code generated (the previous one no longer works)' : 'Verification code generated'),
      };
    }),
    enroll: assign(({ context, event }) => {
      if (event.type !== 'ENROLL') return {};
      return {
        region: event.region,
        enrolledAt: event.at,
        spentCodes: spend(context, context.verificationCode, event.at, 'used'),
        verificationCode: null,
        lastContactRegion: event.region,
        ...contact(event.at),
        history: note(context, event.at, `Enrolled with the verification code via ${event.region}: waiting for sign in`),
      };
    }),
    requestPairing: assign(({ context, event }) => {
      if (event.type !== 'REQUEST_PAIRING') return {};
      return {
        pairing: event.pairing,
        expiredPairing: null,
        history: note(context, event.at, `Pairing code issued (requested from ${event.pairing.requestedFrom})`),
      };
    }),
    expirePairing: assign(({ context, event }) => ({
      pairing: null,
      expiredPairing: context.pairing,
      history: note(context, event.at, 'Pairing code expired'),
    })),
    signIn: assign(({ context, event }) => {
      if (event.type !== 'SIGN_IN') return {};
      return {
        user: event.user,
        lastUser: event.user,
        pairing: null,
        signedInAt: event.at,
        everSignedIn: true,
        policySyncDueAt: null,
        ...contact(event.at),
        history: note(context, event.at, `Signed in: ${event.user.upn}`),
      };
    }),
    bulkSignIn: assign(({ context, event }) => {
      if (event.type !== 'BULK_SIGN_IN') return {};
      return {
        region: event.region,
        enrolledAt: context.enrolledAt ?? event.at,
        verificationCode: null,
        spentCodes: spend(context, context.verificationCode, event.at, 'replaced'),
        user: event.user,
        lastUser: event.user,
        pairing: null,
        signedInAt: event.at,
        everSignedIn: true,
        policySyncDueAt: null,
        ...contact(event.at),
        history: note(context, event.at, `Signed in by bulk sign-in (batch ${event.batchId}): ${event.user.upn}`),
      };
    }),
    signOut: assign(({ context, event }) => {
      if (event.type !== 'SIGN_OUT') return {};
      return {
        user: null,
        pairing: null,
        signedOutAt: event.at,
        policySyncDueAt: null,
        history: note(context, event.at, `Signed out (${event.by === 'device' ? 'on the device' : `from the ${event.by === 'api' ? 'control API' : 'Teams admin center'}`})`),
      };
    }),
    seen: assign(({ context, event }) => (event.type === 'SEEN' ? seenUpdate(context, event) : {})),
    policyChanged: assign(({ context, event }) => {
      if (event.type !== 'POLICY_CHANGED') return {};
      // "Within one hour": a sync already due earlier stays due then.
      return { policySyncDueAt: context.policySyncDueAt === null ? event.dueAt : Math.min(context.policySyncDueAt, event.dueAt) };
    }),
    policySynced: assign(({ context, event }) => {
      if (event.type !== 'POLICY_SYNCED') return {};
      return {
        user: event.user,
        lastUser: event.user,
        policySyncDueAt: null,
        history: note(context, event.at, 'User details and policies synced to the device'),
      };
    }),
    restart: assign(({ context, event }) => ({
      restartRequestedAt: event.at,
      history: note(context, event.at, 'Restart requested'),
    })),
    offboard: assign(({ context, event }) => {
      if (event.type !== 'OFFBOARD') return {};
      return {
        offboardedAt: event.at,
        user: null,
        pairing: null,
        policySyncDueAt: null,
        history: note(context, event.at, `Offboarded: ${event.reason}`),
      };
    }),
    setLocation: assign(({ context, event }) =>
      event.type === 'SET_LOCATION' ? { location: event.location, history: note(context, event.at, `Location set to "${event.location}"`) } : {},
    ),
    note: assign(({ context, event }) => (event.type === 'NOTE' ? { history: note(context, event.at, event.text) } : {})),
  },
}).createMachine({
  id: 'teamsDevice',
  context: ({ input }) => input,
  initial: 'provisioned',
  on: {
    NOTE: { actions: 'note' },
    SET_LOCATION: { actions: 'setLocation' },
  },
  states: {
    provisioned: {
      on: {
        GENERATE_CODE: { actions: 'generateCode' },
        ENROLL: { guard: 'enrollAccepted', target: 'enrolled', actions: 'enroll' },
        BULK_SIGN_IN: { target: 'signedIn', actions: 'bulkSignIn' },
        SEEN: { actions: 'seen' },
      },
    },
    enrolled: {
      on: {
        REQUEST_PAIRING: { actions: 'requestPairing' },
        PAIRING_EXPIRED: { guard: 'pairingExpired', actions: 'expirePairing' },
        SIGN_IN: { guard: 'pairingValid', target: 'signedIn', actions: 'signIn' },
        BULK_SIGN_IN: { target: 'signedIn', actions: 'bulkSignIn' },
        SEEN: { actions: 'seen' },
        OFFBOARD: { target: 'offboarded', actions: 'offboard' },
      },
    },
    signedIn: {
      on: {
        SIGN_OUT: { target: 'signedOut', actions: 'signOut' },
        POLICY_CHANGED: { actions: 'policyChanged' },
        POLICY_SYNCED: { actions: 'policySynced' },
        RESTART: { actions: 'restart' },
        SEEN: { actions: 'seen' },
        OFFBOARD: { target: 'offboarded', actions: 'offboard' },
      },
    },
    signedOut: {
      on: {
        REQUEST_PAIRING: { actions: 'requestPairing' },
        PAIRING_EXPIRED: { guard: 'pairingExpired', actions: 'expirePairing' },
        SIGN_IN: { guard: 'pairingValid', target: 'signedIn', actions: 'signIn' },
        BULK_SIGN_IN: { target: 'signedIn', actions: 'bulkSignIn' },
        RESTART: { actions: 'restart' },
        SEEN: { actions: 'seen' },
        OFFBOARD: { target: 'offboarded', actions: 'offboard' },
      },
    },
    offboarded: { type: 'final' },
  },
});

export type DeviceMachine = typeof deviceMachine;

/**
 * The states whose SEEN is `{ actions: 'seen' }` (no guard, no target), read from the machine's own definition. The
 * shortcut in `DeviceRecords` is exact only while SEEN is that everywhere it is taken, so anything else fails here,
 * when the module loads, rather than quietly differing from the machine.
 */
const SEEN_STATES: ReadonlySet<string> = new Set(
  Object.entries(deviceMachine.config.states ?? {}).flatMap(([state, node]) => {
    const seen = (node.on as Record<string, unknown> | undefined)?.['SEEN'];
    if (seen === undefined) return [];
    if (JSON.stringify(seen) !== JSON.stringify({ actions: 'seen' })) {
      throw new Error(`teamsDevice: SEEN in "${state}" is no longer a guardless self-transition; update DeviceRecords.apply's SEEN shortcut`);
    }
    return [state];
  }),
);

/** Whether the machine takes SEEN in `state` (its `seen` self-transition): every state but the final `offboarded`. */
export function seenAccepted(state: DeviceState): boolean {
  return SEEN_STATES.has(state);
}

export type DeviceSnapshot = SnapshotFrom<DeviceMachine>;

type DeviceActorScope = Parameters<DeviceMachine['transition']>[2];
let inertScope: DeviceActorScope | undefined;

/**
 * The machine's next snapshot for `event`, as xstate's pure `transition(deviceMachine, snapshot, event)` computes it
 * (the same macrostep), minus the actions to execute, which are never used: every action here is an `assign`, applied
 * within the step. xstate's `transition()` builds a fresh inert actor (and actor system) on every call, which was most
 * of the cost of a device event (~50 µs; a full-scale rehearsal applies ~16,000 SEEN); one inert scope, made once, is
 * reused instead. It holds nothing between calls: the machine spawns, invokes, delays and emits nothing, and xstate
 * swaps and restores the scope's action executor around each microstep.
 */
export function nextDeviceSnapshot(snapshot: DeviceSnapshot, event: DeviceEvent): DeviceSnapshot {
  if (!inertScope) {
    // Never started; like xstate's own inert actor it is made without input (its initial snapshot is never used).
    const self = createActor(deviceMachine, { input: undefined as unknown as DeviceContext });
    inertScope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    };
  }
  return deviceMachine.transition(snapshot, event, inertScope);
}
