/**
 * Hands out the classroom's ports in order: from `--port` + 1 up, each trainee's main server, then their bases' web
 * admins, then their Teams admin center, skipping ports that are taken (a port in use must not stop a class). With
 * port 0 every server gets an ephemeral port. Listens one at a time, so trainees opened side by side never race for
 * the same port.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export class PortCursor {
  private next: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    first: number,
    private readonly host: string,
  ) {
    this.next = first;
  }

  /** Listens `server` on the next free port; resolves to the port. */
  listen(server: http.Server): Promise<number> {
    const turn = this.queue.then(() => this.listenNow(server));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async listenNow(server: http.Server): Promise<number> {
    for (let tries = 0; ; tries++) {
      const port = this.next;
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, this.host, () => {
            server.off('error', reject);
            resolve();
          });
        });
        const got = (server.address() as AddressInfo).port;
        if (this.next !== 0) this.next = got + 1;
        return got;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || this.next === 0 || tries >= 200) throw err;
        this.next++;
      }
    }
  }
}
