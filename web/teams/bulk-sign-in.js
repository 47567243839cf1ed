// The bulk sign-in tool (src/teams-gateway/admin-center/bulk-sign-in-page.ts): check a CSV, run the request, poll its
// status until Completed, colour the rows, export the results. Plain browser JavaScript, no dependencies.
(() => {
  const $ = (id) => document.getElementById(id);
  const fileInput = $('csv-file');
  const runButton = $('bulk-sign-in');
  const exportButton = $('export');
  const message = $('message');
  const bar = $('progress-bar');
  const tbody = $('rows');
  const POLL_MS = 1000;
  let csvText = null;
  let rows = [];
  let fileName = 'bulk-sign-in';

  const say = (text, kind) => {
    message.className = kind ? `banner ${kind}` : '';
    message.textContent = text;
  };

  const cell = (text, cls) => {
    const td = document.createElement('td');
    td.textContent = text ?? '';
    if (cls) td.className = cls;
    return td;
  };

  function render(items) {
    tbody.replaceChildren(
      ...rows.map((r, i) => {
        const item = items?.[i];
        const tr = document.createElement('tr');
        const status = item ? item.Status : r.problem ? 'invalid' : 'ready';
        tr.className = `bulk-row ${status}`;
        tr.dataset.status = status;
        tr.append(cell(String(r.row)), cell(r.userName), cell(r.hardwareId, 'mono'), cell(status === 'success' ? 'Signed in' : status), cell(item?.Error ?? r.problem ?? ''));
        return tr;
      }),
    );
  }

  async function post(url, body) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { ok: res.ok, body: await res.json() };
  }

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    runButton.disabled = true;
    exportButton.disabled = true;
    bar.style.width = '0';
    if (!file) return;
    fileName = file.name.replace(/\.csv$/i, '');
    $('file-name').textContent = file.name;
    csvText = await file.text();
    const { body } = await post('/devices/bulk-sign-in/check', { csv: csvText });
    if (body.ok) {
      rows = body.rows;
      render();
      runButton.disabled = false;
      say(`${rows.length} device${rows.length === 1 ? '' : 's'} read from ${file.name}. The file format is correct.`, 'ok');
      return;
    }
    const problems = body.problems ?? [{ row: 0, message: body.message }];
    const byLine = new Map(problems.map((p) => [p.row, p.message]));
    // List the lines we can, each with its problem, so the file can be fixed.
    const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
    rows = lines
      .map((text, i) => ({ row: i + 1, text }))
      .filter((l) => l.row > 1 && (l.text.trim() !== '' || byLine.has(l.row)))
      .map((l) => {
        const [userName = '', hardwareId = ''] = l.text.split(',');
        return { row: l.row, userName: userName.trim(), hardwareId: hardwareId.trim(), problem: byLine.get(l.row) };
      });
    render();
    say(`The file cannot be used: ${problems.map((p) => (p.row ? `line ${p.row}: ${p.message}` : p.message)).join('; ')}`, 'error');
  });

  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    fileInput.disabled = true;
    const { ok, body } = await post('/devices/bulk-sign-in/requests', { csv: csvText, region: $('region').value });
    if (!ok) {
      say(body.message, 'error');
      runButton.disabled = false;
      fileInput.disabled = false;
      return;
    }
    const batchId = body.BatchId;
    document.body.dataset.batchId = batchId;
    for (;;) {
      const res = await fetch(`/devices/bulk-sign-in/requests/${encodeURIComponent(batchId)}`);
      const batch = await res.json();
      if (!res.ok) {
        say(batch.message, 'error');
        break;
      }
      const done = batch.BatchItem.filter((i) => i.Status !== 'pending').length;
      const good = batch.BatchItem.filter((i) => i.Status === 'success').length;
      render(batch.BatchItem);
      window.lastBatch = batch;
      bar.style.width = `${Math.round((100 * done) / batch.BatchItem.length)}%`;
      if (batch.BatchStatus === 'Completed') {
        say(`Batch ${batchId} Completed: ${good} signed in, ${done - good} failed.`, done === good ? 'ok' : 'warn');
        document.body.dataset.batchStatus = 'Completed';
        break;
      }
      say(`Batch ${batchId} ${batch.BatchStatus}: ${done} of ${batch.BatchItem.length} processed.`, 'info');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    exportButton.disabled = false;
    fileInput.disabled = false;
  });

  exportButton.addEventListener('click', () => {
    const q = (v) => (/[",\r\n]/.test(v ?? '') ? `"${String(v).replace(/"/g, '""')}"` : (v ?? ''));
    const items = window.lastBatch?.BatchItem ?? [];
    const text = ['Username,HardwareId,Status,Error', ...items.map((i) => [i.UserName, i.HardwareId, i.Status, i.Error].map(q).join(','))].join('\r\n');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([`${text}\r\n`], { type: 'text/csv' }));
    a.download = `${fileName}-results.csv`;
    document.body.append(a);
    a.click();
    a.remove();
  });
})();
