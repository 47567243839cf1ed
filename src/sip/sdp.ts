/**
 * Plain SDP (RFC 4566) for calls without media: one audio stream offering G.711 and telephone-events, and the media
 * direction attribute that carries hold (RFC 3264 §8.4: `sendonly` puts the other side on hold, `inactive` when both
 * hold). No RTP is ever sent; the port is a plausible one so that real peers (Kamailio, SIPp) see a normal offer.
 */

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpOptions {
  /** Address in `o=` and `c=` lines. */
  address: string;
  /** RTP port announced (nothing listens on it). */
  port: number;
  sessionId: number;
  version: number;
  direction: MediaDirection;
}

export function buildSdp(options: SdpOptions): string {
  return [
    'v=0',
    `o=- ${options.sessionId} ${options.version} IN IP4 ${options.address}`,
    's=Rove Simulator',
    `c=IN IP4 ${options.address}`,
    't=0 0',
    `m=audio ${options.port} RTP/AVP 0 8 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    'a=ptime:20',
    `a=${options.direction}`,
    '',
  ].join('\r\n');
}

/** The direction of the first audio stream (media-level attribute, else session-level, else sendrecv). */
export function sdpDirection(sdp: string): MediaDirection {
  const lines = sdp.split(/\r?\n/);
  let session: MediaDirection | undefined;
  let media: MediaDirection | undefined;
  let inAudio = false;
  let seenMedia = false;
  for (const line of lines) {
    if (line.startsWith('m=')) {
      if (seenMedia && inAudio) break;
      seenMedia = true;
      inAudio = line.startsWith('m=audio');
      continue;
    }
    const match = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.exec(line);
    if (!match) continue;
    const direction = match[1] as MediaDirection;
    if (!seenMedia) session = direction;
    else if (inAudio) media = direction;
  }
  return media ?? session ?? 'sendrecv';
}

/** Whether a text is an SDP body at all (starts with `v=0`). */
export function looksLikeSdp(body: string): boolean {
  return /^v=0\r?\n/.test(body);
}

/**
 * The direction to answer with (RFC 3264 §6.1): what we want, limited by the mirror of what was offered.
 * `wanted` is `sendonly` while we hold the call, else `sendrecv`.
 */
export function answerDirection(offered: MediaDirection, wanted: MediaDirection): MediaDirection {
  const remoteSends = offered === 'sendrecv' || offered === 'sendonly';
  const remoteReceives = offered === 'sendrecv' || offered === 'recvonly';
  const weSend = (wanted === 'sendrecv' || wanted === 'sendonly') && remoteReceives;
  const weReceive = (wanted === 'sendrecv' || wanted === 'recvonly') && remoteSends;
  if (weSend && weReceive) return 'sendrecv';
  if (weSend) return 'sendonly';
  if (weReceive) return 'recvonly';
  return 'inactive';
}

/** True when this side's stream, with `direction` as seen from here, means the other side put us on hold. */
export function heldByRemote(remoteDirection: MediaDirection): boolean {
  return remoteDirection === 'sendonly' || remoteDirection === 'inactive';
}
