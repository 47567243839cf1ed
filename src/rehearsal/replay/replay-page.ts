/**
 * The replay viewer's page: the web admin's look (`web/admin/admin.css`), an empty frame that `web/replay/replay.js`
 * fills from the log — lab clock and controls, counters, latest events, every base and handset.
 */
import { html } from '../../kernel/html.ts';

export interface ReplayPageOptions {
  /** Where the replay routes are (`/replay`). */
  prefix: string;
  /** Speed selected at first: lab ms per real ms, or `max`. */
  speed: 'max' | number;
  /** The server has a log to show (`GET events.json`); otherwise the page waits for one to be opened. */
  hasLog: boolean;
}

export function renderReplayPage(o: ReplayPageOptions): string {
  const cols = (names: string[]) => names.map((n) => html`<span role="columnheader">${n}</span>`);
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Replay — Rove Simulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/admin/admin.css"><link rel="stylesheet" href="/static/replay/replay.css"></head>
<body class="device replay">
<header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">Replay of a run</span></div>
<dl class="device-id" id="run-id"></dl></header>
<main class="replay-content" id="replay" data-open="${`${o.prefix}/open`}" data-speed="${o.speed}"${o.hasLog && html` data-events="${`${o.prefix}/events.json`}"`}>
<h1 id="title">Replay of a run</h1>
<div id="message"></div>
<section class="panel"><h2>Event log</h2>
<p class="open-log"><span id="log-name">${o.hasLog ? 'Loading the log…' : 'No log open.'}</span>
<input type="file" id="log-file" accept=".jsonl,.json,.txt,.log,application/x-ndjson,application/json,text/plain"><label class="button" for="log-file">Open a log…</label>
<span class="muted">the <code>events.jsonl</code> of a report directory (<code>rove-sim rehearse … --report DIR</code>), e.g. attached to a bug report</span></p>
</section>
<div id="viewer" hidden>
<section class="panel" aria-label="Lab clock"><h2>Lab clock</h2>
<div class="clock">
<div class="clock-face"><div class="lab-time time" id="lab-time" aria-live="off">+0s</div><div class="muted time" id="lab-date"></div></div>
<div class="clock-controls" id="controls">
<button id="to-start" title="Back to the start (Home)">« Start</button><button id="play" class="primary" title="Play or pause (space)">Play</button><button id="to-end" title="To the end (End)">End »</button>
<span>Speed</span><span id="speeds" class="speeds"></span>
</div>
</div>
<div class="scrub"><input type="range" id="scrubber" min="0" max="0" step="1" value="0" aria-label="Lab time since the start"><span class="muted time" id="duration"></span></div>
<p class="muted clock-notes"><span id="position"></span> · step: <span id="step">—</span></p>
</section>
<div class="columns">
<section class="panel"><h2>Counters</h2><table class="status counters"><tbody id="counters"></tbody></table></section>
<section class="panel"><h2>Latest events</h2><pre class="event-list" id="events" tabindex="0"></pre></section>
</div>
<section class="panel"><h2>Base stations</h2>
<div class="device-table" id="bases" role="table" aria-label="Base stations"><div class="device-row head" role="row">${cols(['Base', 'State', 'Since', 'Reason', 'Reboots', 'Last reboot', 'Handsets in service', 'Last error'])}</div><div role="rowgroup"></div></div></section>
<section class="panel"><h2>Handsets</h2>
<div class="device-table" id="handsets" role="table" aria-label="Handsets"><div class="device-row head" role="row">${cols(['Handset', 'Base', 'State', 'Since', 'Teams'])}</div><div role="rowgroup"></div></div></section>
</div>
<noscript><p class="notice error">The replay viewer needs JavaScript.</p></noscript>
</main>
<script type="module" src="/static/replay/replay.js"></script>
</body></html>`.value;
}
