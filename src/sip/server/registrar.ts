/**
 * Registrations (RFC 3261 §10): bindings of an address of record (an extension) to contacts, each reached through the
 * flow its REGISTER came on, each expiring on that flow's clock unless refreshed.
 */
import { ByFlow } from './by-flow.ts';
import type { Flow } from './flow.ts';

export interface Binding {
  /** Extension (user part of the address of record). */
  aor: string;
  /** Contact URI as registered, e.g. `sip:1001-0004f2a00001@base.invalid;transport=ws`. */
  contact: string;
  /** `user@host:port`, lower case: how requests addressed to this contact find it. */
  contactKey: string;
  flow: Flow;
  /** Granted lifetime in seconds. */
  expires: number;
  /** On the flow's clock. */
  expiresAt: number;
  /** Lab time of the first REGISTER of this binding and of the latest refresh. */
  registeredAt: number;
  refreshedAt: number;
  callId: string;
  cseq: number;
  userAgent: string | null;
}

interface ExpiryTimer {
  clock: Flow['clock'];
  /** When it goes off, on `clock`. */
  at: number;
  id: number;
}

export type BindingChange =
  | { type: 'added' | 'refreshed'; binding: Binding }
  | { type: 'removed' | 'expired' | 'flow-closed'; binding: Binding };

export class Registrar {
  private readonly byAor = new Map<string, Map<string, Binding>>();
  /**
   * Each binding's expiry timer. A refresh that pushes the expiry on keeps the timer it has: when that goes off early
   * it sets itself again for what is left. A phone refreshing every few minutes (or SIPp thousands of times a second)
   * then costs no cancelled and re-set timer per REGISTER; the binding still expires exactly at `expiresAt`.
   */
  private readonly timers = new Map<Binding, ExpiryTimer>();
  /** The bindings stored in `byAor`, by the flow they are reached through (see {@link dropFlow}). */
  private readonly byFlow = new ByFlow<Binding>();

  constructor(private readonly onChange: (change: BindingChange) => void) {}

  /** Adds or refreshes a binding; returns whether it was new. */
  upsert(input: Omit<Binding, 'expiresAt' | 'registeredAt' | 'refreshedAt'>, labNow: number): Binding {
    let contacts = this.byAor.get(input.aor);
    if (!contacts) {
      contacts = new Map();
      this.byAor.set(input.aor, contacts);
    }
    const existing = contacts.get(input.contactKey);
    // Field by field: on Node 20 an object spread followed by more properties takes V8's slow path (microseconds).
    const binding: Binding = {
      aor: input.aor,
      contact: input.contact,
      contactKey: input.contactKey,
      flow: input.flow,
      expires: input.expires,
      callId: input.callId,
      cseq: input.cseq,
      userAgent: input.userAgent,
      expiresAt: input.flow.clock.now() + input.expires * 1000,
      registeredAt: existing?.registeredAt ?? labNow,
      refreshedAt: labNow,
    };
    const kept = existing ? this.timers.get(existing) : undefined;
    if (existing) {
      this.timers.delete(existing);
      if (kept && (kept.clock !== binding.flow.clock || kept.at > binding.expiresAt)) kept.clock.clearTimeout(kept.id);
      this.byFlow.delete(existing.flow, existing);
    }
    contacts.set(input.contactKey, binding);
    this.byFlow.add(binding.flow, binding);
    if (kept && kept.clock === binding.flow.clock && kept.at <= binding.expiresAt) this.timers.set(binding, kept);
    else this.arm(binding, input.expires * 1000);
    this.onChange({ type: existing ? 'refreshed' : 'added', binding });
    return binding;
  }

  remove(aor: string, contactKey: string): Binding | undefined {
    const binding = this.byAor.get(aor)?.get(contactKey);
    if (!binding) return undefined;
    this.drop(binding, 'removed');
    return binding;
  }

  removeAll(aor: string): Binding[] {
    const removed = [...(this.byAor.get(aor)?.values() ?? [])];
    for (const binding of removed) this.drop(binding, 'removed');
    return removed;
  }

  /** A flow closed (WebSocket/TCP gone, line disposed): its bindings are unreachable and go (RFC 5626 §5.2). */
  dropFlow(flow: Flow): Binding[] {
    let dropped: Binding[];
    if (this.byFlow.count(flow) <= 1) {
      // The usual case (a line: one binding on its own flow) costs nothing more than that binding.
      dropped = this.byFlow.take(flow);
    } else {
      // Several bindings on one flow (a SIPp peer over UDP): dropped in the order of the full listing, as they always
      // were (the index lists a refreshed binding last, the listing where it first came).
      dropped = [];
      for (const contacts of this.byAor.values()) {
        for (const binding of contacts.values()) if (binding.flow === flow) dropped.push(binding);
      }
    }
    for (const binding of dropped) this.drop(binding, 'flow-closed');
    return dropped;
  }

  /** Live bindings of an extension, most recently refreshed first. */
  lookup(aor: string): Binding[] {
    const contacts = this.byAor.get(aor);
    if (!contacts) return [];
    return [...contacts.values()]
      .filter((b) => b.flow.open && b.expiresAt > b.flow.clock.now())
      .sort((a, b) => b.refreshedAt - a.refreshedAt);
  }

  bindings(aor: string): Binding[] {
    return [...(this.byAor.get(aor)?.values() ?? [])];
  }

  all(): Binding[] {
    const out: Binding[] = [];
    for (const contacts of this.byAor.values()) out.push(...contacts.values());
    return out;
  }

  get size(): number {
    let n = 0;
    for (const contacts of this.byAor.values()) n += contacts.size;
    return n;
  }

  clear(): void {
    for (const binding of this.all()) this.clearTimer(binding);
    this.byAor.clear();
    this.byFlow.clear();
  }

  private arm(binding: Binding, ms: number): void {
    const clock = binding.flow.clock;
    const timer: ExpiryTimer = { clock, at: binding.expiresAt, id: 0 };
    timer.id = clock.setTimeout(() => this.due(binding.aor, binding.contactKey, timer), ms);
    this.timers.set(binding, timer);
  }

  /** A binding's timer went off: it expires now, or its refreshes pushed it on and the timer is set for the rest. */
  private due(aor: string, contactKey: string, timer: ExpiryTimer): void {
    const binding = this.byAor.get(aor)?.get(contactKey);
    if (!binding || this.timers.get(binding) !== timer) return;
    const left = binding.expiresAt - timer.clock.now();
    if (left > 0) {
      timer.at = binding.expiresAt;
      timer.id = timer.clock.setTimeout(() => this.due(aor, contactKey, timer), left);
      return;
    }
    this.timers.delete(binding);
    this.drop(binding, 'expired');
  }

  private drop(binding: Binding, type: 'removed' | 'expired' | 'flow-closed'): void {
    this.clearTimer(binding);
    const contacts = this.byAor.get(binding.aor);
    if (contacts?.get(binding.contactKey) === binding) {
      contacts.delete(binding.contactKey);
      if (contacts.size === 0) this.byAor.delete(binding.aor);
      this.byFlow.delete(binding.flow, binding);
    }
    this.onChange({ type, binding });
  }

  private clearTimer(binding: Binding): void {
    const timer = this.timers.get(binding);
    if (timer !== undefined) timer.clock.clearTimeout(timer.id);
    this.timers.delete(binding);
  }
}
