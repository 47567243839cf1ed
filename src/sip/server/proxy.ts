/**
 * The proxy half of the embedded SIP server (RFC 3261 §16): a transaction-stateful, record-routing proxy that
 * forwards requests to the flow of the target's contact and relays responses back on the flow the request came from.
 *
 * ```text
 *  caller ──INVITE──▶ proxy ──INVITE (Via+RR, R-URI=contact)──▶ callee
 *         ◀──100────        ◀──────────180/200──────────────────
 *         ◀──180/200──  (Via popped; 2xx creates a dialog record)
 *         ──ACK/BYE/re-INVITE/REFER/NOTIFY (Route: us) ─▶ forwarded by Request-URI (the peer's contact)
 *  CANCEL: answered 200 here, sent on downstream; the callee's 487 is relayed and ACKed here.
 *  non-2xx final from downstream: ACKed here (hop by hop), relayed upstream, the caller's ACK absorbed.
 * ```
 *
 * It keeps a record of every confirmed call (dialog). When the flow of one party closes (its base rebooted or lost
 * power, its WebSocket dropped) the proxy ends the call for the other party with a BYE carrying a Reason header, the
 * way a PBX that notices a dead endpoint would. No forking: a request goes to the most recently refreshed contact.
 */
import type { Core, URI } from 'sip.js';
import { ByFlow } from './by-flow.ts';
import type { Flow } from './flow.ts';
import { viaTransport } from './flow.ts';
import { settleEntry } from './timeline.ts';
import {
  type ClientTransaction,
  contactKey,
  type InboundRequest,
  type InboundResponse,
  newBranch,
  type ServerContext,
  type ServerTransaction,
} from './server-context.ts';
import {
  cloneSip,
  headerValue,
  headerValues,
  prependHeader,
  removeFirstValue,
  removeHeader,
  renderSip,
  setHeader,
  type SipText,
} from './sip-text.ts';

/** One side of a confirmed call as the proxy saw it. */
interface DialogSide {
  flow: Flow;
  /** From/To header value identifying this side, tag included. */
  identity: string;
  tag: string;
  user: string;
  /** Remote target (Contact) of this side. */
  contact: string;
  /** Highest CSeq this side has used in the dialog. */
  cseq: number;
}

export interface DialogRecord {
  callId: string;
  caller: DialogSide;
  callee: DialogSide;
  /** Lab time the call was answered. */
  answeredAt: number;
}

export interface ProxyCallView {
  callId: string;
  caller: string;
  callee: string;
  answeredAt: number;
}

/** Cap on remembered transactions; the oldest go first (they are long finished by then). */
const MAX_TRANSACTIONS = 20_000;
/** How long a finished client transaction is kept to catch late retransmissions (Timer K/D, RFC 3261). */
const LINGER_MS = 32_000;
/** 64×T1: how long the proxy waits for the callee's final answer after forwarding CANCEL before it answers 487 itself. */
export const CANCEL_GIVE_UP_MS = 32_000;
/** Timer C (RFC 3261 §16.6 step 11, "MUST be greater than 3 minutes"): a forwarded INVITE without a final answer. */
export const TIMER_C_MS = 181_000;

export class SipProxy {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly dialogs = new Map<string, DialogRecord>();
  /** The same client transactions and dialogs by flow (a dialog under both its sides): see {@link flowClosed}. */
  private readonly clientsByFlow = new ByFlow<ClientTransaction>();
  private readonly dialogsByFlow = new ByFlow<DialogRecord>();

  constructor(private readonly ctx: ServerContext) {}

  /** Forwards an out-of-dialog request to a contact reached over `flow`. */
  forward(request: InboundRequest, targetUri: string, flow: Flow): void {
    const out = cloneSip(request.text);
    const method = request.message.method;
    out.startLine = `${method} ${targetUri} SIP/2.0`;
    removeHeader(out, 'proxy-authorization');
    setHeader(out, 'Max-Forwards', String(maxForwards(request.message) - 1));
    if (method === 'INVITE' || method === 'SUBSCRIBE' || method === 'REFER') this.recordRoute(out, request.flow, flow);
    this.send(request, out, flow);
  }

  /**
   * Forwards a request inside a dialog by its Request-URI (our own Route entries already removed).
   * Returns false when no flow reaches the target.
   */
  forwardInDialog(request: InboundRequest): boolean {
    const flow = this.ctx.flowForContact(contactKey(request.ruri));
    if (!flow || !flow.open) return false;
    const dialog = this.findDialog(request.message);
    if (dialog) {
      this.trackInDialog(dialog, request);
      // The call is over for the proxy as soon as one side says BYE (its flow may close right after).
      if (request.message.method === 'BYE') this.forgetDialog(dialog);
    }
    const out = cloneSip(request.text);
    setHeader(out, 'Max-Forwards', String(maxForwards(request.message) - 1));
    if (request.message.method === 'ACK') {
      // ACK for a 2xx is end to end and has no response: forward statelessly.
      prependHeader(out, 'Via', this.via(flow, newBranch()));
      this.ctx.send(flow, renderSip(out));
      return true;
    }
    this.send(request, out, flow);
    return true;
  }

  /** CANCEL for a forwarded INVITE: sent on downstream; the callee's 487 comes back as the INVITE's answer. */
  cancel(invite: ServerTransaction): void {
    const client = invite.forwarded;
    if (!client || client.final) return;
    const forwarded = client.text;
    const cancel: SipText = {
      startLine: forwarded.startLine.replace(/^INVITE /, 'CANCEL '),
      headers: [],
      body: '',
    };
    cancel.headers.push({ name: 'Via', value: headerValues(forwarded, 'via')[0] ?? this.via(client.flow, client.branch) });
    for (const route of headerValues(forwarded, 'route')) cancel.headers.push({ name: 'Route', value: route });
    cancel.headers.push({ name: 'Max-Forwards', value: '70' });
    cancel.headers.push({ name: 'From', value: headerValue(forwarded, 'from') ?? '' });
    cancel.headers.push({ name: 'To', value: headerValue(forwarded, 'to') ?? '' });
    cancel.headers.push({ name: 'Call-ID', value: headerValue(forwarded, 'call-id') ?? '' });
    cancel.headers.push({ name: 'CSeq', value: `${invite.message.cseq} CANCEL` });
    this.remember({
      key: `${client.branch}|CANCEL`,
      branch: client.branch,
      method: 'CANCEL',
      flow: client.flow,
      text: cancel,
      server: undefined,
      onResponse: () => undefined,
      final: false,
    });
    this.ctx.send(client.flow, renderSip(cancel));
    // The callee should answer the INVITE 487; one that never does (gone, broken) must not leave the caller "Calling…"
    // for ever: after 64×T1 the proxy answers for it (RFC 3261 §16.10 leaves the INVITE to the callee, §9.1 bounds it).
    invite.flow.clock.setTimeout(() => this.giveUp(invite, client, 487, 'The callee did not answer the CANCEL'), CANCEL_GIVE_UP_MS);
  }

  /** Ends a forwarded INVITE the callee has not answered: `status` upstream, the client transaction forgotten. */
  private giveUp(invite: ServerTransaction, client: ClientTransaction, status: 408 | 487, why: string): void {
    if (invite.status >= 200 || client.final) return;
    this.finish(client);
    this.ctx.replyTransaction(invite, { status, headers: [`Warning: 399 ${this.ctx.domain} "${why}"`] });
  }

  /**
   * Timer C: a forwarded INVITE still without a final answer when it runs out is CANCELled downstream if it rang
   * (then 487 as above), else answered 408 upstream. Every provisional answer pushes it on.
   */
  private armTimerC(invite: ServerTransaction, client: ClientTransaction): void {
    client.timerCDueAt = invite.flow.clock.now() + TIMER_C_MS;
    const check = () => {
      if (invite.status >= 200 || client.final) return;
      const left = (client.timerCDueAt ?? 0) - invite.flow.clock.now();
      if (left > 0) {
        invite.flow.clock.setTimeout(check, left);
        return;
      }
      if (invite.status > 100) this.cancel(invite);
      else this.giveUp(invite, client, 408, 'No final answer from the callee (Timer C)');
    };
    invite.flow.clock.setTimeout(check, TIMER_C_MS);
  }

  /** A response arrived: relay it (or hand it to the local requester). Unknown branches are dropped. */
  onResponse(response: InboundResponse): void {
    const key = `${response.message.viaBranch}|${response.message.method}`;
    const client = this.clients.get(key);
    if (!client) return;
    const status = response.status;
    if (status >= 200) this.finish(client);
    else if (client.timerCDueAt !== undefined && status > 100) client.timerCDueAt = (client.server?.flow.clock ?? this.ctx.clock).now() + TIMER_C_MS;
    if (client.onResponse) {
      client.onResponse(response);
      return;
    }
    const server = client.server;
    if (!server || status === 100) return;
    const out = cloneSip(response.text);
    removeFirstValue(out, 'via');
    for (let i = 0; i < response.message.getHeaders('contact').length; i++) {
      this.ctx.noteContact(parsedUri(response.message, i), client.flow);
    }
    if (client.method === 'INVITE' && status >= 200 && status < 300) this.confirmDialog(server, client, response);
    if (client.method === 'INVITE' && status >= 300) this.ackNon2xx(client, response);
    const text = renderSip(out);
    if (status >= 200 && server.status < 200) {
      server.status = status;
      server.lastResponse = text;
      settleEntry(server.entry, { status, reason: response.reason, answeredAt: this.ctx.clock.now() });
      this.ctx.completeTransaction(server);
    } else if (status < 200 && server.status < 200) {
      server.status = status;
      settleEntry(server.entry, { status, reason: response.reason });
    }
    this.ctx.send(server.flow, text);
  }

  /** A flow closed: every call with a party on it ends for the other party (BYE with a Reason header). */
  flowClosed(flow: Flow): void {
    // In the order the calls were confirmed, as a walk over all dialogs would find them.
    for (const dialog of this.dialogsByFlow.take(flow)) {
      const lost = dialog.caller.flow === flow ? dialog.caller : dialog.callee;
      this.forgetDialog(dialog);
      const other = lost === dialog.caller ? dialog.callee : dialog.caller;
      if (other.flow.open) this.sendLostBye(dialog.callId, lost, other);
    }
    for (const client of this.clientsByFlow.take(flow)) this.clients.delete(client.key);
  }

  calls(): ProxyCallView[] {
    return [...this.dialogs.values()].map((d) => ({
      callId: d.callId,
      caller: d.caller.user,
      callee: d.callee.user,
      answeredAt: d.answeredAt,
    }));
  }

  /** Registers a client transaction the server originated (used by the server's own requests). */
  remember(client: ClientTransaction): void {
    if (this.clients.size >= MAX_TRANSACTIONS) {
      const oldest = this.clients.values().next().value;
      if (oldest !== undefined) this.forgetClient(oldest);
    }
    const replaced = this.clients.get(client.key);
    if (replaced) this.clientsByFlow.delete(replaced.flow, replaced);
    this.clients.set(client.key, client);
    this.clientsByFlow.add(client.flow, client);
  }

  via(flow: Flow, branch: string): string {
    return `SIP/2.0/${viaTransport(flow)} ${this.ctx.localAddress(flow)};branch=${branch};rport`;
  }

  private send(request: InboundRequest, out: SipText, flow: Flow): void {
    const branch = newBranch();
    prependHeader(out, 'Via', this.via(flow, branch));
    const client: ClientTransaction = {
      key: `${branch}|${request.message.method}`,
      branch,
      method: request.message.method,
      flow,
      text: out,
      server: request.tx,
      onResponse: undefined,
      final: false,
    };
    this.remember(client);
    request.tx.forwarded = client;
    if (client.method === 'INVITE') this.armTimerC(request.tx, client);
    for (let i = 0; i < request.message.getHeaders('contact').length; i++) {
      this.ctx.noteContact(parsedUri(request.message, i), request.flow);
    }
    if (!this.ctx.send(flow, renderSip(out))) {
      this.forgetClient(client);
      request.tx.forwarded = undefined;
      this.ctx.reply(request, { status: 480, headers: ['Warning: 399 - "The target\'s connection is closed"'] });
    }
  }

  /** Record-Route (RFC 3261 §16.6 step 4), doubled when the two sides use different transports (RFC 5658). */
  private recordRoute(out: SipText, inbound: Flow, outbound: Flow): void {
    const entry = (flow: Flow) =>
      `<sip:${this.ctx.localAddress(flow)};transport=${viaTransport(flow).toLowerCase()};lr;rsim>`;
    if (viaTransport(inbound) !== viaTransport(outbound) || this.ctx.localAddress(inbound) !== this.ctx.localAddress(outbound)) {
      prependHeader(out, 'Record-Route', entry(inbound));
    }
    prependHeader(out, 'Record-Route', entry(outbound));
  }

  private ackNon2xx(client: ClientTransaction, response: InboundResponse): void {
    const forwarded = client.text;
    const ack: SipText = { startLine: forwarded.startLine.replace(/^INVITE /, 'ACK '), headers: [], body: '' };
    ack.headers.push({ name: 'Via', value: headerValues(forwarded, 'via')[0] ?? this.via(client.flow, client.branch) });
    for (const route of headerValues(forwarded, 'route')) ack.headers.push({ name: 'Route', value: route });
    ack.headers.push({ name: 'Max-Forwards', value: '70' });
    ack.headers.push({ name: 'From', value: headerValue(forwarded, 'from') ?? '' });
    ack.headers.push({ name: 'To', value: headerValue(response.text, 'to') ?? '' });
    ack.headers.push({ name: 'Call-ID', value: headerValue(forwarded, 'call-id') ?? '' });
    ack.headers.push({ name: 'CSeq', value: `${response.message.cseq} ACK` });
    this.ctx.send(client.flow, renderSip(ack));
  }

  private confirmDialog(server: ServerTransaction, client: ClientTransaction, response: InboundResponse): void {
    const invite = server.message;
    if (invite.toTag) return; // a re-INVITE: the dialog exists already
    const callId = invite.callId;
    const callerTag = invite.fromTag;
    const calleeTag = response.message.toTag;
    if (!callerTag || !calleeTag) return;
    const key = dialogKey(callId, callerTag, calleeTag);
    if (this.dialogs.has(key)) return;
    const dialog: DialogRecord = {
      callId,
      caller: {
        flow: server.flow,
        identity: headerValue(server.text, 'from') ?? '',
        tag: callerTag,
        user: invite.from.uri.user ?? '',
        contact: parsedUri(invite, 0)?.toString() ?? '',
        cseq: invite.cseq,
      },
      callee: {
        flow: client.flow,
        identity: headerValue(response.text, 'to') ?? '',
        tag: calleeTag,
        user: invite.ruri?.user ?? invite.to.uri.user ?? '',
        contact: parsedUri(response.message, 0)?.toString() ?? '',
        cseq: 0,
      },
      answeredAt: this.ctx.clock.now(),
    };
    this.dialogs.set(key, dialog);
    this.dialogsByFlow.add(dialog.caller.flow, dialog);
    this.dialogsByFlow.add(dialog.callee.flow, dialog);
  }

  private forgetDialog(dialog: DialogRecord): void {
    const key = dialogKey(dialog.callId, dialog.caller.tag, dialog.callee.tag);
    if (this.dialogs.get(key) !== dialog) return;
    this.dialogs.delete(key);
    this.dialogsByFlow.delete(dialog.caller.flow, dialog);
    this.dialogsByFlow.delete(dialog.callee.flow, dialog);
  }

  private forgetClient(client: ClientTransaction): void {
    if (this.clients.get(client.key) !== client) return;
    this.clients.delete(client.key);
    this.clientsByFlow.delete(client.flow, client);
  }

  private findDialog(message: Core.IncomingRequestMessage | Core.IncomingResponseMessage): DialogRecord | undefined {
    const from = message.fromTag ?? '';
    const to = message.toTag ?? '';
    return this.dialogs.get(dialogKey(message.callId, from, to)) ?? this.dialogs.get(dialogKey(message.callId, to, from));
  }

  private trackInDialog(dialog: DialogRecord, request: InboundRequest): void {
    const sender = request.message.fromTag === dialog.caller.tag ? dialog.caller : dialog.callee;
    if (request.message.method !== 'ACK') sender.cseq = Math.max(sender.cseq, request.message.cseq);
    const contact = parsedUri(request.message, 0);
    if (contact) {
      sender.contact = contact.toString();
      this.ctx.noteContact(contact, request.flow);
    }
  }

  private sendLostBye(callId: string, lost: DialogSide, other: DialogSide): void {
    const bye: SipText = {
      startLine: `BYE ${other.contact} SIP/2.0`,
      headers: [
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: lost.identity },
        { name: 'To', value: other.identity },
        { name: 'Call-ID', value: callId },
        { name: 'CSeq', value: `${Math.max(lost.cseq, 0) + 1} BYE` },
        { name: 'Reason', value: 'Q.850;cause=41;text="Connection to the other party was lost"' },
      ],
      body: '',
    };
    this.ctx.originate(other.flow, bye);
  }

  private finish(client: ClientTransaction): void {
    if (client.final) return;
    client.final = true;
    client.flow.clock.setTimeout(() => this.forgetClient(client), client.flow.transport === 'UDP' ? LINGER_MS : 0);
  }
}

function dialogKey(callId: string, callerTag: string, calleeTag: string): string {
  return `${callId}|${callerTag}|${calleeTag}`;
}

function maxForwards(message: Core.IncomingRequestMessage): number {
  const value = Number(message.getHeader('max-forwards') ?? '70');
  return Number.isFinite(value) ? value : 70;
}

/** URI of the i-th Contact header (parsed by sip.js at parse time). */
export function parsedUri(
  message: Core.IncomingRequestMessage | Core.IncomingResponseMessage,
  index: number,
): URI | undefined {
  const contact: unknown = message.parseHeader('contact', index);
  if (contact && typeof contact === 'object' && 'uri' in contact) {
    return (contact as { uri: URI }).uri;
  }
  return undefined;
}
