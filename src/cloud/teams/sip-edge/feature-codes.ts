/**
 * The Teams feature codes other than `*55*` [MS], dialled as an INVITE to the gateway. [inferred] The gateway answers
 * with a final response whose reason says what happened: 480 = done (the handset plays the confirmation tone and
 * shows it), 403 = refused, 501 = a feature the simulator does not model (said so, never faked).
 *
 * ```text
 *   INVITE *30*  ─▶ DND on   ─▶ 480 Do not disturb on     (403 when no user is signed in)
 *   INVITE *31*  ─▶ DND off  ─▶ 480 Do not disturb off
 *   INVITE *32*…*35*, *99*   ─▶ 501 <feature> (*nn*) is not supported in the simulator
 * ```
 */
import type { ResponseSpec } from '../../../sip/server/sip-text.ts';
import type { TeamsGateway } from '../gateway.ts';

/** The Request-URI users the gateway treats as feature codes (the capture is the code). */
export const FEATURE_CODE = /^\*(3[0-5]|99)\*/;

const UNSUPPORTED_FEATURES: Readonly<Record<string, string>> = {
  '32': 'Reset call forwarding',
  '33': 'Call forwarding',
  '34': 'Forward on no answer',
  '35': 'Simultaneous ring',
  '99': 'Voicemail',
};

/** The gateway's answer to feature code `code` dialled by the device `hardwareId` (undefined: not in its records). */
export function featureCodeAnswer(teams: TeamsGateway, code: string, hardwareId: string | undefined): ResponseSpec {
  const unsupported = UNSUPPORTED_FEATURES[code];
  if (unsupported) return { status: 501, reason: `${unsupported} (*${code}*) is not supported in the simulator` };
  if (!hardwareId) return { status: 403, reason: 'Device not found in records.' };
  const on = teams.setDoNotDisturb(hardwareId, code === '30');
  if (on === null) return { status: 403, reason: 'Sign in first: Do not disturb is for a signed-in user' };
  return { status: 480, reason: on ? 'Do not disturb on' : 'Do not disturb off' };
}
