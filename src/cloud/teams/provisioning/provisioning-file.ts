/**
 * The provisioning file the emulated gateway serves to a Rove base for one handset (`00<IPEI>.cfg`).
 *
 * Format: the base's own `%KEY%: "value"` lines (src/devices/base-station/config-file.ts), with `#` comment lines on top.
 * Keys (docs/teams-gateway.md has the full table):
 *
 * | key | onboarding | waiting-for-sign-in | signed-in |
 * |---|---|---|---|
 * | `%TEAMS_STATE%` | `onboarding` | `waiting-for-sign-in` | `signed-in` |
 * | `%SIP_USER%` / `%SIP_PASSWORD%` | temporary onboarding account | the same onboarding account | the user's line |
 * | `%SIP_DISPLAY_NAME%` / `%SIP_LINE_LABEL%` | empty | empty | display name / phone number |
 *
 * Only values a device acts on are `%KEY%` lines, and none of them carries a time: the same state gives the same
 * file, so a base that reboots on a changed configuration reboots only when the state really changed (the reboot on
 * sign-in is exactly that).
 */
import { serializeConfigFile } from '../../../devices/base-station/config-file.ts';
import type { DeviceUser } from '../devices/device-machine.ts';
import { formatHardwareId } from '../devices/hardware-id.ts';
import { type Language, LANGUAGES, type Region, SIP_HOST, SIP_PORT, SIP_TRANSPORT } from '../regions.ts';

export const FILE_STATES = ['onboarding', 'waiting-for-sign-in', 'signed-in'] as const;
export type FileState = (typeof FILE_STATES)[number];

/** The device login URL a SIP device shows with its pairing code [seed 000, MS]. */
export const DEVICE_LOGIN_URL = 'https://microsoft.com/devicelogin';
/** The enrollment feature code [MS]. */
export const ENROLL_FEATURE_CODE = '*55*';

export interface ProvisioningFileInput {
  hardwareId: string;
  region: Region;
  language: Language;
  state: FileState;
  /** The SIP account the device registers with. */
  account: { user: string; password: string };
  /** Organisation name, once the device belongs to a tenant (enrolled). */
  organizationName?: string;
  /** The signed-in user. */
  user?: DeviceUser;
  /** Extra comment lines (why this answer, e.g. "this region has no record of the device"). */
  notes?: string[];
}

const STATE_WORDS: Record<FileState, string> = {
  onboarding: 'unknown device: onboarding',
  'waiting-for-sign-in': 'Waiting for sign in (user status: Signed out)',
  'signed-in': 'Signed in',
};

/** Files already built, by everything they are built from (see buildProvisioningFile). */
const built = new Map<string, string>();
const BUILT_MAX = 10_000;

/**
 * The file for `input`. A file is a pure function of its input, and a base fetches the same handset's file again and
 * again in one state (every provisioning round, every reboot), so files are remembered by their input: the key costs
 * ~1 µs, building ~8 µs (more in a large heap).
 */
export function buildProvisioningFile(input: ProvisioningFileInput): string {
  // The whole input, so a field added later is in the key too (a different field order only misses the cache).
  const key = JSON.stringify(input);
  let body = built.get(key);
  if (body === undefined) {
    body = buildFile(input);
    if (built.size >= BUILT_MAX) built.clear();
    built.set(key, body);
  }
  return body;
}

function buildFile(input: ProvisioningFileInput): string {
  const values: Record<string, string> = {
    TEAMS_STATE: input.state,
    TEAMS_HARDWARE_ID: input.hardwareId,
    TEAMS_REGION: input.region,
    LANGUAGE: input.language,
    SIP_SERVER: SIP_HOST[input.region],
    SIP_PORT: String(SIP_PORT),
    SIP_TRANSPORT: SIP_TRANSPORT,
    SIP_USER: input.account.user,
    SIP_PASSWORD: input.account.password,
    SIP_DISPLAY_NAME: input.user?.displayName ?? '',
    SIP_LINE_LABEL: input.user?.phoneNumber ?? '',
  };
  if (input.state === 'onboarding') values['TEAMS_ENROLL_FEATURE_CODE'] = ENROLL_FEATURE_CODE;
  if (input.state !== 'onboarding' && input.organizationName) values['TEAMS_ORGANIZATION'] = input.organizationName;
  if (input.state !== 'signed-in') values['TEAMS_SIGNIN_URL'] = DEVICE_LOGIN_URL;
  if (input.user) {
    values['TEAMS_USER'] = input.user.upn;
    values['TEAMS_CALLING'] = input.user.sipCallingAllowed ? 'allowed' : 'blocked';
  }
  const header = [
    `Microsoft Teams SIP Gateway (emulated by Rove Simulator): device ${formatHardwareId(input.hardwareId)}`,
    `Region ${input.region}; language ${input.language} (${LANGUAGES[input.language]}); state: ${STATE_WORDS[input.state]}`,
    ...(input.notes ?? []),
  ];
  return serializeConfigFile(values, header);
}
