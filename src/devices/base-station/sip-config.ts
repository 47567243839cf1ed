/**
 * The base's SIP configuration as its web admin edits it (RTX "Servers" and "Extensions" pages), kept in the flash.
 *
 * - A server is a registrar/proxy: address, port, transport, registration expiry, outbound proxy.
 * - An extension is a line: number, authentication user and password, display name, the server it registers to and
 *   the handset (IPEI) it belongs to. [RTX] extensions need a server first; extension numbers are unique.
 * - [inferred] A line registers only while its handset is subscribed to the base (docs/fidelity.md, SIP wiring).
 */
import type { Checked, FieldError } from '../../kernel/result.ts';

export const SIP_TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS'] as const;
export type SipTransport = (typeof SIP_TRANSPORTS)[number];

export interface SipServerConfig {
  /** 1-based, stable: extensions refer to it. */
  id: number;
  /** Registrar/proxy address (host name or IP). */
  address: string;
  port: number;
  transport: SipTransport;
  /** Registration expiry the lines ask for (s). */
  registrationExpiry: number;
  /** `host[:port]`, or empty for none. */
  outboundProxy: string;
  /**
   * TLS and WSS: accept any server certificate (self-signed, another host's) instead of only those from a trusted CA.
   * [inferred] Absent (as in a flash from before the setting) means no: certificates are checked (docs/fidelity.md, SIP).
   */
  acceptAllCertificates?: boolean;
}

export interface SipExtensionConfig {
  extension: string;
  authUser: string;
  password: string;
  displayName: string;
  serverId: number;
  /** IPEI (10 hex digits) of the handset the extension belongs to, or '' for none yet. */
  handset: string;
}

export interface SipConfig {
  servers: SipServerConfig[];
  extensions: SipExtensionConfig[];
}

export const EMPTY_SIP_CONFIG: Readonly<SipConfig> = Object.freeze({ servers: [], extensions: [] });

/** Up to 10 servers and 1000 extensions per system [RTX]. */
export const MAX_SIP_SERVERS = 10;
export const MAX_EXTENSIONS = 1000;

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const EXTENSION = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,31}$/;
const IPEI = /^[0-9A-F]{10}$/;

export type SipServerInput = Record<'address' | 'port' | 'transport' | 'registrationExpiry' | 'outboundProxy', string> & {
  /** `yes` or `no` (default). */
  acceptAllCertificates?: string;
};
export type SipExtensionInput = Record<'extension' | 'authUser' | 'password' | 'displayName' | 'serverId' | 'handset', string>;

/** Field labels as the pages show them (errors name them). */
export const SERVER_LABELS: Readonly<Record<keyof SipServerInput, string>> = {
  address: 'Registrar / proxy address',
  port: 'Port',
  transport: 'Transport',
  registrationExpiry: 'Registration expiry (s)',
  outboundProxy: 'Outbound proxy',
  acceptAllCertificates: 'Accept all certificates (TLS, WSS)',
};

export const EXTENSION_LABELS: Readonly<Record<keyof SipExtensionInput, string>> = {
  extension: 'Extension',
  authUser: 'Authentication user',
  password: 'Authentication password',
  displayName: 'Display name',
  serverId: 'Server',
  handset: 'Handset (IPEI)',
};

function err(field: string, message: string): FieldError {
  return { field, message };
}

/** Checks a server as typed; `existing` is the configuration it joins (for the count). */
export function checkServer(input: SipServerInput, config: SipConfig, id?: number): Checked<SipServerConfig> {
  const errors: FieldError[] = [];
  const address = input.address.trim();
  if (!HOST.test(address)) errors.push(err(SERVER_LABELS.address, `${SERVER_LABELS.address}: "${address}" is not a host name or IP address`));
  const port = input.port.trim();
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) errors.push(err(SERVER_LABELS.port, `${SERVER_LABELS.port}: must be a number from 1 to 65535`));
  const transport = input.transport.trim().toUpperCase();
  if (!(SIP_TRANSPORTS as readonly string[]).includes(transport)) errors.push(err(SERVER_LABELS.transport, `${SERVER_LABELS.transport}: must be one of ${SIP_TRANSPORTS.join(', ')}`));
  const expiry = input.registrationExpiry.trim();
  if (!/^\d{1,6}$/.test(expiry) || Number(expiry) < 60 || Number(expiry) > 86400) {
    errors.push(err(SERVER_LABELS.registrationExpiry, `${SERVER_LABELS.registrationExpiry}: must be a number of seconds from 60 to 86400`));
  }
  const outboundProxy = input.outboundProxy.trim();
  if (outboundProxy !== '') {
    const [host, p, ...rest] = outboundProxy.split(':');
    if (rest.length > 0 || !HOST.test(host ?? '') || (p !== undefined && (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535))) {
      errors.push(err(SERVER_LABELS.outboundProxy, `${SERVER_LABELS.outboundProxy}: "${outboundProxy}" must be host or host:port, or empty`));
    }
  }
  const acceptAll = (input.acceptAllCertificates ?? 'no').trim().toLowerCase();
  if (acceptAll !== 'yes' && acceptAll !== 'no') {
    errors.push(err(SERVER_LABELS.acceptAllCertificates, `${SERVER_LABELS.acceptAllCertificates}: must be yes or no`));
  }
  if (id === undefined && config.servers.length >= MAX_SIP_SERVERS) errors.push(err('Servers', `At most ${MAX_SIP_SERVERS} servers can be defined`));
  if (errors.length) return { ok: false, errors };
  const nextId = id ?? Math.max(0, ...config.servers.map((s) => s.id)) + 1;
  return {
    ok: true,
    value: {
      id: nextId,
      address,
      port: Number(port),
      transport: transport as SipTransport,
      registrationExpiry: Number(expiry),
      outboundProxy,
      // Kept only when set: a server entry that checks certificates reads as it did before the setting existed.
      ...(acceptAll === 'yes' ? { acceptAllCertificates: true } : {}),
    },
  };
}

/** Checks an extension as typed against the configuration it joins (`replacing`: the extension being edited). */
export function checkExtension(input: SipExtensionInput, config: SipConfig, replacing?: string): Checked<SipExtensionConfig> {
  const errors: FieldError[] = [];
  if (config.servers.length === 0) {
    return { ok: false, errors: [err('Servers', 'Define a server first (Servers page): every extension registers to a server')] };
  }
  const extension = input.extension.trim();
  if (!EXTENSION.test(extension)) errors.push(err(EXTENSION_LABELS.extension, `${EXTENSION_LABELS.extension}: "${extension}" is not an extension (1–32 letters, digits, . _ + -; e.g. 1001)`));
  else if (extension !== replacing && config.extensions.some((e) => e.extension === extension)) {
    errors.push(err(EXTENSION_LABELS.extension, `${EXTENSION_LABELS.extension}: ${extension} already exists; extension numbers must be unique`));
  }
  const authUser = input.authUser.trim() || extension;
  if (!EXTENSION.test(authUser)) errors.push(err(EXTENSION_LABELS.authUser, `${EXTENSION_LABELS.authUser}: "${authUser}" is not a user name (1–32 letters, digits, . _ + -)`));
  const password = input.password;
  if (password.length === 0 || password.length > 64 || /[\u0000-\u001f"\\]/.test(password)) {
    errors.push(err(EXTENSION_LABELS.password, `${EXTENSION_LABELS.password}: 1–64 printable characters without " or \\`));
  }
  const displayName = input.displayName.trim();
  if (displayName.length > 64 || /["\\\r\n]/.test(displayName)) errors.push(err(EXTENSION_LABELS.displayName, `${EXTENSION_LABELS.displayName}: at most 64 characters, without " or \\`));
  const serverId = Number(input.serverId.trim());
  if (!config.servers.some((s) => s.id === serverId)) errors.push(err(EXTENSION_LABELS.serverId, `${EXTENSION_LABELS.serverId}: pick one of the defined servers`));
  const handset = input.handset.trim().toUpperCase();
  if (handset !== '' && !IPEI.test(handset)) errors.push(err(EXTENSION_LABELS.handset, `${EXTENSION_LABELS.handset}: "${handset}" is not an IPEI (10 hex digits), or leave it empty`));
  else if (handset !== '' && config.extensions.some((e) => e.handset === handset && e.extension !== replacing)) {
    const other = config.extensions.find((e) => e.handset === handset)!;
    errors.push(err(EXTENSION_LABELS.handset, `${EXTENSION_LABELS.handset}: handset ${handset} already has extension ${other.extension}`));
  }
  if (replacing === undefined && config.extensions.length >= MAX_EXTENSIONS) errors.push(err('Extensions', `At most ${MAX_EXTENSIONS} extensions can be defined`));
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { extension, authUser, password, displayName: displayName || extension, serverId, handset } };
}

/** The configuration of a flash that may predate SIP. */
export function sipConfigOf(flash: { sip?: SipConfig | null }): SipConfig {
  return flash.sip ?? EMPTY_SIP_CONFIG;
}

/** What the SIP pages need of a base: its flash and a way to save (BaseStation satisfies it). */
export interface SipConfigurable {
  readonly flash: { sip?: SipConfig | null };
  send(event: { type: 'SET_SIP_CONFIG'; sip: SipConfig }): void;
}

/** Adds a server (or replaces server `id`); nothing is saved unless every value is valid. */
export function saveSipServer(base: SipConfigurable, input: SipServerInput, id?: number): Checked<SipServerConfig> {
  const config = sipConfigOf(base.flash);
  if (id !== undefined && !config.servers.some((s) => s.id === id)) return { ok: false, errors: [err('Server', `There is no server ${id}`)] };
  const checked = checkServer(input, config, id);
  if (!checked.ok) return checked;
  const servers = id === undefined ? [...config.servers, checked.value] : config.servers.map((s) => (s.id === id ? checked.value : s));
  base.send({ type: 'SET_SIP_CONFIG', sip: { ...config, servers } });
  return checked;
}

/** Removes a server; refused while extensions use it. */
export function removeSipServer(base: SipConfigurable, id: number): Checked<null> {
  const config = sipConfigOf(base.flash);
  if (!config.servers.some((s) => s.id === id)) return { ok: false, errors: [err('Server', `There is no server ${id}`)] };
  const users = config.extensions.filter((e) => e.serverId === id).map((e) => e.extension);
  if (users.length) return { ok: false, errors: [err('Server', `Server ${id} is used by extension${users.length > 1 ? 's' : ''} ${users.join(', ')}; delete or move them first`)] };
  base.send({ type: 'SET_SIP_CONFIG', sip: { ...config, servers: config.servers.filter((s) => s.id !== id) } });
  return { ok: true, value: null };
}

/** Adds an extension (or replaces `replacing`); nothing is saved unless every value is valid. */
export function saveExtension(base: SipConfigurable, input: SipExtensionInput, replacing?: string): Checked<SipExtensionConfig> {
  const config = sipConfigOf(base.flash);
  if (replacing !== undefined && !config.extensions.some((e) => e.extension === replacing)) {
    return { ok: false, errors: [err('Extension', `There is no extension ${replacing}`)] };
  }
  const checked = checkExtension(input, config, replacing);
  if (!checked.ok) return checked;
  const extensions =
    replacing === undefined ? [...config.extensions, checked.value] : config.extensions.map((e) => (e.extension === replacing ? checked.value : e));
  base.send({ type: 'SET_SIP_CONFIG', sip: { ...config, extensions } });
  return checked;
}

export function removeExtension(base: SipConfigurable, extension: string): Checked<null> {
  const config = sipConfigOf(base.flash);
  if (!config.extensions.some((e) => e.extension === extension)) return { ok: false, errors: [err('Extension', `There is no extension ${extension}`)] };
  base.send({ type: 'SET_SIP_CONFIG', sip: { ...config, extensions: config.extensions.filter((e) => e.extension !== extension) } });
  return { ok: true, value: null };
}
