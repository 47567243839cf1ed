/**
 * A sip.js `SessionDescriptionHandler` for Node: offers and answers a plain SDP (one G.711 audio stream, see
 * `../sdp.ts`) and never opens media. It keeps the one piece of media state a handset shows: who holds the call.
 *
 * - `getDescription({ hold: true })` offers `a=sendonly` (we hold); `{ hold: false }` offers `a=sendrecv` (resume).
 *   The choice sticks, so a re-INVITE from the other side while we hold is answered `sendonly`/`inactive`.
 * - A remote offer of `sendonly`/`inactive` means the other side holds us (RFC 3264 §8.4).
 * - Offer or answer? An SDP set after we produced an offer is the answer; any other is an offer.
 */
import type { BodyAndContentType, SessionDescriptionHandler, SessionDescriptionHandlerOptions } from 'sip.js';
import { answerDirection, buildSdp, looksLikeSdp, type MediaDirection, sdpDirection } from '../sdp.ts';

export interface PlainSdpOptions extends SessionDescriptionHandlerOptions {
  /** Put the call on hold (true) or take it off hold (false); leave out to keep the current state. */
  hold?: boolean;
}

export interface PlainSdpConfig {
  /** Address announced in the SDP (the base's address). */
  address: string;
  /** RTP port announced (nothing listens). */
  port: number;
  /** Called after every remote description (the line refreshes the call's hold state). */
  onRemoteDescription?: (direction: MediaDirection) => void;
}

export class PlainSdpHandler implements SessionDescriptionHandler {
  /** We hold the call. */
  localHold = false;
  /** Direction the other side last described (from its point of view). */
  remoteDirection: MediaDirection = 'sendrecv';
  private pendingOffer: string | undefined;
  private awaitingAnswer = false;
  private version = 0;
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private closed = false;

  constructor(private readonly config: PlainSdpConfig) {}

  /** The other side holds the call. */
  get heldByRemote(): boolean {
    return this.remoteDirection === 'sendonly' || this.remoteDirection === 'inactive';
  }

  close(): void {
    this.closed = true;
  }

  getDescription(options?: PlainSdpOptions): Promise<BodyAndContentType> {
    if (this.closed) return Promise.reject(new Error('session description handler closed'));
    if (options?.hold !== undefined) this.localHold = options.hold;
    const wanted: MediaDirection = this.localHold ? 'sendonly' : 'sendrecv';
    let direction: MediaDirection = wanted;
    if (this.pendingOffer !== undefined) {
      direction = answerDirection(sdpDirection(this.pendingOffer), wanted);
      this.pendingOffer = undefined;
    } else {
      this.awaitingAnswer = true;
    }
    const body = buildSdp({ address: this.config.address, port: this.config.port, sessionId: this.sessionId, version: this.version++, direction });
    return Promise.resolve({ body, contentType: 'application/sdp' });
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]?.trim().toLowerCase() === 'application/sdp';
  }

  setDescription(sdp: string, options?: PlainSdpOptions): Promise<void> {
    if (this.closed) return Promise.reject(new Error('session description handler closed'));
    if (!looksLikeSdp(sdp)) return Promise.reject(new Error('not an SDP body'));
    if (options?.hold !== undefined) this.localHold = options.hold;
    if (this.awaitingAnswer) this.awaitingAnswer = false;
    else this.pendingOffer = sdp;
    this.remoteDirection = sdpDirection(sdp);
    this.config.onRemoteDescription?.(this.remoteDirection);
    return Promise.resolve();
  }

  rollbackDescription(): Promise<void> {
    this.awaitingAnswer = false;
    this.pendingOffer = undefined;
    return Promise.resolve();
  }

  sendDtmf(): boolean {
    return true;
  }
}
