/**
 * The trainee view's page: the task panel on the left (time and score, Check, the briefing, the tasks with their
 * status, texts and hints) and the trainee's device pages on the right, in a frame (their bases' web admins, the
 * handsets, the Teams admin center, the device login page), each also openable in a tab of its own.
 *
 * Rendered whole on the server from the {@link ViewStatus}, so it works without JavaScript (Check, the hint forms and
 * a question's answer form post and come back); `/static/training/trainee-view.js` then applies `status.json` every second and posts Check and
 * hints in the background, so the device page in the frame stays where the trainee is. Briefing and task texts are
 * Markdown (kernel/markdown.ts: escaped, a small subset); titles, results and hints are plain text.
 */
import { html, type SafeHtml } from '../kernel/html.ts';
import { markdown } from '../kernel/markdown.ts';
import type { Exercise, Question } from '../training/exercise-types.ts';
import type { TraineeUrls } from './trainee-session.ts';
import type { ViewStatus, ViewTask } from './trainee-view-status.ts';

export const STATUS_MARK = { pending: '·', passed: '✓', failed: '✗' } as const;
export const STATUS_WORD = { pending: 'Pending', passed: 'Passed', failed: 'Failed' } as const;

export function formatClock(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${sign}${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** The words of the timer: `12:30 left`, `Time is up (2:10 over)`, or no limit. */
export function timerText(remainingMs: number | null): string {
  if (remainingMs === null) return 'No time limit';
  return remainingMs > 0 ? `${formatClock(remainingMs)} left` : `Time is up (${formatClock(-remainingMs)} over)`;
}

export function checkedText(s: ViewStatus): string {
  if (s.checkedAt === null) return 'Not checked yet. Tasks turn green as you complete them; Check shows what is still wrong.';
  return `Checked at ${s.checkedAt.slice(11, 19)} (lab time, UTC): ${s.passed} of ${s.tasks.length} tasks passed.`;
}

function hintBlock(task: ViewTask): SafeHtml | null {
  const hint = task.hint;
  if (!hint) return null;
  if (hint.used) return html`<p class="hint" data-hint-text><strong>Hint:</strong> <span>${hint.text}</span></p>`;
  // A task done needs no hint: offering one would only cost points.
  if (task.status === 'passed') return null;
  return html`<details class="hint-offer"><summary>Hint (costs ${hint.cost} points)</summary>
<form method="post" action="hints/${task.id}" class="hint-form" data-task="${task.id}"><p>The hint costs ${hint.cost} of this task's ${task.points} points, even if you pass the task later. Show it?</p>
<input type="hidden" name="confirm" value="yes"><button type="submit" class="show-hint">Show the hint (−${hint.cost} points)</button></form></details>`;
}

/** A question's form: its text, the choices (or a number field) with the kept answer, and Answer. */
function questionBlock(task: ViewTask, question: Question | undefined): SafeHtml | null {
  if (!question) return null;
  const field =
    'choices' in question
      ? html`<ul class="choices">${question.choices.map(
          (c, i) => html`<li><label><input type="radio" name="answer" value="${String(i + 1)}"${task.answer === c ? html` checked` : null} required> ${c}</label></li>`,
        )}</ul>`
      : html`<p><input type="text" name="answer" inputmode="decimal" size="8" value="${task.answer ?? ''}" aria-label="Your answer" required>${question.unit ? html` ${question.unit}` : null}</p>`;
  // One answer, final: the fieldset is disabled once answered (the server refuses another anyway).
  return html`<form method="post" action="answers/${task.id}" class="answer-form" data-task="${task.id}"><div class="question">${markdown(question.text)}</div><fieldset${task.answer !== null ? html` disabled` : null}>${field}
<button type="submit">Answer</button> <span class="note">One answer: it is final.</span></fieldset> <span class="answer-kept" data-answer>${task.answer === null ? '' : `Your answer: ${task.answer}`}</span></form>`;
}

function taskItem(task: ViewTask, i: number, text: string | undefined, question?: Question): SafeHtml {
  return html`<li id="task-${task.id}" class="task ${task.status}" data-task="${task.id}"><h3><span class="mark" aria-hidden="true">${STATUS_MARK[task.status]}</span> ${i + 1}. ${task.title}
<span class="state">${STATUS_WORD[task.status]}</span> <span class="points">${task.earned}/${task.points}</span></h3>
${text ? html`<div class="task-text">${markdown(text)}</div>` : null}<p class="result">${task.text}</p>${questionBlock(task, question)}<ul class="details">${task.details.map((d) => html`<li>${d}</li>`)}</ul>${hintBlock(task)}</li>`;
}

export interface DeviceLink {
  id: string;
  label: string;
  url: string;
}

export function deviceLinks(urls: TraineeUrls): DeviceLink[] {
  return [
    ...urls.bases.map((b) => ({ id: `base-${b.mac}`, label: `Base ${b.mac} web admin`, url: b.url })),
    { id: 'handsets', label: 'Handsets', url: urls.handsets },
    { id: 'teams', label: 'Teams admin center', url: urls.teams },
    { id: 'device-login', label: 'Device login', url: urls.deviceLogin },
  ];
}

export function traineeViewPage(o: { exercise: Exercise; status: ViewStatus; urls: TraineeUrls; notice?: string }): string {
  const { exercise, status: s } = o;
  const links = deviceLinks(o.urls);
  const first = links[0]!;
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${exercise.title} — ${s.trainee}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/admin/admin.css"><link rel="stylesheet" href="/static/training/trainee-view.css"></head>
<body class="device trainee-view"><header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">Training — ${s.trainee}</span></div>
<dl class="device-id"><div><dt>Time</dt><dd class="timer${s.remainingMs !== null && s.remainingMs <= 0 ? ' late' : ''}" id="time-left">${timerText(s.remainingMs)}</dd></div><div><dt>Score</dt><dd id="score">${s.score}/${s.maxScore}</dd></div></dl></header>
<div class="split">
<aside class="task-panel" id="training" aria-label="Task panel">
<h1>${exercise.title}</h1>
${o.notice ? html`<p class="notice" role="status">${o.notice}</p>` : null}
<section class="panel" aria-label="Time and score"><p><span id="progress">${s.passed} of ${s.tasks.length} tasks passed</span>${s.extensionMs ? html` <span class="muted" id="extension">(${Math.round(s.extensionMs / 60_000)} min added by the instructor)</span>` : null}</p>
<form method="post" action="check" id="check-form"><button type="submit" class="primary" id="check">Check</button></form>
<p id="check-result" role="status" aria-live="polite">${checkedText(s)}</p></section>
<section class="panel briefing" aria-label="Briefing"><h2>Briefing</h2>${markdown(exercise.briefing)}</section>
<section class="panel" aria-label="Tasks"><h2>Tasks</h2><ol class="tasks">${s.tasks.map((t, i) => taskItem(t, i, exercise.tasks[i]?.text, exercise.tasks[i]?.question))}</ol></section>
<p id="view-problem" class="notice error" role="alert" hidden></p>
</aside>
<section class="devices" aria-label="Your devices">
<nav class="device-tabs" aria-label="Device pages">${links.map(
    (l) => html`<span class="device-tab"><a href="${l.url}" target="device" id="open-${l.id}" data-device="${l.id}"${l === first ? html` class="current"` : null}>${l.label}</a> <a href="${l.url}" target="_blank" rel="noopener" class="new-tab" title="${l.label} in a new tab" aria-label="${l.label} in a new tab">↗</a></span>`,
  )}</nav>
<iframe name="device" id="device" src="${first.url}" title="Device page"></iframe>
</section>
</div>
<script src="/static/training/trainee-view.js" defer></script>
</body></html>`.value;
}
