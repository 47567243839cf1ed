/**
 * Handset consoles over WebSocket (`/consoles/<IPEI>`), the handset pages (`/handsets/`, `/handsets/<IPEI>/`).
 *
 * Screen updates are coalesced per turn of the event loop: a burst of key presses or a reboot that changes a handset
 * many times in one turn sends one `view` frame with the final screen, so many consoles on many handsets stay cheap.
 * Tones are sent as they happen (three busy tones are three frames).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Handset, HandsetUpdate } from '../../devices/handset/handset.ts';
import { SimError } from '../../kernel/errors.ts';
import { ERR_KEYS_FAILED } from '../../kernel/error-catalogue.ts';
import { html } from '../../kernel/html.ts';
import { CONSOLE_PROTOCOL, parseClientFrame, type ServerFrame } from './console-protocol.ts';

/** Closes with this code when the IPEI names no handset in the lab. */
export const CLOSE_UNKNOWN_HANDSET = 4404;

/**
 * Frames a console may send per second, with a burst allowance: far above a person at a keypad (a key is a few
 * frames a second; a scripted sequence goes in one frame), low enough that a flood from a few consoles cannot starve
 * the HTTP server of the same process. Frames over the limit are dropped and answered with one `RATE_LIMITED` error a
 * second at most.
 */
export const CONSOLE_FRAMES_PER_SECOND = 30;
export const CONSOLE_FRAME_BURST = 60;

/** A token bucket on real time (it protects the process, not lab behaviour). */
function frameBudget(now: () => number = () => performance.now()): () => boolean {
  let tokens = CONSOLE_FRAME_BURST;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(CONSOLE_FRAME_BURST, tokens + ((t - last) * CONSOLE_FRAMES_PER_SECOND) / 1000);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** Attaches one console connection to a handset until either side goes away. */
export function attachConsole(socket: WebSocket, handset: Handset): void {
  send(socket, { type: 'hello', protocol: CONSOLE_PROTOCOL, ipei: handset.ipei, model: handset.model });
  let lastView = '';
  const sendView = () => {
    const view = handset.view();
    const json = JSON.stringify(view);
    if (json === lastView) return;
    lastView = json;
    send(socket, { type: 'view', view });
  };
  sendView();
  let scheduled = false;
  const unsubscribe = handset.onChange((update: HandsetUpdate) => {
    if (update.type === 'tone') {
      send(socket, { type: 'tone', tone: update.tone, at: update.at });
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      sendView();
    });
  });
  const allowed = frameBudget();
  let lastLimitNotice = -Infinity;
  socket.on('message', (data: Buffer) => {
    if (!allowed()) {
      const t = performance.now();
      if (t - lastLimitNotice >= 1000) {
        lastLimitNotice = t;
        send(socket, {
          type: 'error',
          code: 'RATE_LIMITED',
          message: `too many frames: a console may send ${CONSOLE_FRAMES_PER_SECOND} a second (bursts of ${CONSOLE_FRAME_BURST}); frames over that are dropped — send a key sequence in one frame`,
        });
      }
      return;
    }
    const frame = parseClientFrame(data);
    if (!frame.ok) {
      send(socket, { type: 'error', code: 'FRAME_INVALID', message: frame.errors.map((e) => e.message).join('; ') });
      return;
    }
    if (frame.value.type === 'ping') {
      send(socket, { type: 'pong' });
      return;
    }
    try {
      handset.press(frame.value.keys);
    } catch (err) {
      const e = err instanceof SimError ? err : new ERR_KEYS_FAILED((err as Error).message);
      send(socket, { type: 'error', code: e.code, message: e.message });
    }
  });
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
}

/** Needs @fastify/websocket registered on the app (build-app.ts does, so tests get `app.injectWS`). */
export const consolePlugin: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { ipei: string } }>('/consoles/:ipei', { websocket: true, schema: { hide: true } }, (socket, req) => {
    const handset = app.lab.getHandset(req.params.ipei);
    if (!handset) {
      send(socket, { type: 'error', code: 'HANDSET_NOT_FOUND', message: `no handset with IPEI ${req.params.ipei} in this lab` });
      socket.close(CLOSE_UNKNOWN_HANDSET, 'unknown handset');
      return;
    }
    attachConsole(socket, handset);
  });

  app.get('/handsets/', { schema: { hide: true } }, async (_req, reply) => {
    const rows = [...app.lab.handsets.values()].map((h) => {
      const v = h.view();
      return html`<tr><td><a href="${v.ipei}/">${v.model}</a></td><td><code>${v.ipei}</code></td><td>${v.ipeiDecimal}</td>
<td>${v.firmware}${!v.firmwareMeetsTeamsMinimum && html` <span class="warn">below 8.0.3</span>`}</td>
<td><span class="state state-${v.state}">${v.state}</span></td><td>${v.baseMac ? html`<code>${v.baseMac}</code> slot ${String(v.slot)}` : '—'}</td>
<td><pre class="mini-screen">${v.display.join('\n')}</pre></td></tr>`;
    });
    return reply.type('text/html').send(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Handsets — Rove Simulator</title>
<meta http-equiv="refresh" content="5"><link rel="stylesheet" href="/static/admin/admin.css"><link rel="stylesheet" href="/static/handset/handset.css"></head>
<body class="landing"><main><h1>Handsets</h1><p><a href="/">← Lab overview</a></p>
<table class="grid"><thead><tr><th>Model</th><th>IPEI</th><th>IPUI (decimal)</th><th>Firmware</th><th>State</th><th>Base</th><th>Screen</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="7">No handsets in this lab.</td></tr>`}</tbody></table></main></body></html>`.value);
  });

  app.get<{ Params: { ipei: string } }>('/handsets/:ipei/', { schema: { hide: true } }, async (req, reply) => {
    const handset = app.lab.getHandset(req.params.ipei);
    if (!handset) {
      return reply
        .code(404)
        .type('text/html')
        .send(html`<!doctype html><title>Not found</title><p>No handset with IPEI ${req.params.ipei} in this lab. <a href="../../">All handsets</a></p>`.value);
    }
    const v = handset.view();
    return reply.type('text/html').send(html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${v.model} ${v.ipei} — Rove Simulator</title><link rel="stylesheet" href="/static/handset/handset.css"></head>
<body><div id="app" data-ipei="${v.ipei}" data-model="${v.model}"></div>
<noscript>The handset console needs JavaScript.</noscript>
<script type="module" src="/static/handset/handset.js"></script></body></html>`.value);
  });
};
