/** Reading a handset's screen as the technician does, for the steps that work through its keys and their failure texts. */
import type { Handset } from '../../devices/handset/handset.ts';

/** How long a technician waits for a handset to be idle in service with its line up before enrolling or signing in. */
export const HANDSET_READY_WAIT_MS = 10 * 60_000;

/** The handset's display lines, trimmed and joined (` | `), quoted: what a failure shows. */
export function screenText(handset: Handset): string {
  return JSON.stringify(handset.view().display.map((l) => l.trim()).filter(Boolean).join(' | '));
}
