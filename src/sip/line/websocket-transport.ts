/**
 * sip.js transport over a real WebSocket (RFC 7118, subprotocol `sip`) with the `ws` package, for lines that register
 * to a SIP server outside the lab (a real Kamailio, the embedded server's WebSocket listener). Unlike sip.js's
 * browser transport it needs no global `WebSocket` and never reconnects by itself.
 *
 * Pass it to sip.js as `transportConstructor: NodeWebSocketTransport` with `transportOptions: { url }`.
 */
import type { Core } from 'sip.js';
import WebSocket from 'ws';
import { MessageTransport } from './message-transport.ts';
import { CHECK_CERTIFICATES, describeTlsFailure, type TlsCertificateCheck, tlsOptionsFor } from './tls-check.ts';

export interface NodeWebSocketTransportOptions {
  /** `ws://host:port[/path]` or `wss://…`. */
  url: string;
  /** Give up connecting after this many real milliseconds (default 5000). */
  connectTimeoutMs?: number;
  /** `wss://` only: how the server's certificate is checked (default: against the trusted CAs). */
  tls?: TlsCertificateCheck;
}

export class NodeWebSocketTransport extends MessageTransport {
  /** RFC 7118 §5.2: `WS`, or `WSS` over TLS. */
  override readonly protocol: 'WS' | 'WSS';
  private socket: WebSocket | undefined;
  private readonly options: NodeWebSocketTransportOptions;

  constructor(_logger: Core.Logger, options: NodeWebSocketTransportOptions) {
    super();
    if (!options?.url) throw new TypeError('NodeWebSocketTransport needs transportOptions.url');
    this.options = options;
    this.protocol = /^wss:/i.test(options.url) ? 'WSS' : 'WS';
  }

  protected open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const secure = this.protocol === 'WSS';
      const { rejectUnauthorized, ca } = secure ? tlsOptionsFor(new URL(this.options.url).hostname, this.options.tls ?? CHECK_CERTIFICATES) : {};
      const socket = new WebSocket(this.options.url, 'sip', {
        handshakeTimeout: this.options.connectTimeoutMs ?? 5000,
        ...(secure ? { rejectUnauthorized, ...(ca ? { ca } : {}) } : {}),
      });
      this.socket = socket;
      let opened = false;
      socket.on('open', () => {
        if (socket.protocol !== 'sip') {
          socket.terminate();
          reject(new Error(`${this.options.url} did not accept the sip subprotocol`));
          return;
        }
        opened = true;
        resolve();
      });
      socket.on('message', (data: WebSocket.RawData) => {
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        this.received(text);
      });
      socket.on('error', (error: Error & { code?: string }) => {
        if (!opened) reject(secure && error.code ? new Error(describeTlsFailure(error, this.options.url)) : error);
      });
      socket.on('close', (code: number) => {
        if (this.socket === socket) this.socket = undefined;
        if (!opened) reject(new Error(`WebSocket to ${this.options.url} closed (${code})`));
        else this.lost(new Error(`WebSocket to ${this.options.url} closed (${code})`));
      });
    });
  }

  protected close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 1000);
      timer.unref();
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(1000);
    });
  }

  protected write(message: string): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) throw new Error('WebSocket is not open');
    this.socket.send(message);
  }
}
