import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Launches headless Debian Chromium with the flags this machine needs (no sandbox as root, no background traffic
 * to a network the machine does not have). Fails with what to do when Chromium is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (bash .ci/run does: apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
