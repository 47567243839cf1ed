/**
 * sip.js transport over UDP (RFC 3261 §18), for a line whose server says UDP: one socket per line, bound to the local
 * address the system picks for the server and connected to it (so the line hears only its server, and a closed port
 * comes back as ICMP "port unreachable" instead of silence), one SIP message per datagram.
 *
 * The top Via and the Contact carry the socket's real address and port ({@link toWire}: over UDP a server answers
 * to the Via sent-by), with `rport` (RFC 3581).
 *
 * UDP is unreliable and sip.js 0.21.2 does not retransmit (its Timers A and E are "not implemented"), so this
 * transport does: a request other than ACK is sent again after T1 (500 ms), doubling (capped at T2 = 4 s for
 * non-INVITE), until a response of its transaction comes back (for non-INVITE: a final one; a provisional one moves it
 * to T2) or 64×T1 have passed — RFC 3261 §17.1.1.2 and §17.1.2.2. The timers run on the clock the line gives (real
 * time on a real network).
 *
 * Pass it to sip.js as `transportConstructor: UdpTransport` with `transportOptions: { host, port, clock, sentBy }`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { Core } from 'sip.js';
import type { TimerClock } from '../../kernel/virtual-clock.ts';
import { MessageTransport } from './message-transport.ts';
import { fromWire, hostPort, type SentBy, toWire } from './sent-by.ts';

export interface UdpTransportOptions {
  /** The server (or outbound proxy): host name or IP, and port. */
  host: string;
  port: number;
  /** Clock of the retransmission timers. */
  clock: TimerClock;
  /** The host sip.js writes in Via and Contact (the line's `viaHost`), replaced by the socket's address. */
  placeholder: string;
}

/** RFC 3261 §17.1.1.1 T1 and T2 (ms). */
const T1_MS = 500;
const T2_MS = 4_000;

interface Pending {
  wire: string;
  invite: boolean;
  interval: number;
  elapsed: number;
  timer: number | undefined;
}

function topBranch(message: string): string | undefined {
  const via = /^(?:via|v)[ \t]*:[^\r\n]*/im.exec(message)?.[0];
  return via ? /;[ \t]*branch[ \t]*=[ \t]*([^;,\s]+)/i.exec(via)?.[1] : undefined;
}

function cseqMethod(message: string): string | undefined {
  return /^cseq[ \t]*:[ \t]*\d+[ \t]+([A-Za-z]+)/im.exec(message)?.[1]?.toUpperCase();
}

export class UdpTransport extends MessageTransport {
  override readonly protocol = 'UDP';
  private socket: Socket | undefined;
  private sentBy: SentBy | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly options: UdpTransportOptions;

  constructor(_logger: Core.Logger, options: UdpTransportOptions) {
    super();
    if (!options?.host || !options.port || !options.clock || !options.placeholder) {
      throw new TypeError('UdpTransport needs transportOptions.host, port, clock and placeholder');
    }
    this.options = options;
  }

  private get where(): string {
    return `udp ${hostPort(this.options.host, this.options.port)}`;
  }

  protected async open(): Promise<void> {
    let address: { address: string; family: number };
    try {
      address = await lookup(this.options.host);
    } catch (error) {
      throw new Error(`${this.where}: cannot resolve ${this.options.host} (${(error as Error).message})`);
    }
    const socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(this.options.port, address.address, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((error: Error) => {
      this.socket = undefined;
      socket.close();
      throw new Error(`${this.where}: ${error.message}`);
    });
    const local = socket.address();
    this.sentBy = { placeholder: this.options.placeholder, host: local.address, port: local.port };
    socket.on('message', (data) => this.datagram(data.toString('utf8')));
    socket.on('error', (error: Error & { code?: string }) => {
      if (this.socket !== socket) return;
      this.drop();
      const why = error.code === 'ECONNREFUSED' ? 'port unreachable (no SIP server listens there)' : error.message;
      this.lost(new Error(`${this.where}: ${why}`));
    });
  }

  protected close(): Promise<void> {
    this.drop();
    return Promise.resolve();
  }

  protected write(message: string): void {
    if (!this.socket || !this.sentBy) throw new Error('UDP socket is not open');
    const wire = toWire(message, this.sentBy);
    this.socket.send(wire);
    if (message.startsWith('SIP/2.0 ')) return;
    const method = /^([A-Za-z]+) /.exec(message)?.[1]?.toUpperCase();
    const branch = topBranch(message);
    if (!branch || method === 'ACK') return;
    this.stopRetransmitting(branch);
    const entry: Pending = { wire, invite: method === 'INVITE', interval: T1_MS, elapsed: 0, timer: undefined };
    this.pending.set(branch, entry);
    this.schedule(branch, entry);
  }

  private schedule(branch: string, entry: Pending): void {
    if (entry.elapsed + entry.interval > 64 * T1_MS) {
      this.pending.delete(branch);
      return;
    }
    entry.timer = this.options.clock.setTimeout(() => {
      entry.elapsed += entry.interval;
      this.socket?.send(entry.wire);
      entry.interval = entry.invite ? entry.interval * 2 : Math.min(entry.interval * 2, T2_MS);
      this.schedule(branch, entry);
    }, entry.interval);
  }

  private stopRetransmitting(branch: string): void {
    const entry = this.pending.get(branch);
    if (!entry) return;
    this.options.clock.clearTimeout(entry.timer);
    this.pending.delete(branch);
  }

  private datagram(text: string): void {
    if (!this.sentBy || text.trim() === '') return; // keep-alive (RFC 5626 §4.4.1 uses STUN; some send CRLF)
    if (text.startsWith('SIP/2.0 ')) {
      const branch = topBranch(text);
      const entry = branch ? this.pending.get(branch) : undefined;
      if (branch && entry) {
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
        if (entry.invite || status >= 200 || cseqMethod(text) === 'CANCEL') this.stopRetransmitting(branch);
        else if (entry.interval < T2_MS) {
          // A provisional answer to a non-INVITE: keep sending, at T2 (§17.1.2.2).
          this.options.clock.clearTimeout(entry.timer);
          entry.interval = T2_MS;
          this.schedule(branch, entry);
        }
      }
    }
    this.received(fromWire(text, this.sentBy));
  }

  private drop(): void {
    for (const entry of this.pending.values()) this.options.clock.clearTimeout(entry.timer);
    this.pending.clear();
    const socket = this.socket;
    this.socket = undefined;
    this.sentBy = undefined;
    if (socket) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }
}
