/**
 * sip.js transport over TCP or TLS (RFC 3261 §18, §26.2.1), for a line whose server says TCP or TLS: one connection
 * per line, SIP messages framed by Content-Length (the embedded server's own {@link StreamFramer}, with its limits).
 * TLS checks the server's certificate as the line's server entry says ({@link TlsCertificateCheck}).
 *
 * The top Via and the Contact carry the connection's local address and port ({@link toWire}), so a server that sends
 * calls to the registered Contact finds this connection again (Kamailio reuses a connection to that address).
 * A reliable transport: sip.js's own timers are all that is needed.
 *
 * Pass it to sip.js as `transportConstructor: StreamTransport` with
 * `transportOptions: { kind: 'tcp' | 'tls', host, port, clock, placeholder, tls? }`.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Core } from 'sip.js';
import type { TimerClock } from '../../kernel/virtual-clock.ts';
import { StreamFramer } from '../server/stream-framer.ts';
import { MessageTransport } from './message-transport.ts';
import { fromWire, hostPort, type SentBy, toWire } from './sent-by.ts';
import { CHECK_CERTIFICATES, describeTlsFailure, type TlsCertificateCheck, tlsOptionsFor } from './tls-check.ts';

export interface StreamTransportOptions {
  kind: 'tcp' | 'tls';
  /** The server (or outbound proxy): host name or IP, and port. */
  host: string;
  port: number;
  /** Clock of the connect timeout. */
  clock: TimerClock;
  /** The host sip.js writes in Via and Contact (the line's `viaHost`), replaced by the connection's address. */
  placeholder: string;
  /** TLS only: how the server's certificate is checked (default: against the trusted CAs). */
  tls?: TlsCertificateCheck;
  /** Give up connecting after this many milliseconds (default 5000). */
  connectTimeoutMs?: number;
}

/** The same limits as the embedded server's listeners: one SIP message of up to 65535 bytes on every transport. */
const LIMITS = { maxHeaderBytes: 65_535, maxBodyBytes: 65_535 };

export class StreamTransport extends MessageTransport {
  override readonly protocol: 'TCP' | 'TLS';
  private socket: Socket | undefined;
  private sentBy: SentBy | undefined;
  private readonly options: StreamTransportOptions;

  constructor(_logger: Core.Logger, options: StreamTransportOptions) {
    super();
    if (!options?.host || !options.port || !options.clock || !options.placeholder) {
      throw new TypeError('StreamTransport needs transportOptions.host, port, clock and placeholder');
    }
    this.options = options;
    this.protocol = options.kind === 'tls' ? 'TLS' : 'TCP';
  }

  private get where(): string {
    return `${this.options.kind} ${hostPort(this.options.host, this.options.port)}`;
  }

  protected open(): Promise<void> {
    const { host, port, kind } = this.options;
    const check = this.options.tls ?? CHECK_CERTIFICATES;
    return new Promise<void>((resolve, reject) => {
      const socket: Socket =
        kind === 'tls' ? connectTls({ ...tlsOptionsFor(host, check), port }) : connectTcp({ host, port });
      this.socket = socket;
      let opened = false;
      const timer = this.options.clock.setTimeout(() => {
        if (opened) return;
        socket.destroy();
        reject(new Error(`${this.where}: no connection after ${(this.options.connectTimeoutMs ?? 5000) / 1000} s`));
      }, this.options.connectTimeoutMs ?? 5000);
      const framer = new StreamFramer(LIMITS);
      socket.once(kind === 'tls' ? 'secureConnect' : 'connect', () => {
        opened = true;
        this.options.clock.clearTimeout(timer);
        this.sentBy = { placeholder: this.options.placeholder, host: socket.localAddress ?? '127.0.0.1', port: socket.localPort ?? 0 };
        resolve();
      });
      socket.on('data', (chunk: Buffer) => {
        if (this.socket !== socket || !this.sentBy) return;
        // RFC 5626 §4.4.1: a double-CRLF "ping" from the server is answered with a single-CRLF "pong".
        if (chunk.length === 4 && chunk.toString('latin1') === '\r\n\r\n') {
          socket.write('\r\n');
          return;
        }
        for (const frame of framer.push(chunk)) {
          if (frame.kind === 'message') this.received(fromWire(frame.text, this.sentBy));
          else if (frame.fatal) {
            socket.destroy();
            this.gone(socket, new Error(`${this.where}: the server's stream cannot be read (${frame.problem})`));
            return;
          }
        }
      });
      socket.on('error', (error: Error & { code?: string }) => {
        if (opened) {
          this.gone(socket, new Error(`${this.where}: ${error.message}`));
          return;
        }
        this.options.clock.clearTimeout(timer);
        if (this.socket === socket) this.socket = undefined;
        reject(new Error(describeConnectFailure(error, this.where, kind)));
      });
      socket.on('close', () => {
        if (!opened) {
          this.options.clock.clearTimeout(timer);
          if (this.socket === socket) this.socket = undefined;
          reject(new Error(`${this.where}: connection closed before it was set up`));
          return;
        }
        this.gone(socket, new Error(`${this.where}: connection closed by the server`));
      });
    });
  }

  protected close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.sentBy = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = this.options.clock.setTimeout(() => {
        socket.destroy();
        resolve();
      }, 1000);
      socket.once('close', () => {
        this.options.clock.clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  protected write(message: string): void {
    if (!this.socket || !this.sentBy || this.socket.destroyed) throw new Error(`${this.options.kind.toUpperCase()} connection is not open`);
    this.socket.write(toWire(message, this.sentBy));
  }

  private gone(socket: Socket, error: Error): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.sentBy = undefined;
    this.lost(error);
  }
}

function describeConnectFailure(error: Error & { code?: string }, where: string, kind: 'tcp' | 'tls'): string {
  if (error.code === 'ECONNREFUSED') return `${where}: connection refused (no SIP server listens there)`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `${where}: cannot resolve the host name`;
  if (kind === 'tls') return describeTlsFailure(error, where);
  return `${where}: ${error.message}`;
}
