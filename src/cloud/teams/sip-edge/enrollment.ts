/**
 * Enrollment over SIP [MS]: the device dials `*55*<verification code>` through the gateway of its region.
 *
 * ```text
 *   INVITE *55*<code> ─▶ gateway.enroll ─ok──────▶ 486 Busy Here   (the handset plays its busy tone three times)
 *                                       ─refused─▶ 403 <the gateway's reason>
 *   unknown device    ─▶ 403 Device not found in records.
 * ```
 *
 * [inferred] A good code answered 486 is the seed-000 observation of three busy tones (docs/fidelity.md).
 */
import type { ResponseSpec } from '../../../sip/server/sip-text.ts';
import type { TeamsGateway } from '../gateway.ts';
import type { Region } from '../regions.ts';

export const ENROLL_PREFIX = '*55*';

/** The gateway's answer to `*55*<code>` (the Request-URI user `target`) from the device `hardwareId`. */
export function enrollmentAnswer(teams: TeamsGateway, target: string, hardwareId: string | undefined, region: Region): ResponseSpec {
  if (!hardwareId) return { status: 403, reason: 'Device not found in records.' };
  const result = teams.enroll(hardwareId, target.slice(ENROLL_PREFIX.length).replace(/[#*]+$/, ''), region);
  return result.ok ? { status: 486, reason: 'Busy Here' } : { status: 403, reason: result.message.replace(/[\r\n]/g, ' ') };
}
