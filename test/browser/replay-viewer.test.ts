/**
 * A support engineer replays a run in a real browser (Debian chromium through playwright-core): the guide's rollout
 * of one handset is rehearsed, its event log written to a temp dir and served by `rove-sim replay --serve`'s app.
 * Played at max speed, the base shows its five reboots and the handset ends in service and signed in; scrubbed back
 * to the start, everything is booting again. In the simulator, the same log is opened from a file, as a bug report's
 * attachment would be, and a damaged copy is refused with its line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../src/lab/lab.ts';
import { buildReplayApp } from '../../src/rehearsal/replay/build-replay-app.ts';
import { readEventLog } from '../../src/rehearsal/event-log-reader.ts';
import { eventLogHeader, writeEventLog } from '../../src/rehearsal/event-log.ts';
import { runScenario } from '../../src/rehearsal/runner.ts';
import { loadScenarioFile } from '../../src/rehearsal/scenario-loader.ts';
import type { LabEvent } from '../../src/rehearsal/recorder.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { formatLabTime } from '../../web/replay/replay-format.js';
import { launchChromium } from '../support/browser.ts';
import { openTestLab } from '../support/lab.ts';
import { listenOnLoopback } from '../support/app.ts';

const GUIDE = path.resolve('fixtures/scenarios/guide-single-handset.yaml');

describe('Replaying a rehearsal in the browser', () => {
  let dir: string;
  let logFile: string;
  /** The run's events (the times move when the simulator's timings do; the story does not). */
  let events: LabEvent[];
  let replay: FastifyInstance;
  let lab: Lab;
  let simulator: FastifyInstance;
  let browser: Browser;
  let replayUrl: string;
  let simulatorUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-replay-browser-'));
    const run = await runScenario(loadScenarioFile(GUIDE));
    expect(run.report.verdict).toBe('passed');
    logFile = path.join(dir, 'events.jsonl');
    const r = run.report;
    await writeEventLog(logFile, eventLogHeader(r), run.events);
    events = run.events;

    replay = await buildReplayApp({ log: await readEventLog(logFile), name: 'events.jsonl', speed: 'max' });
    replayUrl = `${await listenOnLoopback(replay)}/replay/`;
    lab = await openTestLab();
    simulator = await buildApp({ lab });
    simulatorUrl = `${await listenOnLoopback(simulator)}/replay/`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await replay?.close();
    await simulator?.close();
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const row = (page: Page, table: 'bases' | 'handsets', device: string) => page.locator(`#${table} [role=row][data-device="${device}"] [role=cell]`);
  const cells = (page: Page, table: 'bases' | 'handsets', device: string) => row(page, table, device).allInnerTexts();
  const counter = (page: Page, key: string) => page.locator(`[data-counter="${key}"]`).innerText();

  async function playToTheEnd(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'max' }).click();
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.locator('#play').innerText(), { timeout: 20_000 }).toBe('Play');
  }

  it('plays the whole run at max speed: five reboots, the handset in service and signed in', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(replayUrl);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Guide rollout of one handset');
    expect(await page.locator('#speeds button[aria-pressed="true"]').innerText()).toBe('max');
    expect(await page.locator('#lab-time').innerText()).toBe('+0s');

    await playToTheEnd(page);
    const end = events.at(-1)!.t;
    expect(await page.locator('#lab-time').innerText()).toBe(formatLabTime(end));
    expect(await page.locator('#lab-date').innerText()).toBe(`${new Date(Date.UTC(2026, 10, 2, 9) + end).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
    expect(await page.locator('#position').innerText()).toBe(`event ${events.length} of ${events.length}`);
    const [name, state, , , reboots, lastReboot, inService] = await cells(page, 'bases', 'b1');
    expect([name, state, reboots, lastReboot, inService]).toEqual(['b1', 'running', '5', 'ITSP provisioning: new configuration', '1 of 1']);
    expect(await row(page, 'bases', 'b1').nth(1).locator('.state').getAttribute('class')).toBe('state state-running');
    const [handset, base, handsetState, , teams] = await cells(page, 'handsets', 'reception');
    expect([handset, base, handsetState, teams]).toEqual(['reception', 'b1', 'in-service', 'Signed in · adele.vance@contoso.com']);
    expect(await counter(page, 'reboots')).toBe(
      ['5', 'ITSP provisioning: applying new provisioning settings (ConfigURL changed): 3', 'Firmware update: 1', 'ITSP provisioning: new configuration (sign-in, policy): 1'].join('\n'),
    );
    expect(await counter(page, 'without-service')).toBe('0');
    expect(await counter(page, 'sign-ins')).toBe('1 ok, 0 failed');
    const list = (await page.locator('#events').innerText()).trim().split('\n');
    expect(list.find((l) => l.includes('base rebooting (Firmware update'))).toMatch(/^\+\S+\s+b1\s+base rebooting \(Firmware update 8\.0\.0\.0402 → 8\.0\.3\.0009\)$/);
    expect(list.at(-1)).toMatch(/^\+\S+\s+lab\s+step start \(18\. expect\)$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('scrubbing back to the start shows the initial states, and forward again the state at that time', async () => {
    const page = await browser.newPage();
    await page.goto(replayUrl);
    await playToTheEnd(page);

    await page.locator('#scrubber').fill('0');
    expect(await page.locator('#lab-time').innerText()).toBe('+0s');
    const [, state, since, reason, reboots] = await cells(page, 'bases', 'b1');
    expect([state, since, reason, reboots]).toEqual(['booting', '+0s', 'Power on', '0']);
    expect((await cells(page, 'handsets', 'reception')).slice(2)).toEqual(['starting', '+0s', '—']);
    expect(await counter(page, 'reboots')).toBe('0');
    expect(await counter(page, 'in-service')).toBe('0 of 1');
    expect(await page.locator('#position').innerText()).toBe(`event ${events.filter((e) => e.t === 0).length} of ${events.length}`);

    // When the base starts rebooting into its new firmware, the handset is not registered yet.
    const update = events.find((e) => e.kind === 'base' && e.state === 'rebooting')!;
    await page.locator('#scrubber').fill(String(update.t));
    expect((await cells(page, 'bases', 'b1')).slice(1, 5)).toEqual(['rebooting', formatLabTime(update.t), 'Firmware update 8.0.0.0402 → 8.0.3.0009', '1']);
    expect((await cells(page, 'handsets', 'reception'))[2]).toBe('unregistered');
    await page.close();
  });

  it('in the simulator, opens the log from a file; a damaged copy is refused with its line', async () => {
    const page = await browser.newPage();
    await page.goto(simulatorUrl);
    expect(await page.locator('#log-name').innerText()).toBe('No log open.');
    expect(await page.locator('#viewer').isHidden()).toBe(true);

    const damaged = path.join(dir, 'damaged.jsonl');
    writeFileSync(damaged, `${readFileSync(logFile, 'utf8')}{"t":9000000,"kind":"base","device":"b1","state":`);
    await page.locator('#log-file').setInputFiles(damaged);
    const alert = page.getByRole('alert');
    const lastLine = events.length + 2; // the header, the events, then the cut-off line
    await expect.poll(() => alert.innerText()).toMatch(new RegExp(`^damaged\\.jsonl cannot be replayed:\ndamaged\\.jsonl:${lastLine}: not JSON \\(`));
    expect(await page.locator('#viewer').isHidden()).toBe(true);

    await page.locator('#log-file').setInputFiles(logFile);
    await expect.poll(() => page.locator('#log-name').innerText()).toBe(`events.jsonl: ${events.length} events over ${formatLabTime(events.at(-1)!.t).slice(1)} of lab time.`);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('button', { name: 'End »' }).click();
    expect((await cells(page, 'handsets', 'reception'))[2]).toBe('in-service');
    expect(await counter(page, 'reboots')).toMatch(/^5\n/);
    await page.close();
  });
});
