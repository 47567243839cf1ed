import { VirtualClock } from '../../src/kernel/virtual-clock.ts';
import { Line, type LineOptions } from '../../src/sip/line/line.ts';
import { lineProfile, type LineProfile } from '../../src/sip/line/line-profile.ts';
import { SipServer, type SipServerOptions } from '../../src/sip/server/sip-server.ts';
import { installSipSpeedups } from '../../src/sip/speed/sip-speedups.ts';

// Lines and servers built here without a lab: the SIP speed-ups installed as Lab.open() installs them.
installSipSpeedups();

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const PASSWORD = 'rove-secret-1';

/**
 * A SIP world on a paused lab clock: the embedded server with accounts 1001–1009, and lines that reach it through
 * the in-memory transport. Time moves only when the test says so.
 */
export function sipWorld(options: { server?: Partial<SipServerOptions>; profile?: Partial<LineProfile>; accounts?: number } = {}) {
  const clock = new VirtualClock({ start: Date.UTC(2026, 10, 2, 9, 0, 0), paused: true });
  const count = options.accounts ?? 9;
  const accounts = Array.from({ length: count }, (_, i) => ({
    extension: String(1001 + i),
    password: PASSWORD,
    displayName: `Handset ${1001 + i}`,
  }));
  const server = new SipServer({ clock, accounts, ...options.server });
  const profile = lineProfile(options.profile);
  const lines: Line[] = [];

  function line(extension: string, overrides: Partial<LineOptions> = {}): Line {
    const created = new Line({
      extension,
      password: PASSWORD,
      domain: server.domain,
      connector: { kind: 'memory', server },
      clock,
      profile,
      device: { id: '0004F2A00001', userAgent: 'RoveB4 8.0.3.0009 0004F2A00001' },
      ...overrides,
    });
    lines.push(created);
    return created;
  }

  /** Lets every in-flight SIP exchange finish without moving the clock. */
  const settle = () => clock.advance(0);

  async function registered(...extensions: string[]): Promise<Line[]> {
    const made = extensions.map((e) => line(e));
    for (const l of made) l.start();
    await settle();
    return made;
  }

  async function close(): Promise<void> {
    await Promise.all(lines.map((l) => l.dispose('power-loss')));
    await server.close();
    clock.dispose();
  }

  return { clock, server, profile, line, registered, settle, close };
}
