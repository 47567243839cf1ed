// The replay viewer (src/replay/replay-page.ts): plays a run's event log like a lab overview — lab clock, play/pause,
// speeds and a scrubber, counters, the latest events, and every base and handset with its state. The log comes from
// the server (GET events.json with `rove-sim replay LOG --serve`) or is opened from a file (POST open, checked by the
// server's reader). State at a time comes from ReplayState (incremental, checkpointed); each frame redraws only the
// rows that changed. Plain browser JavaScript, no dependencies.
import { formatEvent, formatLabTime } from './replay-format.js';
import { ReplayState, teamsStatus } from './replay-state.js';

const SPEEDS = [1, 60, 600, 3600, 'max'];
/** Events in the list. */
const LATEST = 200;
/** At `max` the clock jumps from event to event: at least one per frame, the whole log in about this much real time. */
const MAX_SWEEP_MS = 10_000;
/** A frame never moves the clock by more than this much real time (a tab in the background stops frames). */
const MAX_FRAME_MS = 1_000;

const $ = (id) => document.getElementById(id);
const root = $('replay');
const viewer = $('viewer');
const message = $('message');
const playButton = $('play');
const scrubber = $('scrubber');
const eventList = $('events');

let state = null;
let header = null;
let playing = false;
let speed = parseSpeed(root.dataset.speed);
let lastFrame = null;
let drawn = { index: -1, time: -1 };
let baseRows = [];
let handsetRows = [];
const counterCells = new Map();

function parseSpeed(value) {
  if (value === 'max') return 'max';
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : 600;
}

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function say(kind, title, lines = []) {
  message.replaceChildren();
  if (!kind) return;
  const box = el('div', { className: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, [el('strong', { textContent: title })]);
  if (lines.length > 0) box.append(el('ul', {}, lines.map((l) => el('li', { textContent: l }))));
  message.append(box);
}

// ---- speed buttons ------------------------------------------------------------------------------------------------

function renderSpeeds() {
  const speeds = typeof speed === 'number' && !SPEEDS.includes(speed) ? [...SPEEDS.slice(0, -1), speed, 'max'].sort((a, b) => (a === 'max' ? 1 : b === 'max' ? -1 : a - b)) : SPEEDS;
  $('speeds').replaceChildren(
    ...speeds.map((s) => {
      const button = el('button', { textContent: s === 'max' ? 'max' : `×${s}`, title: s === 'max' ? 'as fast as possible: from event to event' : `${s} lab ms per real ms` });
      button.dataset.speed = String(s);
      button.setAttribute('aria-pressed', String(s === speed));
      if (s === speed) button.classList.add('active');
      button.addEventListener('click', () => {
        speed = s;
        renderSpeeds();
      });
      return button;
    }),
  );
}

// ---- loading a log ------------------------------------------------------------------------------------------------

function load(payload) {
  header = payload.header;
  state = new ReplayState(payload.events, { handsetBases: header.handsetBases ?? {} });
  playing = false;
  $('title').textContent = header.scenario;
  document.title = `Replay: ${header.scenario} — Rove Simulator`;
  $('log-name').textContent = `${payload.name}: ${payload.events.length.toLocaleString('en')} events over ${formatLabTime(state.end).slice(1)} of lab time.`;
  $('run-id').replaceChildren(
    ...[
      ['Seed', String(header.seed)],
      ['Profile', header.variant ?? header.profile],
      ['Lab start', header.start.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')],
    ].map(([dt, dd]) => el('div', {}, [el('dt', { textContent: dt }), el('dd', { textContent: dd })])),
  );
  scrubber.max = String(state.end);
  $('duration').textContent = formatLabTime(state.end);
  buildTables();
  buildCounters();
  viewer.hidden = false;
  state.seek(0);
  drawn = { index: -1, time: -1 };
  draw();
}

async function loadFromServer(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(body.message ?? `${res.status} ${res.statusText}`);
  load(body);
}

$('log-file').addEventListener('change', async (ev) => {
  const file = ev.target.files?.[0];
  if (!file) return;
  say('info', `Opening ${file.name}…`);
  try {
    const res = await fetch(`${root.dataset.open}?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: await file.text(),
    });
    const body = await res.json();
    if (!res.ok) {
      say('error', `${file.name} cannot be replayed:`, String(body.message ?? res.statusText).split('\n'));
      return;
    }
    say(null);
    load(body);
  } catch (err) {
    say('error', `${file.name} could not be opened: ${err.message}`);
  } finally {
    ev.target.value = '';
  }
});

// ---- tables -------------------------------------------------------------------------------------------------------

function pill(cell, value, cls) {
  const span = cell.firstChild ?? cell.appendChild(el('span'));
  span.className = value ? `state ${cls}` : '';
  span.textContent = value ?? '—';
}

/** Text of a cell, in full as its tooltip (cells are one line, cut with an ellipsis). */
function text(cell, value) {
  cell.textContent = value;
  cell.title = value.length > 12 ? value : '';
}

// Rows are fixed-height grid rows, each contained, so a frame that changes a few states lays out only those rows
// (a <table> of 1,254 rows is laid out whole on every change), and rows out of view are not rendered at all.
function buildRows(table, names, columns, empty) {
  const body = $(table).querySelector('[role=rowgroup]');
  const rows = names.map((name) => {
    const cells = Array.from({ length: columns }, () => el('span', { role: 'cell' }));
    cells[0].append(el('code', { textContent: name }));
    const row = el('div', { className: 'device-row', role: 'row' }, cells);
    row.dataset.device = name;
    return { row, cells };
  });
  body.replaceChildren(...(rows.length ? rows.map((r) => r.row) : [el('p', { className: 'empty', textContent: empty })]));
  return rows;
}

function buildTables() {
  baseRows = buildRows('bases', state.baseNames, 8, 'No base stations in this log.');
  handsetRows = buildRows('handsets', state.handsetNames, 5, 'No handsets in this log.');
}

const since = (t) => (t === null ? '—' : formatLabTime(t));

function drawBase(i) {
  const b = state.bases[i];
  const { cells } = baseRows[i];
  pill(cells[1], b.state, `state-${b.state}`);
  cells[2].textContent = since(b.since);
  text(cells[3], b.reason ?? '');
  cells[4].textContent = String(b.reboots);
  text(cells[5], b.lastReboot ?? '');
  cells[6].textContent = b.handsets > 0 ? `${b.inService} of ${b.handsets}` : '—';
  text(cells[7], b.error ?? '');
  cells[7].className = b.error ? 'error-code' : '';
}

function drawHandset(i) {
  const h = state.handsets[i];
  const { cells } = handsetRows[i];
  cells[1].textContent = h.base ?? '—';
  pill(cells[2], h.state, `state-${h.state}`);
  cells[3].textContent = since(h.since);
  const teams = teamsStatus(h);
  pill(cells[4], teams.tone === 'none' ? null : teams.text, `teams-${teams.tone}`);
  cells[4].title = teams.tone === 'none' ? '' : teams.text;
}

// ---- counters -----------------------------------------------------------------------------------------------------

const COUNTERS = [
  ['bases', 'Bases running'],
  ['reboots', 'Reboots so far'],
  ['power-cuts', 'Power cuts'],
  ['in-service', 'Handsets in service'],
  ['without-service', 'Handsets without service now'],
  ['sign-ins', 'Sign-ins'],
  ['enrollments', 'Enrollments'],
  ['faults', 'Active faults'],
  ['failures', 'Failed expectations'],
];

function buildCounters() {
  counterCells.clear();
  $('counters').replaceChildren(
    ...COUNTERS.map(([key, label]) => {
      const td = el('td');
      td.dataset.counter = key;
      counterCells.set(key, td);
      return el('tr', {}, [el('th', { textContent: label }), td]);
    }),
  );
}

function byState(counts, skip) {
  return Object.entries(counts)
    .filter(([s, n]) => n > 0 && s !== skip)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

function setCounter(key, main, details = []) {
  const td = counterCells.get(key);
  td.replaceChildren(el('strong', { textContent: main }));
  if (details.length === 1) td.append(el('span', { className: 'muted', textContent: ` (${details[0]})` }));
  else if (details.length > 1) td.append(el('ul', { className: 'causes' }, details.map((d) => el('li', { textContent: d }))));
}

function drawCounters() {
  const c = state.counters;
  const bases = state.baseNames.length;
  const handsets = state.handsetNames.length;
  const others = byState(c.basesByState, 'running');
  const n = (x) => x.toLocaleString('en');
  setCounter('bases', `${n(c.basesByState.running ?? 0)} of ${n(bases)}`, others ? [others] : []);
  const causes = Object.entries(c.rebootsByCause)
    .sort((a, b) => b[1] - a[1])
    .map(([cause, n]) => `${cause}: ${n}`);
  setCounter('reboots', n(c.reboots), causes);
  setCounter('power-cuts', n(c.powerCuts));
  setCounter('in-service', `${n(c.handsetsInService)} of ${n(handsets)}`);
  const without = byState(c.handsetsByState, 'in-service');
  setCounter('without-service', n(c.handsetsWithoutService), without ? [without] : []);
  setCounter('sign-ins', `${n(c.signIns.ok)} ok, ${n(c.signIns.failed)} failed`);
  setCounter('enrollments', `${n(c.enrollments.ok)} ok, ${n(c.enrollments.failed)} refused`);
  const faults = Object.values(c.faults);
  setCounter('faults', String(faults.length), faults);
  setCounter('failures', String(c.failures), c.lastFailure ? [`last: ${c.lastFailure}`] : []);
  counterCells.get('failures').classList.toggle('error-code', c.failures > 0);
}

// ---- drawing ------------------------------------------------------------------------------------------------------

function draw() {
  // Read before writing, so the check does not force a layout of this frame's changes.
  const atBottom = eventList.scrollHeight - eventList.scrollTop - eventList.clientHeight < 24;
  if (state.time !== drawn.time) {
    $('lab-time').textContent = formatLabTime(state.time);
    $('lab-date').textContent = `${new Date(Date.parse(header.start) + state.time).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
    if (document.activeElement !== scrubber || playing) scrubber.value = String(state.time);
  }
  if (state.index !== drawn.index) {
    const changes = state.takeChanges();
    if (changes.all) {
      state.bases.forEach((_, i) => drawBase(i));
      state.handsets.forEach((_, i) => drawHandset(i));
    } else {
      changes.bases.forEach(drawBase);
      changes.handsets.forEach(drawHandset);
    }
    drawCounters();
    $('position').textContent = `event ${state.index.toLocaleString('en')} of ${state.events.length.toLocaleString('en')}`;
    $('step').textContent = state.counters.step ?? '—';
    eventList.textContent = state.latest(LATEST).map(formatEvent).join('\n');
    if (atBottom) eventList.scrollTop = 1e9;
  }
  drawn = { index: state.index, time: state.time };
  playButton.textContent = playing ? 'Pause' : 'Play';
  playButton.setAttribute('aria-pressed', String(playing));
}

function frame(now) {
  if (state && playing) {
    const dt = lastFrame === null ? 0 : Math.min(now - lastFrame, MAX_FRAME_MS);
    let t;
    if (speed === 'max') {
      const step = Math.max(1, Math.round((dt * state.events.length) / MAX_SWEEP_MS));
      const i = Math.min(state.events.length, state.index + step);
      t = i > 0 ? state.events[i - 1].t : state.end;
    } else t = state.time + dt * speed;
    if (t >= state.end) {
      t = state.end;
      playing = false;
    }
    state.seek(t);
  }
  lastFrame = now;
  if (state) draw();
  requestAnimationFrame(frame);
}

function seek(t) {
  if (!state) return;
  state.seek(t);
  draw();
}

function togglePlay() {
  if (!state) return;
  if (!playing && state.time >= state.end) state.seek(0);
  playing = !playing;
  draw();
}

playButton.addEventListener('click', togglePlay);
$('to-start').addEventListener('click', () => seek(0));
$('to-end').addEventListener('click', () => {
  playing = false;
  seek(state?.end ?? 0);
});
scrubber.addEventListener('input', () => seek(Number(scrubber.value)));
document.addEventListener('keydown', (ev) => {
  if (!state || ev.target instanceof HTMLInputElement || ev.target instanceof HTMLButtonElement) return;
  if (ev.key === ' ') {
    ev.preventDefault();
    togglePlay();
  } else if (ev.key === 'Home') seek(0);
  else if (ev.key === 'End') seek(state.end);
});

renderSpeeds();
requestAnimationFrame(frame);
if (root.dataset.events) {
  loadFromServer(root.dataset.events).catch((err) => {
    $('log-name').textContent = 'No log open.';
    say('error', `The log could not be loaded: ${err.message}`);
  });
}
