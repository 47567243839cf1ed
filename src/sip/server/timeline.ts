/**
 * What the embedded SIP server saw and did, newest last, in a bounded ring buffer: the data behind the registration
 * storm view and the SIP ladder of a call. One entry per request (updated in place with its final answer), per
 * malformed input, and per binding change (registered, refreshed, removed, expired).
 */
import { ownString, ownStringOrNull } from '../../kernel/own-string.ts';
import type { FlowTransport } from './flow.ts';

export type TimelineKind = 'request' | 'malformed' | 'binding';

export interface TimelineEntry {
  seq: number;
  /** Lab time (virtual epoch ms) the server received or sent it. */
  at: number;
  kind: TimelineKind;
  /** `in`: a peer sent it to the server; `out`: the server originated it (a BYE after a lost connection, the test number). */
  direction: 'in' | 'out';
  transport: FlowTransport;
  remote: string;
  method: string | null;
  /** Address of record concerned, e.g. `1001` (REGISTER: To user; other requests: From user). */
  user: string | null;
  /** Callee for calls (Request-URI user). */
  target: string | null;
  callId: string | null;
  /** Final (or latest) status and reason; null while pending. */
  status: number | null;
  reason: string | null;
  /** Lab time of the final answer. */
  answeredAt: number | null;
  /** Free text: why a request failed, which binding changed. */
  detail: string | null;
}

/** Sets the answer or a note on an entry, with strings of its own (see `add`). */
export function settleEntry(entry: TimelineEntry, patch: Partial<Pick<TimelineEntry, 'status' | 'reason' | 'detail' | 'answeredAt'>>): void {
  if (patch.status !== undefined) entry.status = patch.status;
  if (patch.answeredAt !== undefined) entry.answeredAt = patch.answeredAt;
  if (patch.reason !== undefined) entry.reason = ownStringOrNull(patch.reason);
  if (patch.detail !== undefined) entry.detail = ownStringOrNull(patch.detail);
}

export class RingBuffer<T> {
  private readonly items: T[] = [];
  private start = 0;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    this.total++;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  get size(): number {
    return this.items.length;
  }

  /** How many items were ever pushed (the dropped ones included). */
  get pushed(): number {
    return this.total;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }
}

/** Method names as constants of their own: the same few in every entry. */
const KNOWN_METHODS = new Map(
  ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'REFER', 'NOTIFY', 'MESSAGE', 'INFO', 'UPDATE', 'PRACK', 'SUBSCRIBE', 'PUBLISH'].map((m) => [m, m]),
);

export class Timeline {
  private readonly buffer: RingBuffer<TimelineEntry>;
  private seq = 0;
  private lastRemote = '';
  private lastRemoteOwned = '';

  constructor(capacity: number) {
    this.buffer = new RingBuffer(capacity);
  }

  add(entry: Omit<TimelineEntry, 'seq' | 'status' | 'reason' | 'answeredAt' | 'detail'> & Partial<TimelineEntry>): TimelineEntry {
    // Kept for 5,000 entries: strings cut from messages would keep each whole message alive (own-string.ts). Built
    // field by field (one object per entry, not spread twice) with the keys in the order they always had.
    const full: TimelineEntry = {
      status: entry.status ?? null,
      reason: ownStringOrNull(entry.reason ?? null),
      answeredAt: entry.answeredAt ?? null,
      detail: ownStringOrNull(entry.detail ?? null),
      at: entry.at,
      kind: entry.kind,
      direction: entry.direction,
      transport: entry.transport,
      remote: this.ownRemote(entry.remote),
      method: entry.method === null ? null : (KNOWN_METHODS.get(entry.method) ?? ownString(entry.method)),
      user: ownStringOrNull(entry.user),
      target: ownStringOrNull(entry.target),
      callId: ownStringOrNull(entry.callId),
      seq: ++this.seq,
    };
    this.buffer.push(full);
    return full;
  }

  /** Entries in a row come from the same peer: its address is copied once, not once per entry. */
  private ownRemote(remote: string): string {
    if (remote !== this.lastRemote) {
      this.lastRemote = remote;
      this.lastRemoteOwned = ownString(remote);
    }
    return this.lastRemoteOwned;
  }

  entries(filter?: { kind?: TimelineKind; method?: string; since?: number }): TimelineEntry[] {
    const all = this.buffer.toArray();
    if (!filter) return all;
    return all.filter(
      (e) =>
        (filter.kind === undefined || e.kind === filter.kind) &&
        (filter.method === undefined || e.method === filter.method) &&
        (filter.since === undefined || e.at >= filter.since),
    );
  }

  get total(): number {
    return this.buffer.pushed;
  }

  clear(): void {
    this.buffer.clear();
  }
}
