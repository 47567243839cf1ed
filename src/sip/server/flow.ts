/**
 * A flow is one path to a SIP peer (RFC 5626's word): a UDP address, a TCP connection, a WebSocket, or an in-memory
 * pipe to a line in the same process. The server answers a request on the flow it came from and reaches a
 * registered contact through the flow its REGISTER came on, as RFC 7118 asks for WebSocket clients.
 */
import type { Clock } from '../../kernel/virtual-clock.ts';

export type FlowTransport = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'MEM';

export interface Flow {
  readonly id: number;
  readonly transport: FlowTransport;
  /** Where the peer is, for people: `udp:127.0.0.1:5062`, `ws:127.0.0.1:40112`, `memory:1001@0004F2A00001`. */
  readonly remote: string;
  /**
   * The time domain of the peer: the lab clock for in-memory lines, real time for peers on real sockets. Binding
   * expiry, nonce lifetime and the test number's timers for this peer run on it.
   */
  readonly clock: Clock;
  readonly open: boolean;
  send(text: string): void;
}

let nextFlowId = 1;

export function newFlowId(): number {
  return nextFlowId++;
}

/** The transport token for Via headers and `transport=` URI parameters of a flow (in-memory flows look like WS). */
export function viaTransport(flow: Flow): 'UDP' | 'TCP' | 'TLS' | 'WS' {
  return flow.transport === 'MEM' ? 'WS' : flow.transport;
}
