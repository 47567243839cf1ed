/**
 * What sip.js needs from a transport (`Transport` of sip.js 0.21.2: state, connect/disconnect, send, callbacks),
 * with the connection itself left to subclasses: an in-process pipe to the embedded server (`MemoryTransport`), a UDP
 * socket (`UdpTransport`), a TCP or TLS connection (`StreamTransport`) or a real WebSocket (`NodeWebSocketTransport`);
 * `line-connector.ts` picks one.
 *
 * ```text
 *   Disconnected ──connect()──▶ Connecting ──opened──▶ Connected ──disconnect()──▶ Disconnecting ──▶ Disconnected
 *        ▲                          │ failed                 │ connection lost (onDisconnect(error))
 *        └──────────────────────────┴────────────────────────┘
 * ```
 *
 * The transport never reconnects by itself (sip.js's own reconnection runs on real timers): the line decides when to
 * reconnect, on its clock, with its back-off.
 */
import { EmitterImpl, type Emitter, type Transport, TransportState } from 'sip.js';

export abstract class MessageTransport implements Transport {
  /** Via transport token (RFC 3261 §20.42): `WS` here and for in-memory lines; each socket transport says its own. */
  readonly protocol: string = 'WS';
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  private current: TransportState = TransportState.Disconnected;
  private readonly emitter = new EmitterImpl<TransportState>();
  private connecting: Promise<void> | undefined;
  private disconnecting: Promise<void> | undefined;

  get state(): TransportState {
    return this.current;
  }

  get stateChange(): Emitter<TransportState> {
    return this.emitter;
  }

  isConnected(): boolean {
    return this.current === TransportState.Connected;
  }

  connect(): Promise<void> {
    if (this.current === TransportState.Connected) return Promise.resolve();
    if (this.connecting) return this.connecting;
    // sip.js's UserAgent.stop() does not wait for the transport to close: a line that starts again on the same user
    // agent (line-agent.ts) must not open the new connection while the old one is still closing.
    if (this.disconnecting) return this.disconnecting.then(() => this.connect());
    this.transition(TransportState.Connecting);
    this.connecting = this.open().then(
      () => {
        this.connecting = undefined;
        this.transition(TransportState.Connected);
        this.onConnect?.();
      },
      (error: unknown) => {
        this.connecting = undefined;
        this.transition(TransportState.Disconnected);
        throw error instanceof Error ? error : new Error(String(error));
      },
    );
    return this.connecting;
  }

  /** Closes the connection; while it is closing, every caller gets the same promise. */
  disconnect(): Promise<void> {
    if (this.disconnecting) return this.disconnecting;
    if (this.current === TransportState.Disconnected) return Promise.resolve();
    this.transition(TransportState.Disconnecting);
    const closing = (async () => {
      try {
        await this.close();
      } finally {
        this.disconnecting = undefined;
        this.transition(TransportState.Disconnected);
        this.onDisconnect?.();
      }
    })();
    // (close() threw at once: already Disconnected, nothing to share.)
    if (this.current === TransportState.Disconnecting) this.disconnecting = closing;
    return closing;
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  send(message: string): Promise<void> {
    if (this.current !== TransportState.Connected) return Promise.reject(new Error(`transport is ${this.current}`));
    try {
      this.write(message);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Opens the connection; rejects when it cannot. */
  protected abstract open(): Promise<void>;
  /** Closes the connection (orderly). */
  protected abstract close(): Promise<void>;
  protected abstract write(message: string): void;

  /** Subclasses hand over every message they receive. */
  protected received(message: string): void {
    if (this.current === TransportState.Connected) this.onMessage?.(message);
  }

  /** Subclasses report a connection that went away without being asked to. */
  protected lost(error: Error): void {
    if (this.current === TransportState.Disconnected || this.current === TransportState.Disconnecting) return;
    this.transition(TransportState.Disconnected);
    this.onDisconnect?.(error);
  }

  private transition(state: TransportState): void {
    if (this.current === state) return;
    this.current = state;
    this.emitter.emit(state);
  }
}
