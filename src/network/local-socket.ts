/**
 * A second door into an HTTP server of the lab: a local (Unix domain) socket whose connections the server serves as
 * its own, next to its loopback TCP port.
 *
 * Why: the devices fetch ConfigURL files and firmware from the lab's own servers (the Teams provisioning service, the
 * Poly download server), which run in the same process — some 10,000 requests in a full-scale rehearsal. Over TCP
 * loopback each request costs about twice the CPU of the same request over a local socket (the kernel's TCP stack,
 * and its deferred delivery on the other core while the process waits). What is sent is the same: Node's HTTP client
 * and the server's HTTP/1.1, byte for byte; only the socket under them differs. The TCP port stays for everything
 * else (a browser, curl, a user's own tools: src/network/emulated-internet.ts lists it).
 *
 * Linux gets an abstract socket (no file: nothing is left behind if the process is killed); elsewhere a socket file
 * in the temporary directory, removed on close. If the socket cannot be opened, there is none and requests use TCP.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface LocalSocket {
  /** What `net.connect({ path })` takes: `\0rove-sim-…` (abstract, Linux) or a file path. */
  readonly path: string;
  /** Stops accepting and ends the connections it brought (the server's own close ends their requests first). */
  close(): Promise<void>;
}

/** Opens a local socket for `server`; undefined when the platform or the file system refuses one. */
export async function openLocalSocket(server: http.Server): Promise<LocalSocket | undefined> {
  const name = `rove-sim-${process.pid}-${randomUUID().slice(0, 8)}`;
  const abstract = process.platform === 'linux';
  const socketPath = abstract ? `\0${name}` : path.join(os.tmpdir(), `${name}.sock`);
  const sockets = new Set<net.Socket>();
  const door = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The server's own connection handling (keep-alive, timeouts, parsing): as if the socket had come to its port.
    server.emit('connection', socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      door.once('error', reject);
      door.listen(socketPath, () => {
        door.off('error', reject);
        resolve();
      });
    });
  } catch {
    door.close();
    return undefined;
  }
  door.unref();
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        door.close(() => {
          if (!abstract) rmSync(socketPath, { force: true });
          resolve();
        });
      }),
  };
}
