/**
 * sip.js transport to the lab's embedded SIP server without a socket: each message is handed to the server in
 * process (on the next microtask, as a socket would deliver it). Nothing here waits on real time, so SIP on this
 * transport is exactly as fast as the lab clock: see docs/sip.md, "Time".
 *
 * Pass it to sip.js as `transportConstructor: MemoryTransport` with `transportOptions: { server, label }`.
 */
import type { Core } from 'sip.js';
import type { FlowPath, MemoryFlow, SipServer } from '../server/sip-server.ts';
import { MessageTransport } from './message-transport.ts';

export interface MemoryTransportOptions {
  server: SipServer;
  /** Shown as the flow's remote end on the server, e.g. `1001@0004F2A00001`. */
  label: string;
  /** The network between the line and the server (the lab's emulated internet), if it can be cut. */
  path?: FlowPath;
}

export class MemoryTransport extends MessageTransport {
  private flow: MemoryFlow | undefined;
  private readonly options: MemoryTransportOptions;

  constructor(_logger: Core.Logger, options: MemoryTransportOptions) {
    super();
    if (!options?.server) throw new TypeError('MemoryTransport needs transportOptions.server');
    this.options = options;
  }

  protected open(): Promise<void> {
    try {
      const flow = this.options.server.connect(
        this.options.label,
        (text) => this.received(text),
        () => {
          if (this.flow === flow) {
            this.flow = undefined;
            this.lost(new Error('connection to the SIP server closed'));
          }
        },
        this.options.path,
      );
      this.flow = flow;
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  protected close(): Promise<void> {
    const flow = this.flow;
    this.flow = undefined;
    flow?.close();
    return Promise.resolve();
  }

  protected write(message: string): void {
    if (!this.flow) throw new Error('not connected');
    this.flow.deliver(message);
  }
}
