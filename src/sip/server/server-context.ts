/**
 * What the parts of the embedded SIP server (proxy, test number) share: transactions, the request being handled,
 * and the services the server offers them (send, answer, its own address on a flow).
 */
import { randomFillSync } from 'node:crypto';
import type { Core, URI } from 'sip.js';
import type { Clock } from '../../kernel/virtual-clock.ts';
import type { Flow } from './flow.ts';
import type { ResponseSpec, SipText } from './sip-text.ts';
import type { Timeline, TimelineEntry } from './timeline.ts';

/** A request the server received, with the transaction it belongs to. */
export interface InboundRequest {
  message: Core.IncomingRequestMessage;
  /** Request-URI (always present once the request was admitted). */
  ruri: URI;
  text: SipText;
  flow: Flow;
  entry: TimelineEntry;
  tx: ServerTransaction;
  /** The request carried `Contact: *`. */
  contactWildcard: boolean;
}

export interface InboundResponse {
  message: Core.IncomingResponseMessage;
  status: number;
  reason: string;
  text: SipText;
  flow: Flow;
}

/** The server side of a transaction (RFC 3261 §17.2), kept to answer retransmissions and to match CANCEL and ACK. */
export interface ServerTransaction {
  key: string;
  method: string;
  flow: Flow;
  text: SipText;
  message: Core.IncomingRequestMessage;
  entry: TimelineEntry;
  /** Latest status sent upstream (0: none yet). */
  status: number;
  lastResponse: string | undefined;
  /** To tag for responses the server generates itself. */
  toTag: string;
  /** The branch the request was forwarded on, if it was. */
  forwarded: ClientTransaction | undefined;
  /** Set when a local agent (the test number) answers it. */
  local: { cancel(): void } | undefined;
}

/** The client side of a transaction the server sent (a forwarded request, or one it originated). */
export interface ClientTransaction {
  /** `branch|METHOD`: CANCEL shares its INVITE's branch. */
  key: string;
  branch: string;
  method: string;
  flow: Flow;
  text: SipText;
  server: ServerTransaction | undefined;
  /** For requests the server originated: what to do with the answer. */
  onResponse: ((response: InboundResponse) => void) | undefined;
  final: boolean;
  /** Forwarded INVITE: when Timer C (RFC 3261 §16.6 step 11) runs out, pushed on by every provisional answer. */
  timerCDueAt?: number;
}

export interface ServerContext {
  readonly domain: string;
  /** Lab clock (timeline stamps). */
  readonly clock: Clock;
  readonly timeline: Timeline;
  /** Sends on a flow; false when the flow is closed or the send failed. */
  send(flow: Flow, text: string): boolean;
  /** Answers a request on its flow, records it on the transaction and the timeline. */
  reply(request: InboundRequest, spec: ResponseSpec): void;
  /** The same for a transaction whose request is no longer at hand (a timer of the proxy answering for a callee). */
  replyTransaction(tx: ServerTransaction, spec: ResponseSpec): void;
  /** A transaction got its final answer: keep it a while for retransmissions and the ACK, then forget it. */
  completeTransaction(tx: ServerTransaction): void;
  /** `host[:port]` of the server as seen over a flow, for Via, Record-Route and Contact. */
  localAddress(flow: Flow): string;
  /** Sends a request the server originates (BYE of a lost call, the test number hanging up, a NOTIFY to a device). */
  originate(flow: Flow, text: SipText, onResponse?: (response: InboundResponse) => void): TimelineEntry;
  /** Remembers that a contact is reached over a flow (Contact of REGISTER, INVITE, 2xx). */
  noteContact(uri: URI | undefined, flow: Flow): void;
  flowForContact(key: string): Flow | undefined;
}

/**
 * Random bytes for tags and branches, drawn from the system's generator a few kilobytes at a time: one
 * `randomBytes(6)` per transaction cost more than the rest of answering a REGISTER. The bytes are as random as
 * before; each is handed out once.
 */
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

function randomHex(bytes: number): string {
  if (poolUsed + bytes > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const hex = pool.toString('hex', poolUsed, poolUsed + bytes);
  poolUsed += bytes;
  return hex;
}

/** `z9hG4bK…` branch (RFC 3261 §8.1.1.7). */
export function newBranch(): string {
  return 'z9hG4bK' + randomHex(8);
}

export function newTag(): string {
  return randomHex(6);
}

/** `user@host:port`, lower case: how a Request-URI finds the contact it addresses. */
export function contactKey(uri: URI): string {
  return `${uri.user ?? ''}@${uri.host}:${uri.port ?? ''}`.toLowerCase();
}

/**
 * Server transaction key (RFC 3261 §17.2.3): the top Via branch with its sent-by, and the method (ACK and CANCEL
 * match the INVITE's branch, so the caller passes which method to look for).
 */
export function transactionKey(message: Core.IncomingRequestMessage, method: string): string {
  const via = message.via as { host?: string; port?: number } | undefined;
  const sentBy = `${via?.host ?? ''}:${via?.port ?? ''}`;
  const branch = message.viaBranch;
  if (branch && branch.startsWith('z9hG4bK')) return `${branch}|${sentBy}|${method}`;
  // RFC 2543 peers: no magic cookie, match on the dialog-ish identifiers instead.
  return `${message.callId}|${message.fromTag ?? ''}|${message.cseq}|${sentBy}|${method}`;
}
