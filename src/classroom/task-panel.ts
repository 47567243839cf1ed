/**
 * The classroom's task panel on each trainee's main port (`/training/`): the briefing, the tasks with their status
 * now, Check, hints (each costs its points, asked once), the time left and the score, and links to the trainee's own
 * devices. A small stand-in until the trainee view of `rove-sim train` (which takes a lab and an exercise session and
 * registers its routes) can be mounted here instead.
 *
 * - `GET /training/`: the panel;
 * - `GET /training/status.json`: the grade now and the time (the panel polls it);
 * - `POST /training/check`: Check (written in the trainee's event log), back to the panel;
 * - `POST /training/hints/:task`: the task's hint, shown on the panel from then on.
 */
import type { FastifyPluginAsync } from 'fastify';
import { html, type SafeHtml } from '../kernel/html.ts';
import { hintCost } from '../training/check-engine.ts';
import type { TrainingSession } from './trainee-session.ts';

export interface TaskPanelOptions {
  room: () => TrainingSession;
}

const STATUS_MARK = { passed: '✓', failed: '✗', 'not-checked': '·' } as const;

export const taskPanelPlugin: FastifyPluginAsync<TaskPanelOptions> = async (app, { room }) => {
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(await renderPanel(room())));
  app.get('/status.json', { schema: { hide: true } }, async () => {
    const r = room();
    const grade = await r.grade();
    return { ...r.timing(), score: grade.score, maxScore: grade.maxScore, tasks: grade.tasks.map((t) => ({ id: t.id, status: t.status, text: t.text, earned: t.earned })) };
  });
  app.post('/check', { schema: { hide: true } }, async (_req, reply) => {
    await room().check();
    return reply.redirect('./?checked=1', 303);
  });
  app.post<{ Params: { task: string } }>(
    '/hints/:task',
    { schema: { hide: true, params: { type: 'object', properties: { task: { type: 'string', maxLength: 64 } }, required: ['task'] } } },
    async (req, reply) => {
      room().useHint(req.params.task);
      return reply.redirect(`../?hint=${encodeURIComponent(req.params.task)}#task-${encodeURIComponent(req.params.task)}`, 303);
    },
  );
};

function paragraphs(text: string): SafeHtml[] {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => html`<p>${p.replace(/\s*\n\s*/g, ' ')}</p>`);
}

export function formatClock(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${sign}${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

async function renderPanel(room: TrainingSession): Promise<string> {
  const grade = await room.grade();
  const timing = room.timing();
  const used = new Set(room.meta.hintsUsed);
  const { urls, trainee, exercise } = room;
  const tasks = exercise.tasks.map((task, i) => {
    const result = grade.tasks[i]!;
    const hint = task.hint
      ? used.has(task.id)
        ? html`<p class="hint"><strong>Hint:</strong> ${task.hint.text}</p>`
        : html`<form method="post" action="hints/${task.id}" class="inline"><button type="submit">Show hint (−${hintCost(task)} points)</button></form>`
      : null;
    return html`<li id="task-${task.id}" class="task ${result.status}" data-task="${task.id}"><h3><span class="mark">${STATUS_MARK[result.status]}</span> ${i + 1}. ${task.title} <span class="points">${result.earned}/${result.points}</span></h3>
${task.text ? paragraphs(task.text) : null}<p class="result">${result.text}</p>${hint}</li>`;
  });
  const remaining = timing.remainingMs;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${exercise.title} — ${trainee.name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/admin/admin.css">
<style>.training{max-width:60rem;margin:1rem auto;padding:0 1rem}.task{list-style:none;margin:.5rem 0;padding:.5rem .75rem;border-left:4px solid #bbb}.task.passed{border-color:#2e7d32}.task.failed{border-color:#c62828}.task h3{margin:.2rem 0;font-size:1rem}.points{float:right;font-weight:normal}.timer{font-size:1.4rem;font-variant-numeric:tabular-nums}.hint{background:#fff8e1;padding:.4rem}ol.tasks{padding:0}.devices li{margin:.2rem 0}</style></head>
<body class="device"><header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">Training — ${trainee.name}</span></div></header>
<main class="training" id="training">
<h1>${exercise.title}</h1>
<section class="panel" aria-label="Time and score"><h2>Time and score</h2>
<p>Time left: <span class="timer" id="time-left" data-remaining="${remaining ?? ''}">${remaining === null ? 'no time limit' : formatClock(remaining)}</span>${timing.extensionMs ? html` <span class="muted">(${Math.round(timing.extensionMs / 60_000)} min added by the instructor)</span>` : null}</p>
<p>Score: <strong id="score">${grade.score}/${grade.maxScore}</strong></p>
<form method="post" action="check"><button type="submit" class="primary" id="check">Check</button></form></section>
<section class="panel" aria-label="Briefing"><h2>Briefing</h2>${paragraphs(exercise.briefing)}</section>
<section class="panel" aria-label="Tasks"><h2>Tasks</h2><ol class="tasks">${tasks}</ol></section>
<section class="panel" aria-label="Your devices"><h2>Your devices</h2><ul class="devices">
${urls.bases.map((b) => html`<li>Base ${b.mac} web admin: <a href="${b.url}">${b.url}</a></li>`)}
<li>Handsets: <a href="${urls.handsets}">${urls.handsets}</a></li>
<li>Teams admin center: <a href="${urls.teams}">${urls.teams}</a></li>
<li>Device login: <a href="${urls.deviceLogin}">${urls.deviceLogin}</a></li></ul></section>
</main>
<script>
(() => {
  const el = document.getElementById('time-left');
  let remaining = el.dataset.remaining === '' ? null : Number(el.dataset.remaining);
  const fmt = (ms) => { const neg = ms < 0; let s = Math.floor(Math.abs(ms) / 1000); const h = Math.floor(s / 3600); const m = Math.floor((s % 3600) / 60); s %= 60;
    return (neg ? '−' : '') + (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(s).padStart(2, '0'); };
  const marks = { passed: '✓', failed: '✗', 'not-checked': '·' };
  setInterval(() => { if (remaining !== null) { remaining -= 1000; el.textContent = fmt(remaining); } }, 1000);
  setInterval(async () => {
    try {
      const r = await fetch('status.json', { headers: { accept: 'application/json' } });
      if (!r.ok) return;
      const s = await r.json();
      remaining = s.remainingMs;
      document.getElementById('score').textContent = s.score + '/' + s.maxScore;
      for (const t of s.tasks) {
        const li = document.querySelector('[data-task="' + t.id + '"]');
        if (!li) continue;
        li.className = 'task ' + t.status;
        li.querySelector('.mark').textContent = marks[t.status];
        li.querySelector('.result').textContent = t.text;
        const p = li.querySelector('.points'); p.textContent = t.earned + '/' + p.textContent.split('/')[1];
      }
    } catch {}
  }, 3000);
})();
</script>
</body></html>`.value;
}
