/**
 * An IT lead opens a rehearsal report with a comparison run in a real browser (Debian chromium through
 * playwright-core), on a wide screen and on a laptop: the two timelines sit one above the other without covering each
 * other, fit the window, and their time axes' labels do not run into each other.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/rehearsal/report-html.ts';
import { launchChromium } from '../support/browser.ts';
import { fakeRunReport } from '../support/run-report.ts';

const H = 3_600_000;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('The rehearsal report in the browser', () => {
  let browser: Browser;
  const html = renderReportHtml(
    fakeRunReport({ bases: 1, handsetsPerBase: 30, signInReboots: 30, virtualMs: 2 * H + 11 * 60_000 }),
    fakeRunReport({ bases: 1, handsetsPerBase: 30, signInReboots: 0, virtualMs: 2 * H + 9 * 60_000, variant: 'no reboot on a changed configuration' }),
  );

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [1280, 900]) {
    it(`shows both timelines apart, inside a ${width} px window, with readable axes`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.setContent(html);
      const svgs = await page.locator('svg.timeline').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as Box));
      expect(svgs).toHaveLength(2);
      const [a, b] = svgs as [Box, Box];
      expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
      for (const s of svgs) expect(s.x + s.width).toBeLessThanOrEqual(width);

      const axes = await page
        .locator('svg.timeline')
        .evaluateAll((els) => els.map((svg) => [...svg.querySelectorAll('text.tick')].map((t) => ({ text: t.textContent, ...(t.getBoundingClientRect().toJSON() as Box) }))));
      for (const ticks of axes) {
        expect(ticks.length).toBeGreaterThanOrEqual(5);
        expect(ticks[0]!.text).toBe('0');
        for (let i = 1; i < ticks.length; i++) {
          // a visible gap between neighbouring labels, and all on one line
          expect(ticks[i]!.x - (ticks[i - 1]!.x + ticks[i - 1]!.width)).toBeGreaterThanOrEqual(8);
          expect(ticks[i]!.y).toBeCloseTo(ticks[0]!.y, 0);
        }
        expect(ticks.at(-1)!.x + ticks.at(-1)!.width).toBeLessThanOrEqual(width);
      }
      await page.close();
    });
  }
});
