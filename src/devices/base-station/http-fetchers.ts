/**
 * The base's HTTP client: firmware images and ConfigURL files, fetched for real through the emulated internet, turned
 * into what the firmware reports (error codes and messages from firmware-update.ts / itsp-provisioning.ts).
 */
import { setMaxListeners } from 'node:events';
import type { Clock, VirtualClock } from '../../kernel/virtual-clock.ts';
import type { EmulatedInternet, FetchResult } from '../../network/emulated-internet.ts';
import type { FirmwareFetchInput, FirmwareFetchResult, ProvisioningFetchInput } from './base-machine.ts';
import { FIRMWARE_ERRORS, parseFirmwareHeader } from './firmware-update.ts';
import { PROVISIONING_ERRORS, type ProvisioningFetch } from './itsp-provisioning.ts';

export interface FetcherDeps {
  internet: EmulatedInternet;
  clock: Clock & Pick<VirtualClock, 'track'>;
  timeoutMs: number;
  /** A request's total real-time limit (firmware-profile.ts `httpDeadlineMs`). */
  deadlineMs?: number;
}

function transportFailure(r: Extract<FetchResult, { kind: 'failure' }>): 'dns' | 'noanswer' {
  return r.reason === 'dns' ? 'dns' : 'noanswer';
}

/** `signal`: the fetch ends when the base that made it reboots or loses power (xstate stops the fetching actor). */
export async function fetchFirmwareImage(
  deps: FetcherDeps,
  input: FirmwareFetchInput,
  signal?: AbortSignal,
): Promise<FirmwareFetchResult> {
  const r = await deps.clock.track(deps.internet.get(input.url, requestOptions(deps, input.userAgent, signal)));
  if (r.kind === 'failure') {
    if (r.reason === 'invalid-url' || r.reason === 'tls-unsupported') return { ok: false, code: 'FWU-02', message: `${FIRMWARE_ERRORS['FWU-02']} (${r.message})` };
    return transportFailure(r) === 'dns'
      ? { ok: false, code: 'FWU-01', message: `${FIRMWARE_ERRORS['FWU-01']} (${r.message})` }
      : { ok: false, code: 'FWU-02', message: `${FIRMWARE_ERRORS['FWU-02']} (${r.message})` };
  }
  if (r.status === 404) return { ok: false, code: 'FWU-03', message: `${FIRMWARE_ERRORS['FWU-03']}: ${input.url}` };
  if (r.status !== 200) return { ok: false, code: 'FWU-04', message: `${FIRMWARE_ERRORS['FWU-04']} (HTTP ${r.status}): ${input.url}` };
  const header = parseFirmwareHeader(r.body);
  if (!header || header.model !== input.model || header.version !== input.version) {
    const got = header ? `${header.model} ${header.version}` : 'no firmware header';
    return { ok: false, code: 'FWU-05', message: `${FIRMWARE_ERRORS['FWU-05']} (expected ${input.model} ${input.version}, got ${got})` };
  }
  return { ok: true, bytes: r.body.length };
}

function requestOptions(deps: FetcherDeps, agent: string, signal: AbortSignal | undefined) {
  return {
    headers: { 'user-agent': agent },
    timeoutMs: deps.timeoutMs,
    from: agent,
    ...(deps.deadlineMs !== undefined ? { deadlineMs: deps.deadlineMs } : {}),
    ...(signal ? { signal } : {}),
  };
}

export async function fetchProvisioningFiles(
  deps: FetcherDeps,
  { requests, userAgent: agent }: ProvisioningFetchInput,
  signal?: AbortSignal,
): Promise<ProvisioningFetch[]> {
  // One abort signal for a round of up to 30 handsets' files fetched at once: each fetch listens to it until it ends
  // (Node warns of a leak past 10 listeners, which this is not).
  if (signal && requests.length > 10) setMaxListeners(requests.length + 10, signal);
  return deps.clock.track(
    Promise.all(
      requests.map(async ({ source, url }): Promise<ProvisioningFetch> => {
        const r = await deps.internet.get(url, requestOptions(deps, agent, signal));
        if (r.kind === 'failure') {
          const code = r.reason === 'dns' ? 'PRV-01' : 'PRV-02';
          return { source, url, ok: false, code, message: `${PROVISIONING_ERRORS[code]} (${r.message})` };
        }
        if (r.status === 404) return { source, url, ok: false, code: 'PRV-03', message: `${PROVISIONING_ERRORS['PRV-03']}: ${url}` };
        if (r.status !== 200) return { source, url, ok: false, code: 'PRV-04', message: `${PROVISIONING_ERRORS['PRV-04']} (HTTP ${r.status}): ${url}` };
        return { source, url, ok: true, body: r.body.toString('utf8') };
      }),
    ),
  );
}
