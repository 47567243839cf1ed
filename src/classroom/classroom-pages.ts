/**
 * The classroom's own pages: the login page (trainees and the instructor) and the instructor page, which fills its
 * table from `classroom.json` every two seconds (DOM text only, never HTML from the data).
 */
import { html } from '../kernel/html.ts';
import { INSTRUCTOR_LOGIN } from './roster.ts';

const HEAD = (title: string) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/admin/admin.css">
<style>.classroom{max-width:72rem;margin:1rem auto;padding:0 1rem}table.trainees{width:100%;border-collapse:collapse}table.trainees td,table.trainees th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}.marks{font-family:monospace;letter-spacing:.15rem}.passed{color:#2e7d32}.failed{color:#c62828}.late{color:#c62828;font-weight:bold}.login-form label{display:block;margin:.4rem 0}.actions button,.actions select{margin:.1rem}</style></head>`;

export function loginPage(o: { title: string; trainee?: string; error?: string; loggedOut?: boolean }): string {
  return html`${HEAD(`Log in — ${o.title}`)}
<body class="device"><header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">Classroom</span></div></header>
<main class="classroom"><h1>${o.title}</h1>
<section class="panel"><h2>Log in</h2>
${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : null}${o.loggedOut ? html`<p class="notice">You are logged out.</p>` : null}
<form method="post" action="/login" class="login-form">
<label>Login <input name="login" autocomplete="username" required maxlength="32" value="${o.trainee ?? ''}"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
<p><button type="submit" class="primary">Log in</button></p></form>
<p class="muted">Trainees: the login and password your instructor gave you. Instructor: login <code>${INSTRUCTOR_LOGIN}</code>.</p>
</section></main></body></html>`.value;
}

export function instructorPage(o: { title: string; trainees: number }): string {
  return html`${HEAD(`Instructor — ${o.title}`)}
<body class="device"><header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">Classroom — instructor</span></div></header>
<main class="classroom" id="instructor"><h1>${o.title}</h1>
<section class="panel"><h2>Trainees (${o.trainees})</h2>
<p><a href="results.csv" download>Results as CSV</a> · <a href="results.json" download>Results as JSON</a> · <span class="muted" id="updated">loading…</span></p>
<div id="message" role="status"></div>
<table class="trainees" aria-label="Trainees"><thead><tr><th>Trainee</th><th>Tasks</th><th>Score</th><th>Hints</th><th>Time</th><th>Devices</th><th>Actions</th></tr></thead><tbody id="rows"></tbody></table>
</section>
<form method="post" action="/logout"><button type="submit">Log out</button></form>
</main>
<script>
(() => {
  const rows = document.getElementById('rows');
  const message = document.getElementById('message');
  const marks = { passed: '✓', failed: '✗', 'not-checked': '·' };
  const fmt = (ms) => { if (ms === null) return '—'; const neg = ms < 0; let s = Math.floor(Math.abs(ms) / 1000); const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60); s %= 60;
    return (neg ? '−' : '') + (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(s).padStart(2, '0'); };
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const post = async (url, body) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await r.json().catch(() => ({}));
    message.textContent = r.ok ? answer.message : (answer.message || 'Refused (' + r.status + ')');
    message.className = r.ok ? 'notice' : 'notice error';
    await refresh();
  };
  const row = (t) => {
    const tr = el('tr'); tr.dataset.login = t.login;
    const who = el('td'); who.append(el('strong', t.name), el('br'), el('span', t.login + ' · seed ' + t.seed, 'muted'));
    const tasks = el('td');
    for (const task of t.tasks) { const s = el('span', marks[task.status] + ' ' + task.title, task.status); s.title = task.text; tasks.append(s, el('br')); }
    const score = el('td', t.score + '/' + t.maxScore); score.className = 'score';
    const hints = el('td', String(t.hintsUsed)); hints.className = 'hints';
    const time = el('td'); time.append(el('span', 'elapsed ' + fmt(t.elapsedMs)), el('br'), el('span', t.remainingMs === null ? 'no limit' : 'left ' + fmt(t.remainingMs), t.remainingMs !== null && t.remainingMs < 0 ? 'late' : ''));
    const dev = el('td'); dev.className = 'devices';
    for (const b of t.devices.bases) dev.append(el('span', 'Rove ' + b.model + ' ' + b.mac + ': ' + b.state + ' (' + b.firmware + ')'), el('br'));
    dev.append(el('span', 'handsets registered ' + t.devices.handsetsRegistered + '/' + t.devices.handsets.length), el('br'), el('span', 'signed in ' + t.devices.signedIn + '/' + t.devices.teamsDevices));
    const actions = el('td'); actions.className = 'actions';
    const select = el('select'); select.setAttribute('aria-label', 'Checkpoint of ' + t.login);
    for (const c of t.checkpoints) { const o = el('option', c); o.value = c; select.append(o); }
    const reset = el('button', 'Reset'); reset.onclick = () => { if (confirm('Put ' + t.name + "'s lab back to " + select.value + '?')) post('trainees/' + t.login + '/reset', { checkpoint: select.value }); };
    const extend = el('button', '+10 min'); extend.onclick = () => post('trainees/' + t.login + '/extend', { minutes: 10 });
    const replay = el('a', 'Event log'); replay.href = 'trainees/' + t.login + '/replay/'; replay.target = '_blank';
    const lab = el('a', 'Task panel'); lab.href = t.urls.taskPanel; lab.target = '_blank';
    actions.append(select, reset, extend, el('br'), replay, document.createTextNode(' · '), lab);
    tr.append(who, tasks, score, hints, time, dev, actions);
    return tr;
  };
  let focused = false;
  rows.addEventListener('focusin', () => { focused = true; }); rows.addEventListener('focusout', () => { focused = false; });
  async function refresh() {
    try {
      const r = await fetch('classroom.json', { headers: { accept: 'application/json' } });
      if (r.status === 401) { location.href = '/'; return; }
      const c = await r.json();
      if (!focused) rows.replaceChildren(...c.trainees.map(row));
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch { document.getElementById('updated').textContent = 'the classroom does not answer'; }
  }
  refresh();
  setInterval(refresh, 2000);
})();
</script>
</body></html>`.value;
}
