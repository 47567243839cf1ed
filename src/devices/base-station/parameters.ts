/**
 * The base's configurable parameters, as the web admin shows them.
 *
 * Names, sections and example values come from seed 000 ("Firmware update" and "Configuration of the Poly Rove IP
 * DECT system"); the value sets and ranges that no source gives are modelling choices recorded in docs/fidelity.md.
 * One table drives the web admin forms, the control API, configuration export/import and scenario files, so a value
 * is checked the same way wherever it comes from.
 */
import { type Checked, type FieldError, ok } from '../../kernel/result.ts';

export const FIRMWARE_METHODS = ['Disabled', 'Periodically', 'Daily'] as const;
export const ITSP_METHODS = ['Disabled', 'Periodically', 'Daily'] as const;
export const PROVISIONING_OPTIONS = ['Disabled', 'ConfigURL'] as const;
/** Multi-cell (RTX "Multi cell system"): only a Rove B4 can enable it (src/devices/base-station/multi-cell.ts). */
export const MULTI_CELL_SYSTEM = ['Disabled', 'Enabled'] as const;
/** RTX "Data sync": how the bases of a system exchange the primary's data. */
export const DATA_SYNC_MODES = ['Multicast', 'Peer-to-Peer'] as const;
/** RTX "System combination": bases in the system / repeaters per base. The first is RTX's default. */
export const SYSTEM_COMBINATIONS = ['50 bases/3 repeaters', '127 bases/1 repeater', '254 bases/0 repeaters'] as const;
/** Primary: the data master ("DECT server") holding subscriptions and shared settings; Secondary: takes them from it. */
export const BASE_ROLES = ['Primary', 'Secondary'] as const;
/** `DECT sync source` value that lets the base pick its sync source. */
export const AUTO_SYNC_SOURCE = 'Auto';
/** Central directory: where the handsets' Contacts look names up [seed 000: "supports Local, LDAP and XSI Server"]. */
export const DIRECTORY_TYPES = ['Disabled', 'Local', 'LDAP', 'XSI'] as const;
/** LDAP `Use TLS`: Off = ldap:// (port 389), On = LDAPS, TLS from the first byte (port 636). */
export const LDAP_TLS_MODES = ['Off', 'On'] as const;

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
  /** Saved multi-cell settings: the base applies them at its next boot (BaseFlash.multiCell holds what runs). */
  multiCellSystem: (typeof MULTI_CELL_SYSTEM)[number];
  /** 1–65535. */
  systemChainId: string;
  dataSync: (typeof DATA_SYNC_MODES)[number];
  systemCombination: (typeof SYSTEM_COMBINATIONS)[number];
  baseRole: (typeof BASE_ROLES)[number];
  /** `Auto` or the MAC of the base to take DECT sync from (12 hex digits). */
  dectSyncSource: string;
  /** Central directory the handsets search (central-directory.ts). */
  directoryType: (typeof DIRECTORY_TYPES)[number];
  ldapServer: string;
  ldapPort: string;
  ldapTls: (typeof LDAP_TLS_MODES)[number];
  ldapBaseDn: string;
  ldapBindDn: string;
  ldapPassword: string;
  /** RFC 4515 filter with `%` where the typed text goes (escaped). */
  ldapFilter: string;
  ldapNameAttribute: string;
  /** Comma-separated attribute names, in the order the handset lists the numbers. */
  ldapNumberAttributes: string;
  xsiServer: string;
  xsiUser: string;
  xsiPassword: string;
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
  /** A password: the form shows it as dots. */
  secret?: boolean;
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

function checkPrintable(max: number) {
  return (v: string) => (v.length <= max && !/[\u0000-\u001f\u007f]/.test(v) ? undefined : `must be at most ${max} printable characters`);
}

/** A DN as LDAP writes it (`dc=example,dc=com`): every RDN `type=value`. */
function checkDn(v: string): string | undefined {
  if (v === '') return undefined;
  if (v.length > 512 || /[\u0000-\u001f]/.test(v)) return 'is not a DN';
  const rdns = v.split(/(?<!\\),/);
  return rdns.every((rdn) => /^\s*[A-Za-z][A-Za-z0-9-]*\s*=\s*\S/.test(rdn)) ? undefined : 'must be a DN such as dc=example,dc=com';
}

/** The bind identity: a DN, or what Active Directory also accepts for a simple bind (`user@domain`, `DOMAIN\\user`). */
function checkBindDn(v: string): string | undefined {
  if (v === '' || /^[^\s@]+@[^\s@]+$/.test(v) || /^[^\\\s]+\\[^\\\s]+$/.test(v)) return undefined;
  return checkDn(v) ? 'must be a DN (cn=reader,dc=example,dc=com), user@domain or DOMAIN\\user, or empty for an anonymous bind' : undefined;
}

const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** The search filter: balanced parentheses around RFC 4515 items, with `%` for the typed text. */
export function checkLdapFilter(v: string): string | undefined {
  if (!v.includes('%')) return 'must contain % where the typed name goes, e.g. (cn=%*)';
  if (v.length > 512 || !v.startsWith('(') || !v.endsWith(')')) return 'must be an LDAP filter in parentheses, e.g. (|(cn=%*)(sn=%*))';
  let depth = 0;
  for (const c of v.replace(/\\./g, '')) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return 'has a ) without its (';
  }
  if (depth !== 0) return 'has a ( without its )';
  return undefined;
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
  {
    id: 'multi-cell',
    title: 'Multi-cell',
    params: [
      {
        key: 'multiCellSystem',
        label: 'Multi cell system',
        fileKey: 'MULTICELL_SYSTEM',
        options: MULTI_CELL_SYSTEM,
        hint: 'Rove B4 only. Applied after Save and reboot',
        check: checkOneOf(MULTI_CELL_SYSTEM),
      },
      {
        key: 'systemChainId',
        label: 'System chain ID',
        fileKey: 'MULTICELL_CHAIN_ID',
        hint: 'Identifies one multi-cell system: the same on every base of it (1 to 65535, default 512)',
        check: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'must be a whole number from 1 to 65535 (e.g. 512)'),
      },
      {
        key: 'baseRole',
        label: 'Base role',
        fileKey: 'MULTICELL_ROLE',
        options: BASE_ROLES,
        hint: 'Primary: the data master ("DECT server") holding the handset list and shared settings; Secondary: uses the primary\'s',
        check: checkOneOf(BASE_ROLES),
      },
      {
        key: 'dataSync',
        label: 'Data sync',
        fileKey: 'MULTICELL_DATA_SYNC',
        options: DATA_SYNC_MODES,
        hint: 'How the bases exchange the primary\'s data (Multicast needs IGMP on the switches)',
        check: checkOneOf(DATA_SYNC_MODES),
      },
      {
        key: 'systemCombination',
        label: 'System combination',
        fileKey: 'MULTICELL_SYSTEM_COMBINATION',
        options: SYSTEM_COMBINATIONS,
        hint: 'Bases in the system / repeaters per base',
        check: checkOneOf(SYSTEM_COMBINATIONS),
      },
      {
        key: 'dectSyncSource',
        label: 'DECT sync source',
        fileKey: 'MULTICELL_SYNC_SOURCE',
        hint: 'Auto, or the MAC of the base this base takes DECT sync from (12 hex digits)',
        check: (v) =>
          v === AUTO_SYNC_SOURCE || /^[0-9A-Fa-f]{12}$/.test(v) ? undefined : 'must be Auto or a base MAC of 12 hex digits (e.g. 0004F2A00001)',
      },
    ],
  },
  {
    id: 'central-directory',
    title: 'Central Directory',
    params: [
      {
        key: 'directoryType',
        label: 'Directory type',
        fileKey: 'DIRECTORY_TYPE',
        options: DIRECTORY_TYPES,
        hint: 'What the handsets\' Contacts search: the Local entries of this base, an LDAP server, or a BroadSoft XSI server',
        check: checkOneOf(DIRECTORY_TYPES),
      },
    ],
  },
  {
    id: 'ldap',
    title: 'LDAP',
    params: [
      { key: 'ldapServer', label: 'Server', fileKey: 'LDAP_SERVER', hint: 'Host name or IP address, e.g. dc01.contoso.local', check: checkHostName },
      {
        key: 'ldapPort',
        label: 'Port',
        fileKey: 'LDAP_PORT',
        hint: '389 for LDAP, 636 for LDAPS (Use TLS On)',
        check: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'must be a number from 1 to 65535'),
      },
      { key: 'ldapTls', label: 'Use TLS', fileKey: 'LDAP_TLS', options: LDAP_TLS_MODES, hint: 'On: LDAPS (TLS from the first byte); the server certificate must be trusted', check: checkOneOf(LDAP_TLS_MODES) },
      { key: 'ldapBaseDn', label: 'Base DN', fileKey: 'LDAP_BASE_DN', hint: 'Where the search starts, e.g. ou=People,dc=contoso,dc=local', check: checkDn },
      { key: 'ldapBindDn', label: 'Bind DN', fileKey: 'LDAP_BIND_DN', hint: 'The account the base logs in with (empty: anonymous), e.g. cn=rove,ou=Service,dc=contoso,dc=local or rove@contoso.local', check: checkBindDn },
      { key: 'ldapPassword', label: 'Password', fileKey: 'LDAP_PASSWORD', secret: true, hint: 'Password of the bind account', check: checkPrintable(128) },
      { key: 'ldapFilter', label: 'Search filter', fileKey: 'LDAP_FILTER', hint: '% is replaced by what the handset user types, e.g. (&(objectClass=person)(|(cn=%*)(sn=%*)))', check: checkLdapFilter },
      {
        key: 'ldapNameAttribute',
        label: 'Name attribute',
        fileKey: 'LDAP_NAME_ATTRIBUTE',
        hint: 'The name shown on the handset: cn, or displayName on Active Directory',
        check: (v) => (ATTRIBUTE.test(v) ? undefined : 'must be an attribute name such as cn or displayName'),
      },
      {
        key: 'ldapNumberAttributes',
        label: 'Number attributes',
        fileKey: 'LDAP_NUMBER_ATTRIBUTES',
        hint: 'Comma-separated, in the order the handset offers them, e.g. telephoneNumber,mobile,ipPhone',
        check: (v) => {
          const names = v.split(',').map((n) => n.trim());
          return names.length >= 1 && names.length <= 5 && names.every((n) => ATTRIBUTE.test(n)) ? undefined : 'must be 1 to 5 attribute names separated by commas, e.g. telephoneNumber,mobile';
        },
      },
    ],
  },
  {
    id: 'xsi',
    title: 'XSI',
    params: [
      { key: 'xsiServer', label: 'XSI Server', fileKey: 'XSI_SERVER', hint: 'BroadSoft XSI URL, e.g. https://xsp.example.com/', check: (v) => checkHttpUrl(v, { allowPlaceholders: false }) },
      { key: 'xsiUser', label: 'User', fileKey: 'XSI_USER', hint: 'XSI user ID, e.g. user@example.com', check: checkPrintable(128) },
      { key: 'xsiPassword', label: 'Password', fileKey: 'XSI_PASSWORD', secret: true, hint: 'XSI password', check: checkPrintable(128) },
    ],
  },
];

export const PARAMETERS: ReadonlyMap<SettingKey, ParameterDef> = new Map(
  SECTIONS.flatMap((s) => s.params.map((p) => [p.key, p] as const)),
);

export function sectionById(id: string): ParameterSection | undefined {
  return SECTIONS.find((s) => s.id === id);
}

/** Factory defaults. The 0000 access code is seed 000; the multi-cell defaults (Disabled, chain 512, Multicast, 50/3) are RTX; see docs/fidelity.md. */
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
  multiCellSystem: 'Disabled',
  systemChainId: '512',
  dataSync: 'Multicast',
  systemCombination: '50 bases/3 repeaters',
  baseRole: 'Primary',
  dectSyncSource: AUTO_SYNC_SOURCE,
  directoryType: 'Local',
  ldapServer: '',
  ldapPort: '389',
  ldapTls: 'Off',
  ldapBaseDn: '',
  ldapBindDn: '',
  ldapPassword: '',
  ldapFilter: '(&(objectClass=person)(|(cn=%*)(sn=%*)(givenName=%*)))',
  ldapNameAttribute: 'cn',
  ldapNumberAttributes: 'telephoneNumber,mobile,ipPhone',
  xsiServer: '',
  xsiUser: '',
  xsiPassword: '',
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
