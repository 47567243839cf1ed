/**
 * The gateway's firmware check on every REGISTER and INVITE: Teams needs base and handset firmware 8.0.3 or later
 * [MS, seed 000]. The versions come from the User-Agent the base sends for the handset's line
 * (`RoveB4 8.0.0.0402 <MAC> Rove30 8.0.3.0009`: base model, base firmware, base MAC, handset model, handset firmware).
 */
import { meetsTeamsMinimum } from '../../../devices/base-station/firmware-version.ts';

const UA = /^(\S+) (\d+\.\d+\.\d+\.\d+) ([0-9A-F]{12})(?: (Rove\d+) (\d+\.\d+\.\d+\.\d+))?/;

/** What the gateway reads from a Rove User-Agent, or undefined when it is not one. */
export interface RoveUserAgent {
  baseFirmware: string;
  baseMac: string;
  handsetFirmware: string | undefined;
}

export function parseRoveUserAgent(userAgent: string | null): RoveUserAgent | undefined {
  const ua = UA.exec(userAgent ?? '');
  return ua ? { baseFirmware: ua[2]!, baseMac: ua[3]!, handsetFirmware: ua[5] } : undefined;
}

/** Why the gateway refuses a device by its User-Agent, or null. */
export function firmwareRefusal(userAgent: string | null): string | null {
  const ua = parseRoveUserAgent(userAgent);
  if (!ua) return null;
  if (!meetsTeamsMinimum(ua.baseFirmware)) return `Base firmware ${ua.baseFirmware} not supported: Teams needs 8.0.3 or later`;
  if (ua.handsetFirmware && !meetsTeamsMinimum(ua.handsetFirmware)) {
    return `Handset firmware ${ua.handsetFirmware} not supported: Teams needs 8.0.3 or later`;
  }
  return null;
}
