// The trainee view's live part: applies status.json every second (DOM text only, never HTML from the data), posts
// Check, hints and answers in the background so the device page in the frame stays where it is, and marks the device
// tab shown.
(() => {
  const POLL_MS = 1000;
  const marks = { pending: '·', passed: '✓', failed: '✗' };
  const words = { pending: 'Pending', passed: 'Passed', failed: 'Failed' };
  const $ = (id) => document.getElementById(id);
  const problem = $('view-problem');

  const clock = (ms) => {
    const neg = ms < 0;
    let s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    s %= 60;
    return (neg ? '−' : '') + (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(s).padStart(2, '0');
  };
  const timer = (ms) => (ms === null ? 'No time limit' : ms > 0 ? clock(ms) + ' left' : 'Time is up (' + clock(-ms) + ' over)');
  const checked = (s) =>
    s.checkedAt === null
      ? 'Not checked yet. Tasks turn green as you complete them; Check shows what is still wrong.'
      : 'Checked at ' + s.checkedAt.slice(11, 19) + ' (lab time, UTC): ' + s.passed + ' of ' + s.tasks.length + ' tasks passed.';

  function hintOffer(li, t) {
    const details = document.createElement('details');
    details.className = 'hint-offer';
    const summary = document.createElement('summary');
    summary.textContent = 'Hint (costs ' + t.hint.cost + ' points)';
    const form = document.createElement('form');
    form.method = 'post';
    form.action = 'hints/' + encodeURIComponent(t.id);
    form.className = 'hint-form';
    form.dataset.task = t.id;
    const p = document.createElement('p');
    p.textContent = 'The hint costs ' + t.hint.cost + " of this task's " + t.points + ' points, even if you pass the task later. Show it?';
    const confirm = document.createElement('input');
    confirm.type = 'hidden';
    confirm.name = 'confirm';
    confirm.value = 'yes';
    const button = document.createElement('button');
    button.type = 'submit';
    button.className = 'show-hint';
    button.textContent = 'Show the hint (−' + t.hint.cost + ' points)';
    form.append(p, confirm, button);
    details.append(summary, form);
    li.append(details);
  }

  function apply(s) {
    const time = $('time-left');
    time.textContent = timer(s.remainingMs);
    time.classList.toggle('late', s.remainingMs !== null && s.remainingMs <= 0);
    $('score').textContent = s.score + '/' + s.maxScore;
    $('progress').textContent = s.passed + ' of ' + s.tasks.length + ' tasks passed';
    $('check-result').textContent = checked(s);
    for (const t of s.tasks) {
      const li = document.querySelector('li.task[data-task="' + CSS.escape(t.id) + '"]');
      if (!li) continue;
      li.className = 'task ' + t.status;
      li.querySelector('.mark').textContent = marks[t.status];
      li.querySelector('.state').textContent = words[t.status];
      li.querySelector('.points').textContent = t.earned + '/' + t.points;
      li.querySelector('.result').textContent = t.text;
      const kept = li.querySelector('[data-answer]');
      if (kept) kept.textContent = t.answer === null ? '' : 'Your answer: ' + t.answer;
      const fields = li.querySelector('form.answer-form fieldset');
      if (fields) fields.disabled = t.answer !== null;
      const list = li.querySelector('.details');
      list.replaceChildren(...t.details.map((d) => Object.assign(document.createElement('li'), { textContent: d })));
      if (t.hint && t.hint.used && !li.querySelector('[data-hint-text]')) {
        li.querySelector('.hint-offer')?.remove();
        const p = document.createElement('p');
        p.className = 'hint';
        p.dataset.hintText = '';
        const strong = document.createElement('strong');
        strong.textContent = 'Hint:';
        const span = document.createElement('span');
        span.textContent = t.hint.text;
        p.append(strong, ' ', span);
        li.append(p);
      } else if (t.hint && !t.hint.used && t.status === 'passed') {
        // A task done needs no hint: offering one would only cost points.
        li.querySelector('.hint-offer')?.remove();
      } else if (t.hint && !t.hint.used && !li.querySelector('.hint-offer')) {
        hintOffer(li, t);
      }
    }
  }

  const say = (text) => {
    problem.textContent = text || '';
    problem.hidden = !text;
  };

  async function send(url, body) {
    const r = await fetch(url, {
      method: url.endsWith('status.json') ? 'GET' : 'POST',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(answer.message || 'The simulator answered ' + r.status + '.');
    return answer;
  }

  let polling = false;
  async function poll() {
    // A view nobody looks at (another tab in front) costs the classroom a grading a second for nothing.
    if (polling || document.hidden) return;
    polling = true;
    try {
      apply(await send('status.json'));
      say('');
    } catch (err) {
      say('The task panel cannot reach the simulator (' + err.message + '); it tries again every second.');
    } finally {
      polling = false;
    }
  }

  $('check-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('check');
    button.disabled = true;
    try {
      apply(await send('check', {}));
      say('');
    } catch (err) {
      say(err.message);
    } finally {
      button.disabled = false;
    }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target.closest('form.answer-form');
    if (!form) return;
    e.preventDefault();
    const answer = new FormData(form).get('answer');
    if (!confirm('Your answer is final: send it?')) return;
    try {
      apply(await send('answers/' + encodeURIComponent(form.dataset.task), { answer: String(answer ?? '') }));
      const fields = form.querySelector('fieldset');
      if (fields) fields.disabled = true;
      say('');
    } catch (err) {
      say(err.message);
    }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target.closest('form.hint-form');
    if (!form) return;
    e.preventDefault();
    try {
      apply(await send('hints/' + encodeURIComponent(form.dataset.task), { confirm: 'yes' }));
      say('');
    } catch (err) {
      say(err.message);
    }
  });

  for (const a of document.querySelectorAll('.device-tabs a[target=device]')) {
    a.addEventListener('click', () => {
      for (const other of document.querySelectorAll('.device-tabs a.current')) other.classList.remove('current');
      a.classList.add('current');
    });
  }

  document.addEventListener('visibilitychange', () => void poll());
  setInterval(poll, POLL_MS);
})();
