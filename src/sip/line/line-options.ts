/** What a SIP line is built from; its own file so that line.ts and line-agent.ts both use it without a cycle. */
import type { Clock } from '../../kernel/virtual-clock.ts';
import type { LineConnector } from './line-connector.ts';
import type { LineProfile } from './line-profile.ts';

export interface LineOptions {
  extension: string;
  /** Digest user name (default: the extension). */
  authUser?: string;
  password: string;
  displayName?: string;
  /** SIP domain: registrar and host part of addresses (`1001@domain`). */
  domain: string;
  connector: LineConnector;
  /**
   * Clock of the line's own timers (registration refresh and retry, no-answer). Use the lab clock for in-memory
   * lines and real time for lines on a real network: {@link lineClockFor} picks the right one.
   */
  clock: Clock;
  profile?: Readonly<LineProfile>;
  /** The device the line lives on: a stable contact (`<ext>-<id>@<id>.rove.invalid`) and its User-Agent. */
  device?: { id: string; userAgent?: string; address?: string };
}
