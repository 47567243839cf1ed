/**
 * The embedded SIP server on real sockets, loopback only: UDP (one flow per remote address), TCP (one flow per
 * connection, framed by Content-Length) and WebSocket (RFC 7118, subprotocol `sip`, one message per frame).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../../kernel/virtual-clock.ts';
import { ERR_SIP_LISTEN_NOT_LOOPBACK } from '../../kernel/error-catalogue.ts';
import { type Flow, newFlowId } from './flow.ts';
import { StreamFramer } from './stream-framer.ts';

export interface ListenOptions {
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Ports; 0 picks a free one; leave a transport out to not listen on it. */
  udp?: number;
  tcp?: number;
  ws?: number;
  /** SIP over TLS (RFC 3261 §26, as the Teams SIP Gateway offers it on 5061), framed as TCP; needs `tlsIdentity`. */
  tls?: number;
  /** The server's certificate and key (PEM) for `tls`. */
  tlsIdentity?: { cert: string; key: string };
  /** TCP connection limits (defaults below); smaller values let a test reach them. */
  tcpLimits?: Partial<TcpLimits>;
}

export interface TcpLimits {
  maxConnections: number;
  maxConnectionsPerSource: number;
  /** Real ms a connection may stay without sending one SIP message. */
  silentMs: number;
  /** Real ms a connection may stay without any traffic. */
  idleMs: number;
}

export interface SocketAddress {
  host: string;
  port: number;
}

export interface NetworkListeners {
  addresses: { udp?: SocketAddress; tcp?: SocketAddress; tls?: SocketAddress; ws?: SocketAddress & { url: string } };
  /** The UDP flow to a loopback address and port (the same one a datagram from there arrives on); none without UDP. */
  udpFlowTo?(address: string, port: number): Flow | undefined;
  close(): Promise<void>;
}

export interface ListenerHooks {
  clock: Clock;
  receive(data: string, flow: Flow): void;
  /** A stream could not be framed: answer what can be answered. */
  malformed(text: string, problem: string, status: 400 | 513, flow: Flow): void;
  closed(flow: Flow): void;
}

/**
 * One limit for every transport: a SIP message of up to 65535 bytes (what fits a UDP datagram; the server answers
 * 513 above it, whatever the transport), header section and body alike.
 */
const MAX_HEADER_BYTES = 65_535;
const MAX_BODY_BYTES = 65_535;
const MAX_UDP_PEERS = 10_000;
/**
 * Receive buffer asked for the UDP socket (the kernel caps it at net.core.rmem_max). Linux's default (≈ 208 KB, a few
 * hundred datagrams) overflows whenever the event loop is busy for a few tens of milliseconds under a registration
 * storm: datagrams are dropped, clients retransmit 500 ms later, and the server falls behind for good. Kamailio asks
 * for more by itself too.
 */
const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
const MAX_CONNECTIONS = 2_000;
/** Connections one source address may hold (loopback clients all share 127.0.0.1, so this is generous). */
const MAX_CONNECTIONS_PER_SOURCE = 1_000;
/** A TCP connection that has not sent one SIP message in this long is closed (real time: sockets are real). */
const SILENT_CONNECTION_MS = 30_000;
/** A TCP connection with no traffic at all in this long is closed; clients keep theirs with CRLF or refreshes. */
const IDLE_CONNECTION_MS = 2 * 3_600_000;

export async function listenNetwork(options: ListenOptions, hooks: ListenerHooks): Promise<NetworkListeners> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new ERR_SIP_LISTEN_NOT_LOOPBACK(host);
  }
  const closers: Array<() => Promise<void>> = [];
  const addresses: NetworkListeners['addresses'] = {};
  let udpFlowTo: NetworkListeners['udpFlowTo'];
  try {
    if (options.udp !== undefined) {
      const udp = await listenUdp(host, options.udp, hooks);
      addresses.udp = udp.address;
      udpFlowTo = (address, remotePort) => (isLoopback(address) ? udp.flowFor(address, remotePort) : undefined);
      closers.push(udp.close);
    }
    if (options.tcp !== undefined) {
      const tcp = await listenTcp(host, options.tcp, hooks, tcpLimits(options), undefined);
      addresses.tcp = tcp.address;
      closers.push(tcp.close);
    }
    if (options.tls !== undefined) {
      if (!options.tlsIdentity) throw new TypeError('listen({ tls }) needs tlsIdentity (certificate and key)');
      const tls = await listenTcp(host, options.tls, hooks, tcpLimits(options), options.tlsIdentity);
      addresses.tls = tls.address;
      closers.push(tls.close);
    }
    if (options.ws !== undefined) {
      const ws = await listenWebSocket(host, options.ws, hooks);
      addresses.ws = { ...ws.address, url: `ws://${formatHost(ws.address.host)}:${ws.address.port}` };
      closers.push(ws.close);
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  return { addresses, ...(udpFlowTo ? { udpFlowTo } : {}), close: async () => void (await Promise.all(closers.map((close) => close()))) };
}

function tcpLimits(options: ListenOptions): TcpLimits {
  return {
    maxConnections: MAX_CONNECTIONS,
    maxConnectionsPerSource: MAX_CONNECTIONS_PER_SOURCE,
    silentMs: SILENT_CONNECTION_MS,
    idleMs: IDLE_CONNECTION_MS,
    ...options.tcpLimits,
  };
}

function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1';
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function listenUdp(host: string, port: number, hooks: ListenerHooks) {
  const socket: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const peers = new Map<string, Flow>();
  const flowFor = (address: string, remotePort: number): Flow => {
    const key = `${address}:${remotePort}`;
    let flow = peers.get(key);
    if (!flow) {
      if (peers.size >= MAX_UDP_PEERS) {
        const oldest = peers.keys().next().value;
        if (oldest !== undefined) peers.delete(oldest);
      }
      flow = {
        id: newFlowId(),
        transport: 'UDP',
        remote: `udp:${key}`,
        clock: hooks.clock,
        open: true,
        send: (text) => socket.send(Buffer.from(text, 'utf8'), remotePort, address),
      };
      peers.set(key, flow);
    }
    return flow;
  };
  socket.on('message', (data, rinfo) => hooks.receive(data.toString('utf8'), flowFor(rinfo.address, rinfo.port)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    if (socket.getRecvBufferSize() < UDP_RECEIVE_BUFFER_BYTES) socket.setRecvBufferSize(UDP_RECEIVE_BUFFER_BYTES);
  } catch {
    // Not allowed here: the default buffer still works, it only overflows sooner.
  }
  const bound = socket.address();
  return {
    flowFor,
    address: { host, port: bound.port },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** TCP, or TLS over TCP when `identity` is given (the same framing, limits and hygiene). */
async function listenTcp(host: string, port: number, hooks: ListenerHooks, limits: TcpLimits, identity: { cert: string; key: string } | undefined) {
  const sockets = new Set<Socket>();
  /** Connections that have not sent a SIP message yet, oldest first: the first to go when the limits are reached. */
  const silent = new Set<Socket>();
  const perSource = new Map<string, number>();
  const accept = (socket: Socket) => {
    const source = socket.remoteAddress ?? '';
    const full = sockets.size >= limits.maxConnections || (perSource.get(source) ?? 0) >= limits.maxConnectionsPerSource;
    if (full) {
      // Idle connections must not lock real clients out: the oldest that never said anything makes room.
      const oldest = silent.values().next().value;
      if (oldest === undefined) {
        socket.destroy();
        return;
      }
      oldest.destroy();
      silent.delete(oldest);
    }
    sockets.add(socket);
    silent.add(socket);
    perSource.set(source, (perSource.get(source) ?? 0) + 1);
    socket.setTimeout(limits.silentMs);
    socket.on('timeout', () => socket.destroy());
    let open = true;
    const flow: Flow = {
      id: newFlowId(),
      transport: identity ? 'TLS' : 'TCP',
      remote: `${identity ? 'tls' : 'tcp'}:${socket.remoteAddress}:${socket.remotePort}`,
      clock: hooks.clock,
      get open() {
        return open;
      },
      send: (text) => {
        if (open) socket.write(text);
      },
    };
    const framer = new StreamFramer({ maxHeaderBytes: MAX_HEADER_BYTES, maxBodyBytes: MAX_BODY_BYTES });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        if (frame.kind === 'message') {
          if (silent.delete(socket)) socket.setTimeout(limits.idleMs);
          hooks.receive(frame.text, flow);
        } else hooks.malformed(frame.text, frame.problem, frame.status, flow);
      }
      if (framer.isBroken) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      sockets.delete(socket);
      silent.delete(socket);
      const left = (perSource.get(source) ?? 1) - 1;
      if (left > 0) perSource.set(source, left);
      else perSource.delete(source);
      hooks.closed(flow);
    });
  };
  // A TLS handshake that fails (a client that does not trust the lab's certificate) just closes that connection.
  const server: TcpServer = identity
    ? createTlsServer({ cert: identity.cert, key: identity.key }, accept).on('tlsClientError', () => undefined)
    : createTcpServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return {
    address: { host, port: typeof bound === 'object' && bound ? bound.port : port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listenWebSocket(host: string, port: number, hooks: ListenerHooks) {
  const http: HttpServer = createHttpServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain' }).end('SIP over WebSocket: connect with subprotocol "sip"\n');
  });
  const wss = new WebSocketServer({
    server: http,
    // One frame is one message: a little over the message limit, so that an oversized one is answered 513.
    maxPayload: MAX_HEADER_BYTES + 1024,
    handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
  });
  wss.on('connection', (socket: WebSocket, request) => {
    if (socket.protocol !== 'sip') {
      socket.close(1002, 'subprotocol sip required');
      return;
    }
    let open = true;
    const flow: Flow = {
      id: newFlowId(),
      transport: 'WS',
      remote: `ws:${request.socket.remoteAddress}:${request.socket.remotePort}`,
      clock: hooks.clock,
      get open() {
        return open;
      },
      send: (text) => {
        if (open) socket.send(text);
      },
    };
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      hooks.receive(text, flow);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      hooks.closed(flow);
    });
  });
  wss.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const bound = http.address();
  return {
    address: { host, port: typeof bound === 'object' && bound ? bound.port : port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
