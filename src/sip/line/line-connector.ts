/**
 * Where a line's SIP goes and over what: the lab's embedded server in process, or a real server over UDP, TCP, TLS or
 * WebSocket (`ws://`, `wss://`), each a sip.js transport of its own. The base's SIP → Servers entry picks one
 * (src/lab/line-wiring.ts).
 *
 * | connector | transport | Via / Contact `transport=` |
 * |---|---|---|
 * | `memory` | {@link MemoryTransport} | WS / ws (what a line shows the lab server) |
 * | `udp` | {@link UdpTransport} | UDP / udp, the socket's address in Via and Contact |
 * | `tcp`, `tls` | {@link StreamTransport} | TCP / tcp, TLS / tls, the connection's address in Via and Contact |
 * | `websocket` | {@link NodeWebSocketTransport} | WS or WSS / ws (RFC 7118) |
 */
import type { TimerClock } from '../../kernel/virtual-clock.ts';
import type { FlowPath, SipServer } from '../server/sip-server.ts';
import { MemoryTransport } from './memory-transport.ts';
import { StreamTransport } from './stream-transport.ts';
import type { TlsCertificateCheck } from './tls-check.ts';
import { UdpTransport } from './udp-transport.ts';
import { NodeWebSocketTransport } from './websocket-transport.ts';

export type LineConnector =
  /** `path`: the network the flow crosses (a site without network carries nothing). */
  | { kind: 'memory'; server: SipServer; path?: FlowPath }
  | { kind: 'websocket'; url: string; connectTimeoutMs?: number; tls?: TlsCertificateCheck }
  | { kind: 'udp' | 'tcp' | 'tls'; host: string; port: number; connectTimeoutMs?: number; tls?: TlsCertificateCheck };

type TransportClass = typeof MemoryTransport | typeof NodeWebSocketTransport | typeof UdpTransport | typeof StreamTransport;

/** sip.js `UserAgent` options for a connector: the transport, its options, and the Contact's `transport=`. */
export function transportOf(
  connector: LineConnector,
  context: { label: string; placeholder: string; clock: TimerClock },
): { transportConstructor: TransportClass; transportOptions: object; contactParams: { transport: string } } {
  switch (connector.kind) {
    case 'memory':
      return { transportConstructor: MemoryTransport, transportOptions: { server: connector.server, label: context.label, path: connector.path }, contactParams: { transport: 'ws' } };
    case 'websocket':
      return {
        transportConstructor: NodeWebSocketTransport,
        transportOptions: { url: connector.url, connectTimeoutMs: connector.connectTimeoutMs, tls: connector.tls },
        contactParams: { transport: 'ws' },
      };
    case 'udp':
      return {
        transportConstructor: UdpTransport,
        transportOptions: { host: connector.host, port: connector.port, clock: context.clock, placeholder: context.placeholder },
        contactParams: { transport: 'udp' },
      };
    case 'tcp':
    case 'tls':
      return {
        transportConstructor: StreamTransport,
        transportOptions: {
          kind: connector.kind,
          host: connector.host,
          port: connector.port,
          clock: context.clock,
          placeholder: context.placeholder,
          tls: connector.tls,
          connectTimeoutMs: connector.connectTimeoutMs,
        },
        contactParams: { transport: connector.kind },
      };
  }
}
