/**
 * The base's configurable parameters, as the web admin shows them.
 *
 * Names, sections and example values come from seed 000 ("Firmware update" and "Configuration of the Poly Rove IP
 * DECT system"); the value sets and ranges that no source gives are modelling choices recorded in docs/fidelity.md.
 * One table drives the web admin forms, the control API, configuration export/import and scenario files, so a value
 * is checked the same way wherever it comes from.
 */
import { type Checked, type FieldError, ok } from '../shared/result.ts';

export const FIRMWARE_METHODS = ['Disabled', 'Periodically', 'Daily'] as const;
export const ITSP_METHODS = ['Disabled', 'Periodically', 'Daily'] as const;
export const PROVISIONING_OPTIONS = ['Disabled', 'ConfigURL'] as const;

export interface BaseSettings {
  firmwareServer: string;
  firmwarePath: string;
  firmwareMethod: (typeof FIRMWARE_METHODS)[number];
  /** Minutes. */
  firmwareInterval: string;
  baseFwVersion: string;
  baseFwBranch: string;
  rove30FwVersion: string;
  rove30FwBranch: string;
  rove40FwVersion: string;
  rove40FwBranch: string;
  itspMethod: (typeof ITSP_METHODS)[number];
  /** Seconds. */
  itspInterval: string;
  provisioningOption: (typeof PROVISIONING_OPTIONS)[number];
  configUrl: string;
  timeZone: string;
  ntpServer: string;
  /** DECT registration code handsets must enter (default 0000, seed 000). */
  accessCode: string;
}

export type SettingKey = keyof BaseSettings;

export interface ParameterDef {
  key: SettingKey;
  /** Visible label: the exact parameter name the guide uses. */
  label: string;
  /** The key of the device's provisioning/export file (RTX `%KEY%` style, see docs/fidelity.md). */
  fileKey: string;
  unit?: string;
  options?: readonly string[];
  hint: string;
  check(raw: string): string | undefined;
}

export interface ParameterSection {
  id: string;
  title: string;
  params: ParameterDef[];
}

const FOUR_DIGITS = /^\d{4}$/;

function checkVersionOrEmpty(v: string): string | undefined {
  return v === '' || FOUR_DIGITS.test(v) ? undefined : 'must be 4 digits (e.g. 8003), or empty';
}

function checkBranchOrEmpty(v: string): string | undefined {
  return v === '' || FOUR_DIGITS.test(v) ? undefined : 'must be 4 digits (e.g. 0009), or empty';
}

function checkOneOf(options: readonly string[]) {
  return (v: string) => (options.includes(v) ? undefined : `must be one of: ${options.join(', ')}`);
}

function checkInteger(min: number, max: number, unit: string) {
  return (v: string) =>
    /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max
      ? undefined
      : `must be a whole number of ${unit} from ${min} to ${max}`;
}

/** An http(s) URL with a host name, optionally with `${IPEI}`/`${MAC}` placeholders. */
export function checkHttpUrl(v: string, { allowPlaceholders }: { allowPlaceholders: boolean }): string | undefined {
  if (v === '') return undefined;
  if (/\s/.test(v)) return 'must not contain spaces';
  const unknown = v.match(/\$\{([^}]*)\}/g)?.filter((p) => p !== '${IPEI}' && p !== '${MAC}');
  if (unknown?.length) return `unknown placeholder ${unknown[0]} (use \${IPEI} or \${MAC})`;
  if (!allowPlaceholders && v.includes('${')) return 'placeholders are not allowed here';
  let url: URL;
  try {
    url = new URL(v.replaceAll('${IPEI}', '0000000000').replaceAll('${MAC}', '000000000000'));
  } catch {
    return 'is not a valid URL (expected e.g. http://server.example.com/path/)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  if (!url.hostname) return 'must name a server';
  if (url.username || url.password) return 'must not contain a user name or password';
  return undefined;
}

function checkFirmwarePath(v: string): string | undefined {
  if (v === '') return undefined;
  if (!v.startsWith('/')) return 'must start with / (e.g. /voice/dect-ip-phones/Rove/)';
  if (!/^[A-Za-z0-9._~\-/%]+$/.test(v)) return 'may contain only letters, digits and . _ ~ - / %';
  if (v.split('/').includes('..')) return 'must not contain ..';
  return undefined;
}

function checkHostName(v: string): string | undefined {
  if (v === '') return undefined;
  if (v.length > 253) return 'is too long';
  return /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(v)
    ? undefined
    : 'must be a host name or IPv4 address (e.g. pool.ntp.org)';
}

let zones: Set<string> | undefined;
export function timeZones(): string[] {
  return [...(zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]))];
}

function checkTimeZone(v: string): string | undefined {
  timeZones();
  return zones!.has(v) ? undefined : 'is not a known time zone (e.g. Europe/Berlin)';
}

export const SECTIONS: readonly ParameterSection[] = [
  {
    id: 'auto-firmware-update',
    title: 'Auto Firmware Update',
    params: [
      {
        key: 'firmwareServer',
        label: 'FirmwareServer',
        fileKey: 'FWU_SERVER',
        hint: 'Firmware server URL, e.g. http://downloads.polycom.com/',
        check: (v) => checkHttpUrl(v, { allowPlaceholders: false }),
      },
      {
        key: 'firmwarePath',
        label: 'FirmwarePath',
        fileKey: 'FWU_PATH',
        hint: 'Path on the server, e.g. /voice/dect-ip-phones/Rove/',
        check: checkFirmwarePath,
      },
      {
        key: 'firmwareMethod',
        label: 'Method',
        fileKey: 'FWU_METHOD',
        options: FIRMWARE_METHODS,
        hint: 'When the base checks the firmware server',
        check: checkOneOf(FIRMWARE_METHODS),
      },
      {
        key: 'firmwareInterval',
        label: 'Interval',
        fileKey: 'FWU_INTERVAL',
        unit: 'minutes',
        hint: 'Minutes between checks when Method is Periodically',
        check: checkInteger(1, 44640, 'minutes'),
      },
    ],
  },
  {
    id: 'firmware-versions',
    title: 'Firmware Versions and Handset Images',
    params: [
      { key: 'baseFwVersion', label: 'BaseFWVersion', fileKey: 'FWU_BASE_VERSION', hint: 'e.g. 8003', check: checkVersionOrEmpty },
      { key: 'baseFwBranch', label: 'BaseFwBranch', fileKey: 'FWU_BASE_BRANCH', hint: 'e.g. 0009', check: checkBranchOrEmpty },
      { key: 'rove30FwVersion', label: 'Rove30FwVersion', fileKey: 'FWU_ROVE30_VERSION', hint: 'e.g. 8003', check: checkVersionOrEmpty },
      { key: 'rove30FwBranch', label: 'Rove30FwBranch', fileKey: 'FWU_ROVE30_BRANCH', hint: 'e.g. 0009', check: checkBranchOrEmpty },
      { key: 'rove40FwVersion', label: 'Rove40FwVersion', fileKey: 'FWU_ROVE40_VERSION', hint: 'e.g. 8003', check: checkVersionOrEmpty },
      { key: 'rove40FwBranch', label: 'Rove40FwBranch', fileKey: 'FWU_ROVE40_BRANCH', hint: 'e.g. 0009', check: checkBranchOrEmpty },
    ],
  },
  {
    id: 'itsp-provisioning',
    title: 'ITSP Provisioning',
    params: [
      {
        key: 'itspMethod',
        label: 'Method',
        fileKey: 'PROV_METHOD',
        options: ITSP_METHODS,
        hint: 'When the base fetches its configuration',
        check: checkOneOf(ITSP_METHODS),
      },
      {
        key: 'itspInterval',
        label: 'Interval',
        fileKey: 'PROV_INTERVAL',
        unit: 'seconds',
        hint: 'Seconds between fetches when Method is Periodically',
        check: checkInteger(60, 2_592_000, 'seconds'),
      },
      {
        key: 'provisioningOption',
        label: 'ProvisioningOption',
        fileKey: 'PROV_OPTION',
        options: PROVISIONING_OPTIONS,
        hint: 'Where the configuration comes from',
        check: checkOneOf(PROVISIONING_OPTIONS),
      },
      {
        key: 'configUrl',
        label: 'ConfigURL',
        fileKey: 'PROV_CONFIG_URL',
        hint: 'e.g. http://emea.ipp.sdg.teams.microsoft.com/00${IPEI}.cfg — ${IPEI} is replaced per handset, ${MAC} by the base MAC',
        check: (v) => checkHttpUrl(v, { allowPlaceholders: true }),
      },
    ],
  },
  {
    id: 'wan-settings',
    title: 'Time',
    params: [
      { key: 'timeZone', label: 'Time Zone', fileKey: 'NETWORK_TIMEZONE', hint: 'e.g. Europe/Berlin', check: checkTimeZone },
      { key: 'ntpServer', label: 'NTP Server', fileKey: 'NETWORK_SNTP_SERVER', hint: 'e.g. pool.ntp.org', check: checkHostName },
    ],
  },
  {
    id: 'dect-registration',
    title: 'DECT registration',
    params: [
      {
        key: 'accessCode',
        label: 'Access Code',
        fileKey: 'DECT_ACCESS_CODE',
        hint: 'Code handsets enter to register (4 digits, default 0000)',
        check: (v) => (/^\d{4}$/.test(v) ? undefined : 'must be 4 digits (e.g. 0000)'),
      },
    ],
  },
];

export const PARAMETERS: ReadonlyMap<SettingKey, ParameterDef> = new Map(
  SECTIONS.flatMap((s) => s.params.map((p) => [p.key, p] as const)),
);

export function sectionById(id: string): ParameterSection | undefined {
  return SECTIONS.find((s) => s.id === id);
}

/** Factory defaults. Only the 0000 access code comes from a source (seed 000); see docs/fidelity.md. */
export const FACTORY_SETTINGS: Readonly<BaseSettings> = Object.freeze({
  firmwareServer: '',
  firmwarePath: '',
  firmwareMethod: 'Disabled',
  firmwareInterval: '1440',
  baseFwVersion: '',
  baseFwBranch: '',
  rove30FwVersion: '',
  rove30FwBranch: '',
  rove40FwVersion: '',
  rove40FwBranch: '',
  itspMethod: 'Disabled',
  itspInterval: '86400',
  provisioningOption: 'Disabled',
  configUrl: '',
  timeZone: 'UTC',
  ntpServer: 'pool.ntp.org',
  accessCode: '0000',
});

/**
 * Checks a set of submitted values. Every value is trimmed; every bad one is reported (by its visible label).
 * Nothing is partially accepted: either all values are valid or none is returned.
 */
export function checkSettings(input: Partial<Record<SettingKey, unknown>>): Checked<Partial<BaseSettings>> {
  const errors: FieldError[] = [];
  const value: Partial<Record<SettingKey, string>> = {};
  for (const [key, raw] of Object.entries(input) as Array<[SettingKey, unknown]>) {
    const def = PARAMETERS.get(key);
    if (!def) {
      errors.push({ field: key, message: 'is not a setting of this base' });
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      errors.push({ field: def.label, message: 'must be text' });
      continue;
    }
    const v = String(raw).trim();
    const problem = def.check(v);
    if (problem) errors.push({ field: def.label, message: `${def.label} ${problem}` });
    else value[key] = v;
  }
  return errors.length ? { ok: false, errors } : ok(value as Partial<BaseSettings>);
}
