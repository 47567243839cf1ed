// The handset page: draws a Rove 30/40 with its screen and keypad, talks to /consoles/<IPEI> (docs/console-protocol.md).
// Keys pressed here go through the same path as the control API; every console on a handset sees the same screen.

const app = document.getElementById('app');
const ipei = app.dataset.ipei;
const model = app.dataset.model;

/** Keyboard shortcuts: the same as `rove-sim console`. */
const SHORTCUTS = {
  Enter: 'ok', ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right',
  F1: 'soft1', F2: 'soft2', '[': 'soft1', ']': 'soft2', g: 'green', r: 'red', p: 'red-long', m: 'menu', Escape: 'red',
};

const TONE_LABELS = {
  'key-click': 'click', confirmation: 'confirmation tone', error: 'error tone', busy: 'busy tone',
  'three-busy': 'three busy tones', 'out-of-range': 'out-of-range tone',
};

app.innerHTML = `
  <header class="page-head"><a href="../">← Handsets</a> <span id="conn" class="conn">connecting…</span></header>
  <div class="layout">
    <div class="handset ${model === 'Rove 40' ? 'rove40' : 'rove30'}" aria-label="${model} handset">
      <div class="earpiece"></div>
      <div class="brand">poly <span>${model}</span></div>
      <div class="led" id="led" title="status LED"></div>
      <div class="screen" id="screen" role="img" aria-label="handset screen"><pre id="lines"></pre></div>
      <div class="row softkeys">
        <button data-key="soft1" class="soft" title="left soft key (F1 or [)">—</button>
        <div class="nav">
          <button data-key="up" class="up" title="up (↑)">▲</button>
          <button data-key="left" class="left" title="left (←)">◀</button>
          <button data-key="ok" class="ok" title="OK (Enter)">OK</button>
          <button data-key="right" class="right" title="right (→)">▶</button>
          <button data-key="down" class="down" title="down (↓)">▼</button>
        </div>
        <button data-key="soft2" class="soft" title="right soft key (F2 or ])">—</button>
      </div>
      <div class="row callkeys">
        <button data-key="green" class="green" title="green key (g)">✆</button>
        <button data-key="menu" class="menu" title="menu (m)">☰</button>
        <button data-key="red" class="red" title="red key (r / Esc); hold or p = power"><span class="hangup">✆</span></button>
      </div>
      <div class="keypad">
        ${['1','2','3','4','5','6','7','8','9','*','0','#'].map((k) => `<button data-key="${k}" class="digit">${k}</button>`).join('')}
      </div>
    </div>
    <aside class="side">
      <h1>${model}</h1>
      <dl id="facts"></dl>
      <div id="tone" class="tone" aria-live="polite"></div>
      <label class="audible"><input type="checkbox" id="audible"> Play tones</label>
      <div id="error" class="error" role="alert"></div>
      <h2>Keys</h2>
      <p class="help">Click the keypad or type: digits, <kbd>*</kbd> <kbd>#</kbd>, <kbd>Enter</kbd> OK, arrows, <kbd>F1</kbd>/<kbd>[</kbd> and <kbd>F2</kbd>/<kbd>]</kbd> soft keys,
      <kbd>g</kbd> green, <kbd>r</kbd>/<kbd>Esc</kbd> red, <kbd>p</kbd> or a long press of red = power, <kbd>m</kbd> menu.</p>
    </aside>
  </div>`;

const linesEl = document.getElementById('lines');
const ledEl = document.getElementById('led');
const factsEl = document.getElementById('facts');
const toneEl = document.getElementById('tone');
const errorEl = document.getElementById('error');
const connEl = document.getElementById('conn');
const softButtons = app.querySelectorAll('button.soft');
let socket;
let retry = 0;

function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/consoles/${ipei}`;
  socket = new WebSocket(url);
  socket.onopen = () => { retry = 0; connEl.textContent = 'connected'; connEl.className = 'conn ok'; };
  socket.onclose = (ev) => {
    connEl.textContent = ev.code === 4404 ? 'unknown handset' : 'disconnected — retrying';
    connEl.className = 'conn bad';
    if (ev.code !== 4404) setTimeout(connect, Math.min(5000, 500 * 2 ** retry++));
  };
  socket.onmessage = (ev) => {
    const frame = JSON.parse(ev.data);
    if (frame.type === 'view') render(frame.view);
    else if (frame.type === 'tone') showTone(frame.tone);
    else if (frame.type === 'error') showError(frame.message);
  };
}

function render(view) {
  const lines = view.display.slice();
  linesEl.textContent = lines.join('\n');
  app.querySelector('.screen').classList.toggle('off', view.state === 'off');
  ledEl.className = `led ${view.leds.status}`;
  // The bottom screen line carries the soft key labels: mirror them on the buttons.
  const last = lines[lines.length - 1] ?? '';
  const [left, right] = [last.slice(0, 10).trim(), last.slice(10).trim()];
  softButtons[0].textContent = left || '—';
  softButtons[1].textContent = right || '—';
  const rows = [
    ['State', view.state], ['IPEI', view.ipei], ['IPUI', view.ipeiDecimal],
    ['Firmware', view.firmware + (view.firmwareMeetsTeamsMinimum ? '' : ' (below 8.0.3: not usable with Teams)')],
    ['Base', view.baseMac ? `${view.baseMac} slot ${view.slot}` : '—'], ['Site', view.site + (view.outOfRange ? ' (out of range)' : '')],
    ['Language', view.language],
  ];
  if (view.firmwareUpdate) rows.push(['Firmware update', `${view.firmwareUpdate.target ?? ''} ${view.firmwareUpdate.percent ?? ''}%`]);
  factsEl.innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(String(v))}</dd>`).join('');
}

function showTone(tone) {
  toneEl.textContent = `♪ ${TONE_LABELS[tone] ?? tone}`;
  toneEl.classList.remove('flash');
  void toneEl.offsetWidth;
  toneEl.classList.add('flash');
  if (document.getElementById('audible').checked) play(tone);
}

function showError(message) {
  errorEl.textContent = message;
  setTimeout(() => { if (errorEl.textContent === message) errorEl.textContent = ''; }, 5000);
}

let audio;
function play(tone) {
  audio ??= new AudioContext();
  // European call-progress style: 425 Hz; busy = 3 × (0.5 s on, 0.5 s off) for "three busy tones".
  const bursts = { 'key-click': [[1400, 0.03]], confirmation: [[880, 0.15], [1320, 0.15]], error: [[300, 0.4]],
    busy: [[425, 0.5]], 'three-busy': [[425, 0.5], [0, 0.5], [425, 0.5], [0, 0.5], [425, 0.5]], 'out-of-range': [[600, 0.3], [0, 0.1], [400, 0.3]] }[tone] ?? [[440, 0.2]];
  let t = audio.currentTime;
  for (const [freq, dur] of bursts) {
    if (freq > 0) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.value = 0.08;
      osc.frequency.value = freq;
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + dur);
    }
    t += dur;
  }
}

function press(key) {
  if (socket?.readyState !== WebSocket.OPEN) return showError('Not connected to the simulator.');
  const keys = key.length === 1 ? key : `{${key}}`;
  socket.send(JSON.stringify({ type: 'keys', keys }));
}

// A long press of the red key (≥ 1 s) is {red-long}, as on the handset.
let redDown = 0;
app.addEventListener('pointerdown', (ev) => {
  const button = ev.target.closest('button[data-key]');
  if (button?.dataset.key === 'red') redDown = performance.now();
});
app.addEventListener('click', (ev) => {
  const button = ev.target.closest('button[data-key]');
  if (!button) return;
  if (button.dataset.key === 'red' && redDown && performance.now() - redDown >= 1000) press('red-long');
  else press(button.dataset.key);
  redDown = 0;
});
document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.target.tagName === 'INPUT') return;
  const key = /^[0-9*#]$/.test(ev.key) ? ev.key : SHORTCUTS[ev.key];
  if (!key) return;
  ev.preventDefault();
  press(key);
});

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

connect();
