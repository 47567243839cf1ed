/**
 * A question in the trainee view (`rove-sim train` on register-handset.yaml, whose last task asks why a handset
 * stayed unregistered): the panel shows the question with its choices, the trainee answers (a choice's number, as
 * the form posts it, or its words), the answer is kept in the lab file — where `rove-sim check` reads it — and an
 * answer that is none of the choices is refused, saying what to answer, keeping nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTraining, startTraining } from '../../src/classroom/start-training.ts';
import type { ViewStatus } from '../../src/classroom/trainee-view-status.ts';
import { readTrainingMeta } from '../../src/training/training-meta.ts';
import { visibleText } from '../devices/base-station/web-admin/web-admin-client.ts';
import { WebAdmin } from '../training/technician.ts';

const EXERCISE = path.resolve('fixtures/exercises/register-handset.yaml');
const RIGHT = 'The base\'s registration window had closed (it is open for 5 minutes)';

describe('the trainee view: questions', () => {
  let dir: string;
  let training: RunningTraining;
  let app: FastifyInstance;

  const json = (url: string, body: unknown) => app.inject({ method: 'POST', url, payload: body as Record<string, unknown>, headers: { accept: 'application/json' } });
  const task = (s: ViewStatus, id: string) => s.tasks.find((t) => t.id === id)!;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rove-train-q-'));
    training = await startTraining({ exercise: EXERCISE, dir, port: 0, paused: true, log: () => {} });
    ({ app } = await training.room.build());
  });

  afterAll(async () => {
    await training?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the question with its choices and an Answer button, nothing answered yet', async () => {
    const page = (await app.inject('/training/')).body;
    expect(page).toContain('<form method="post" action="answers/closed-window" class="answer-form" data-task="closed-window">');
    expect(page.match(/<input type="radio" name="answer" value="\d"/g)).toHaveLength(4);
    const text = visibleText(page);
    expect(text).toContain('The handset stays unregistered. Why?');
    expect(text).toContain(RIGHT);
    // A task without a question has no answer form.
    expect(page).not.toContain('action="answers/first-handset"');
  });

  it('refuses an answer that is none of the choices, saying what to answer, and keeps nothing', async () => {
    const res = await json('/training/answers/closed-window', { answer: '9' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'ANSWER_INVALID' });
    expect(res.json().message).toContain('there is no choice 9: answer 1 to 4');
    expect(readTrainingMeta(training.room.lab.store)?.answers ?? {}).toEqual({});
    const none = await json('/training/answers/first-handset', { answer: '1' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'ANSWER_NO_QUESTION' });
  });

  it('an answer given by its words or its number is kept as the choice, and is final; graded once the task before it, a barrier, passes', async () => {
    let s: ViewStatus = (await json('/training/answers/closed-window', { answer: "the base's registration window had closed (it is open for 5 minutes)" })).json();
    expect(task(s, 'closed-window')).toMatchObject({ status: 'pending', answer: RIGHT, earned: 0 });
    // The same answer again (by its number) is fine; another is refused: no passing a question by trying each choice.
    s = (await json('/training/answers/closed-window', { answer: '2' })).json();
    const other = await json('/training/answers/closed-window', { answer: '1' });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'TRAINING_ANSWER_FINAL' });
    expect(other.json().message).toContain('an answer is final');
    expect((await app.inject('/training/')).body).toMatch(/data-task="closed-window"><div class="question">[\s\S]*?<fieldset disabled>/);
    // No handset registered yet: the first task's barrier holds the question back, answered or not.
    expect(task(s, 'closed-window')).toMatchObject({ status: 'pending', answer: RIGHT, earned: 0, text: 'Not checked: "Register a handset" must pass first.' });
    expect(readTrainingMeta(training.room.lab.store)?.answers).toEqual({ 'closed-window': RIGHT });
    // A handset registered: the barrier passes, and the kept answer is graded.
    const admin = await WebAdmin.open(training.room.lab);
    await admin.changeFactoryPassword();
    await admin.registerHandset(training.room.lab, [...training.room.lab.handsets.values()][0]!, 1);
    await admin.close();
    s = (await app.inject('/training/status.json')).json();
    expect(task(s, 'first-handset').status).toBe('passed');
    expect(task(s, 'closed-window')).toMatchObject({ status: 'passed', answer: RIGHT, earned: 10 });
  });

  it('without JavaScript the form posts and comes back, the kept answer ticked; a reset clears the answers', async () => {
    await training.room.reset('exercise-start');
    expect(readTrainingMeta(training.room.lab.store)?.answers).toBeUndefined();
    const res = await app.inject({ method: 'POST', url: '/training/answers/closed-window', payload: 'answer=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('../?answered=closed-window#task-closed-window');
    const page = (await app.inject('/training/?answered=closed-window')).body;
    expect(visibleText(page)).toContain('Your answer is kept.');
    expect(page).toContain('<input type="radio" name="answer" value="1" checked required>');
    expect(visibleText(page)).toContain('Your answer: The access code was wrong');
  });
});
