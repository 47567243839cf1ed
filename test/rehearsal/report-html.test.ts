/**
 * An IT lead reads the rehearsal report: both runs' totals side by side with the differences marked, both timelines
 * on one time scale with axis labels that do not run into each other, and a 254-base / 1,000-handset rollout drawn
 * as state bands and one band per site instead of 1,254 unreadable rows, with the problems grouped by error.
 */
import { describe, expect, it } from 'vitest';
import { MIN_TICK_GAP, renderReportHtml, stateCounts } from '../../src/rehearsal/report-html.ts';
import { fakeRunReport } from '../support/run-report.ts';
import { planRuns } from '../../src/rehearsal/runs/runs-summary.ts';

const H = 3_600_000;

function svgs(html: string): string[] {
  return [...html.matchAll(/<svg class="timeline"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

function tickXs(svg: string): number[] {
  return [...svg.matchAll(/<text class="tick" x="([\d.]+)"/g)].map((m) => Number(m[1]));
}

function totalsRow(html: string, label: string): string[] {
  const row = html.match(new RegExp(`<tr[^>]*><th>${label}</th>(.*?)</tr>`))?.[1] ?? '';
  return [...row.matchAll(/<td class="num">(.*?)<\/td>/g)].map((m) => m[1]!);
}

describe('The rehearsal report', () => {
  const main = fakeRunReport({ bases: 1, handsetsPerBase: 30, signInReboots: 30, virtualMs: 2 * H + 11 * 60_000 });
  const comparison = fakeRunReport({ bases: 1, handsetsPerBase: 30, signInReboots: 0, virtualMs: 2 * H + 9 * 60_000, variant: 'no reboot on a changed configuration' });
  const html = renderReportHtml(main, comparison, { mainMs: 17_000, comparisonMs: 4_000 });

  it('shows the totals of both runs side by side and marks the rows that differ', () => {
    expect(html).toContain('<th>rove-8.0</th><th>no reboot on a changed configuration</th>');
    expect(totalsRow(html, 'Handset-minutes without service')).toEqual(['1350', '0']);
    expect(totalsRow(html, 'Base reboots')).toEqual(['33', '3']);
    expect(totalsRow(html, 'Reboots: ITSP provisioning: new configuration \\(sign-in, policy\\)')).toEqual(['30', '0']);
    expect(totalsRow(html, 'Sign-ins failed')).toEqual(['0', '0']);
    expect(html).toMatch(/<tr class="differs"><th>Base reboots<\/th>/);
    expect(html).toMatch(/<tr><th>Handsets in service \/ total<\/th>/);
    expect(html).toContain('lab time 2h9m · wall time 4.00 s');
  });

  it('draws both timelines one above the other on one time scale, axis labels well apart and starting at 0', () => {
    const [a, b] = svgs(html);
    expect(svgs(html)).toHaveLength(2);
    const ticks = tickXs(a!);
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBeGreaterThanOrEqual(MIN_TICK_GAP);
    expect(tickXs(b!)).toEqual(ticks);
    expect(a).toContain('<text class="tick" x="130.0" y="');
    expect(a).toMatch(/>0<\/text>/);
    expect(html).not.toContain('>0ms<');
    // the shorter run's end is marked on the shared scale
    expect(b).toContain('end of this run (2h9m)');
    // a row per device while the lab is small
    expect(a).toContain('>b001/30</text>');
  });

  describe('of a 254-base, 1,000-handset rollout over 10 sites', () => {
    const big = fakeRunReport({
      bases: 250,
      handsetsPerBase: 4,
      sites: 10,
      signInReboots: 2,
      virtualMs: 2 * H + 37 * 60_000,
      failedSignIns: { every: 7, error: 'User missing phone number assignment.', fix: 'Assign a phone number to the user (Voice → Phone numbers).' },
    });
    const page = renderReportHtml(big);
    const [svg] = svgs(page);

    it('draws bands of state counts and one band per site, not a row per device', () => {
      expect(svg).toContain('Bases by state (250)');
      expect(svg).toContain('Handsets by state (1000)');
      expect(svg).toContain('By site (10)');
      expect(svg).toContain('site-01 · 25 B / 100 H');
      expect(svg).not.toContain('>b001/1<');
      expect(svg!.match(/<rect /g)!.length).toBeLessThan(5_000);
      expect(page.length).toBeLessThan(500_000);
      expect(svg).toMatch(/At worst 1000 of 1000 handsets without service/);
    });

    it('groups the devices that did not end well by error, with what to fix and which devices', () => {
      const byError = page.match(/<table class="by-error">.*?<\/table>/s)?.[0] ?? '';
      const cells = [...byError.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
      expect(cells).toEqual(['User missing phone number assignment.', '143', 'Assign a phone number to the user (Voice → Phone numbers).', expect.stringMatching(/^b001\/3, b003\/2, .* and 135 more$/)]);
      expect(page).toContain('<details><summary>Each device that did not end well: 143</summary>');
    });
  });

  it('counts the devices in each state per column, weighted by time', () => {
    const counts = stateCounts(
      [
        [{ from: 0, to: 100, state: 'running' }],
        [
          { from: 0, to: 50, state: 'booting' },
          { from: 50, to: 100, state: 'running' },
        ],
      ],
      200,
      4,
      100,
    );
    expect(counts.map((c) => Object.fromEntries(c))).toEqual([{ booting: 1, running: 1 }, { running: 2 }, {}, {}]);
  });

  describe('of two plans over three runs each', () => {
    // The main plan reboots 30, 28 or 31 times per base, the other none: three "days" with other timings.
    const run = (signInReboots: number, variant?: string) => fakeRunReport({ bases: 1, handsetsPerBase: 30, signInReboots, virtualMs: 2 * H, ...(variant ? { variant } : {}) });
    const runsOf = (label: string, counts: number[], variant?: string) =>
      planRuns(label, counts.map((n, i) => ({ run: i + 1, timingSeed: i === 0 ? null : 1000 + i, timings: (i === 0 ? {} : { bootMs: 90_000 + i * 5_000, 'user.pace': 1.1 }) as Record<string, number>, report: run(n, variant), failures: [] })));
    const series = { count: 3, variation: 'Run 1 plays the modelled timings; …', plans: [runsOf('rove-8.0', [30, 28, 31]), runsOf('no reboot', [0, 0, 0], 'no reboot')] };
    const page = renderReportHtml(run(30), run(0, 'no reboot'), undefined, series);

    it('shows each plan side by side as median (min–max), with the difference of the medians', () => {
      const side = page.match(/<h2>Side by side<\/h2>[\s\S]*?<\/table>/)?.[0] ?? '';
      expect(side).toContain('Each plan ran 3 times with varied timings: median (min–max); the difference is between the medians.');
      expect(side).toContain('<tr><td>Base reboots</td><td class="num">33 (31–34)</td><td class="num">3</td><td class="num better">−30</td></tr>');
      expect(side).toContain('<tr><td>Handset-minutes without service</td><td class="num">1350 (1260–1395)</td><td class="num">0</td><td class="num better">−1350</td></tr>');
    });

    it('lists min / median / max per plan, and each run with the timings drawn for it', () => {
      expect(page).toContain('<h2>3 runs with varied timings</h2>');
      expect(page).toContain('<tr><th>Base reboots</th><td class="num">31</td><td class="num">33</td><td class="num">34</td><td class="num">3</td><td class="num">3</td><td class="num">3</td></tr>');
      expect(page).toMatch(/<tr><td class="num">1<\/td><td class="num">modelled<\/td>/);
      expect(page).toMatch(/<tr><td class="num">2<\/td><td class="num">1001<\/td>.*<td class="num">1m35s<\/td><td class="num">×1\.1<\/td><\/tr>/);
    });
  });
});
