/**
 * The handset console protocol: JSON text frames over a WebSocket per handset (docs/console-protocol.md).
 *
 * One protocol for every console — the browser page, `rove-sim console`, scripts — so that all of them see the same
 * screen and press keys through the same path as the control API (`Handset.press`).
 */
import type { HandsetView, ToneRecord } from '../../devices/handset/handset.ts';
import { type Checked, fail, ok } from '../../kernel/result.ts';

export const CONSOLE_PROTOCOL = 1;
/** Larger frames are refused: a key string never needs more. */
export const MAX_CLIENT_FRAME_BYTES = 4096;
export const MAX_KEYS_LENGTH = 512;

export type ServerFrame =
  | { type: 'hello'; protocol: typeof CONSOLE_PROTOCOL; ipei: string; model: string }
  | { type: 'view'; view: HandsetView }
  | ({ type: 'tone' } & ToneRecord)
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

export type ClientFrame = { type: 'keys'; keys: string } | { type: 'ping' };

/** Checks one frame from a console; the reply to a bad frame says what was wrong and the connection stays open. */
export function parseClientFrame(data: Buffer | string): Checked<ClientFrame> {
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > MAX_CLIENT_FRAME_BYTES) return fail('frame', `frame too large (${size} bytes, at most ${MAX_CLIENT_FRAME_BYTES})`);
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return fail('frame', 'frame is not JSON: send e.g. {"type":"keys","keys":"{menu}"}');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('frame', 'frame must be a JSON object');
  const frame = value as Record<string, unknown>;
  if (frame['type'] === 'ping') return ok({ type: 'ping' });
  if (frame['type'] === 'keys') {
    const keys = frame['keys'];
    if (typeof keys !== 'string' || keys.length === 0) return fail('keys', '"keys" must be a non-empty string, e.g. "0000{ok}"');
    if (keys.length > MAX_KEYS_LENGTH) return fail('keys', `"keys" is longer than ${MAX_KEYS_LENGTH} characters`);
    return ok({ type: 'keys', keys });
  }
  return fail('type', `unknown frame type ${JSON.stringify(frame['type'])}: use "keys" or "ping"`);
}
