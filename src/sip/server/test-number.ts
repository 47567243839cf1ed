/**
 * Test numbers: user agents that live inside the embedded SIP server, so that a single handset can check its line
 * end to end. An `echo` number rings briefly, answers with a plain SDP and hangs up by itself after a while (the
 * "announcement" is the simulator's: there is no audio); a `busy` number answers every call with 486 Busy Here.
 *
 * ```text
 *   INVITE ─▶ 100, 180 Ringing ──(ringMs)──▶ 200 OK (SDP) ─ ACK ─▶ talking ──(talkMs)──▶ BYE ─▶ ended
 *                   │ CANCEL ─▶ 200 + 487                           │ BYE from caller ─▶ 200 ─▶ ended
 * ```
 *
 * Timers run on the caller's flow clock: the lab clock for in-lab lines, real time for SIPp and other real peers.
 */
import { answerDirection, buildSdp, looksLikeSdp, type MediaDirection, sdpDirection } from '../sdp.ts';
import { ByFlow } from './by-flow.ts';
import { viaTransport } from './flow.ts';
import type { Flow } from './flow.ts';
import { parsedUri } from './proxy.ts';
import type { InboundRequest, ServerContext } from './server-context.ts';
import { headerValue, type SipText, withTag } from './sip-text.ts';

export interface TestNumber {
  number: string;
  displayName: string;
  behaviour: 'echo' | 'busy';
  /** Ringing before the echo number answers (ms, lab time for in-lab callers). */
  ringMs: number;
  /** How long the echo number stays on the line before hanging up. */
  talkMs: number;
}

/** The lab's default test numbers (see docs/fidelity.md, "SIP"). */
export const DEFAULT_TEST_NUMBERS: readonly TestNumber[] = Object.freeze([
  { number: '9999', displayName: 'Echo test', behaviour: 'echo', ringMs: 2_000, talkMs: 30_000 },
  { number: '9998', displayName: 'Busy test', behaviour: 'busy', ringMs: 0, talkMs: 0 },
]);

interface LocalCall {
  number: TestNumber;
  callId: string;
  localTag: string;
  remoteTag: string;
  /** To header of our side (with tag) and From header of the caller, as in the INVITE. */
  localIdentity: string;
  remoteIdentity: string;
  remoteContact: string;
  flow: Flow;
  invite: InboundRequest;
  state: 'ringing' | 'answered' | 'ended';
  timer: number | undefined;
  cseq: number;
  sdpVersion: number;
  sessionId: number;
  startedAt: number;
}

export interface TestCallView {
  callId: string;
  number: string;
  caller: string;
  state: 'ringing' | 'answered';
  startedAt: number;
}

export class TestNumbers {
  private readonly numbers = new Map<string, TestNumber>();
  private readonly calls = new Map<string, LocalCall>();
  /** The same calls by the caller's flow: see {@link flowClosed}. */
  private readonly callsByFlow = new ByFlow<LocalCall>();

  constructor(
    private readonly ctx: ServerContext,
    numbers: readonly TestNumber[],
  ) {
    for (const n of numbers) this.numbers.set(n.number, n);
  }

  get(number: string): TestNumber | undefined {
    return this.numbers.get(number);
  }

  list(): TestNumber[] {
    return [...this.numbers.values()];
  }

  /** Whether an in-dialog request is addressed to one of our calls. */
  owns(request: InboundRequest): boolean {
    return this.calls.has(this.keyOf(request));
  }

  /** Our contact for a test number as seen over a flow. */
  contact(number: string, flow: Flow): string {
    return `sip:${number}@${this.ctx.localAddress(flow)};transport=${viaTransport(flow).toLowerCase()}`;
  }

  invite(request: InboundRequest, number: TestNumber): void {
    const tx = request.tx;
    if (number.behaviour === 'busy') {
      this.ctx.reply(request, { status: 486, toTag: tx.toTag, headers: [`Warning: 399 - "${number.displayName}"`] });
      return;
    }
    const message = request.message;
    const call: LocalCall = {
      number,
      callId: message.callId,
      localTag: tx.toTag,
      remoteTag: message.fromTag ?? '',
      localIdentity: withTag(headerValue(request.text, 'to') ?? `<sip:${number.number}@${this.ctx.domain}>`, tx.toTag),
      remoteIdentity: headerValue(request.text, 'from') ?? '',
      remoteContact: parsedUri(message, 0)?.toString() ?? `sip:${message.from.uri.user ?? ''}@${this.ctx.domain}`,
      flow: request.flow,
      invite: request,
      state: 'ringing',
      timer: undefined,
      cseq: 0,
      sdpVersion: 1,
      sessionId: Math.floor(request.flow.clock.now() / 1000),
      startedAt: this.ctx.clock.now(),
    };
    const key = this.key(call.callId, call.localTag, call.remoteTag);
    const replaced = this.calls.get(key);
    if (replaced) this.callsByFlow.delete(replaced.flow, replaced);
    this.calls.set(key, call);
    this.callsByFlow.add(call.flow, call);
    tx.local = { cancel: () => this.cancel(call) };
    this.ctx.reply(request, { status: 180, toTag: tx.toTag, headers: [this.contactHeader(call)] });
    call.timer = call.flow.clock.setTimeout(() => this.answer(call), number.ringMs);
  }

  /** A request inside one of our calls (ACK, BYE, re-INVITE, …). */
  inDialog(request: InboundRequest): void {
    const call = this.calls.get(this.keyOf(request));
    const method = request.message.method;
    if (!call) {
      if (method !== 'ACK') this.ctx.reply(request, { status: 481 });
      return;
    }
    switch (method) {
      case 'ACK':
        return;
      case 'BYE':
        this.ctx.reply(request, { status: 200 });
        this.end(call);
        return;
      case 'INVITE': {
        const body = this.describe(call, request.message.body);
        this.ctx.reply(request, { status: 200, headers: [this.contactHeader(call)], body, contentType: 'application/sdp' });
        return;
      }
      case 'INFO':
      case 'UPDATE':
      case 'OPTIONS':
        this.ctx.reply(request, { status: 200, headers: [this.contactHeader(call)] });
        return;
      default:
        this.ctx.reply(request, {
          status: 405,
          headers: ['Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE', `Warning: 399 - "${call.number.displayName} cannot ${method}"`],
        });
    }
  }

  /** The caller's flow closed: its calls to test numbers simply stop. */
  flowClosed(flow: Flow): void {
    for (const call of this.callsByFlow.take(flow)) this.end(call);
  }

  active(): TestCallView[] {
    return [...this.calls.values()]
      .filter((c) => c.state !== 'ended')
      .map((c) => ({
        callId: c.callId,
        number: c.number.number,
        caller: c.invite.message.from.uri.user ?? '',
        state: c.state === 'ringing' ? 'ringing' : 'answered',
        startedAt: c.startedAt,
      }));
  }

  private cancel(call: LocalCall): void {
    if (call.state !== 'ringing') return;
    this.ctx.reply(call.invite, { status: 487, toTag: call.localTag });
    this.end(call);
  }

  private answer(call: LocalCall): void {
    if (call.state !== 'ringing') return;
    call.state = 'answered';
    const body = this.describe(call, call.invite.message.body);
    this.ctx.reply(call.invite, {
      status: 200,
      toTag: call.localTag,
      headers: [this.contactHeader(call)],
      body,
      contentType: 'application/sdp',
    });
    call.timer = call.flow.clock.setTimeout(() => this.hangUp(call), call.number.talkMs);
  }

  private hangUp(call: LocalCall): void {
    if (call.state !== 'answered') return;
    call.cseq++;
    const bye: SipText = {
      startLine: `BYE ${call.remoteContact} SIP/2.0`,
      headers: [
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: call.localIdentity },
        { name: 'To', value: call.remoteIdentity },
        { name: 'Call-ID', value: call.callId },
        { name: 'CSeq', value: `${call.cseq} BYE` },
        { name: 'Reason', value: `SIP;cause=200;text="${call.number.displayName} finished"` },
      ],
      body: '',
    };
    this.end(call);
    this.ctx.originate(call.flow, bye);
  }

  private end(call: LocalCall): void {
    if (call.timer !== undefined) call.flow.clock.clearTimeout(call.timer);
    call.timer = undefined;
    call.state = 'ended';
    const key = this.key(call.callId, call.localTag, call.remoteTag);
    const stored = this.calls.get(key);
    if (stored) {
      this.calls.delete(key);
      this.callsByFlow.delete(stored.flow, stored);
    }
    this.callsByFlow.delete(call.flow, call);
  }

  /** Answer to an offer (or an offer when the INVITE had no SDP). */
  private describe(call: LocalCall, offer: string | undefined): string {
    const offered: MediaDirection = offer && looksLikeSdp(offer) ? sdpDirection(offer) : 'sendrecv';
    return buildSdp({
      address: '127.0.0.1',
      port: 49_170,
      sessionId: call.sessionId,
      version: call.sdpVersion++,
      direction: answerDirection(offered, 'sendrecv'),
    });
  }

  private contactHeader(call: LocalCall): string {
    return `Contact: <${this.contact(call.number.number, call.flow)}>`;
  }

  private keyOf(request: InboundRequest): string {
    return this.key(request.message.callId, request.message.toTag ?? '', request.message.fromTag ?? '');
  }

  private key(callId: string, localTag: string, remoteTag: string): string {
    return `${callId}|${localTag}|${remoteTag}`;
  }
}
