/**
 * The fault catalogue: what can go wrong in a rollout, each injectable from a scenario, the control API
 * (`POST /api/faults`) and reversible (`DELETE /api/faults/:id`). fault-board.ts applies them.
 */
export const FAULT_TYPES = [
  'base-power-loss',
  'handset-power-loss',
  'site-network-loss',
  'provisioning-server',
  'firmware-missing',
  'wrong-config-url',
  'expired-codes',
  'untrusted-public-ip',
  'handset-out-of-range',
  'sip-server',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

export interface FaultInfo {
  type: FaultType;
  title: string;
  /** What the fault does and how it is undone. */
  description: string;
  /** Targets it takes: `bases` (MACs), `handsets` (IPEIs), `site`, and other fields. */
  takes: string[];
  available: boolean;
  /** Why not, when unavailable. */
  unavailableReason?: string;
}

export const FAULT_CATALOGUE: readonly FaultInfo[] = [
  {
    type: 'base-power-loss',
    title: 'Power loss of a base',
    description:
      'The bases lose power (no orderly shutdown), at once or — with during: download or install — when each reaches that phase of a firmware update (the image half received, or half written: "do not power off the base"); a duration then counts from the cut. Undo: power comes back and they boot.',
    takes: ['bases', 'during'],
    available: true,
  },
  {
    type: 'handset-power-loss',
    title: 'Power loss of a handset',
    description: 'The battery is pulled. Undo: the battery is back and the handset starts.',
    takes: ['handsets'],
    available: true,
  },
  {
    type: 'site-network-loss',
    title: 'Network loss for a site',
    description:
      'Bases of the site (or the given bases) reach nothing on the emulated internet: every request fails as "no route to host", and their lines\' SIP goes nowhere (a base that boots cannot reach the SIP server; a registered line finds out at its next re-REGISTER, 408 after 32 s; calls get no answer). Undo: the network is back; lines register at their next retry.',
    takes: ['site', 'bases'],
    available: true,
  },
  {
    type: 'provisioning-server',
    title: 'Teams provisioning server errors or timeouts',
    description: 'The emulated Teams provisioning hosts answer HTTP 5xx (mode error, status default 503) or do not answer (mode timeout), for all bases or those of a site. Undo: normal answers again.',
    takes: ['mode', 'status', 'site', 'bases'],
    available: true,
  },
  {
    type: 'firmware-missing',
    title: 'Firmware server missing a file',
    description: 'downloads.polycom.com answers 404 for the file (a name such as RoveB4_v8003_b0009.fwu or a full path). Undo: the file is back.',
    takes: ['file'],
    available: true,
  },
  {
    type: 'wrong-config-url',
    title: 'Wrong ConfigURL',
    description: "The bases' ConfigURL is replaced by a wrong one (default: the Teams URL with a typo in the host). Saving it is a change of provisioning target, so the base goes through its reboots. Undo: the previous ConfigURL is saved back — on a base that is rebooting, booting or off (its web admin does not answer) as soon as it is up again.",
    takes: ['bases', 'configUrl'],
    available: true,
  },
  {
    type: 'expired-codes',
    title: 'Expired verification codes',
    description: 'Scenario enrollment steps enter each verification code 24 h and 1 min after it was generated (lab time moves on), so the gateway refuses it as expired. Undo: codes are entered at once again. Affects scenario steps only.',
    takes: [],
    available: true,
  },
  {
    type: 'untrusted-public-ip',
    title: 'Untrusted public IP',
    description: "The site's public IP, as the Teams gateway sees it, changes to one outside the tenant's Trusted IPs (default 192.0.2.<n>), so bulk sign-in fails with \"Public IP not configured as Trusted IP.\" (with start --untrusted-ip-error detailed: \"Public IP IPv4 - <IP>, IPv6 -  for the device is not trusted. …\"). Undo: the old IP is back.",
    takes: ['site', 'publicIp'],
    available: true,
  },
  {
    type: 'handset-out-of-range',
    title: 'Handset out of range',
    description: 'The handsets are carried out of range of every base. Undo: carried back.',
    takes: ['handsets'],
    available: true,
  },
  {
    type: 'sip-server',
    title: 'SIP server 5xx or timeouts',
    description:
      "The SIP registrar (the lab's sip.lab.test and/or the Teams regions' registrars: server lab, teams or a host, region NOAM/EMEA/APAC; default all) answers REGISTER and new calls with a 5xx (mode error, status default 503 with Retry-After) or not at all (mode timeout: lines give up after 32 s). Lines already registered notice at their next refresh, then show Error and retry with their back-off. Undo: normal answers again; lines come back at their next retry.",
    takes: ['mode', 'status', 'server', 'region'],
    available: true,
  },
];
