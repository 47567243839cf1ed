/**
 * `/lab/checkpoints/`: save the lab under a name, restore or delete a checkpoint, reset to the start of a rehearsal
 * (the `scenario-start` checkpoint `rove-sim rehearse --lab FILE` saves), and factory-reset one device. The same
 * operations as the control API and the CLI (src/live/checkpoints.ts); every outcome is shown as a notice.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Lab } from '../../lab/lab.ts';
import { deleteCheckpoint, factoryReset, listCheckpoints, restoreCheckpoint, saveCheckpoint } from '../../live/checkpoints.ts';
import { SimError } from '../../kernel/errors.ts';
import { html } from '../../kernel/html.ts';
import { formatMac } from '../../kernel/mac.ts';
import { labClockLine, labPage, labTime } from './lab-page.ts';

const PATH = '/lab/checkpoints/';
/** The checkpoint a rehearsal with `--lab FILE` saves before its first step. */
export const SCENARIO_START = 'scenario-start';
/** The same names the control API and the CLI accept. */
const NAME = /^[\w.-]{1,64}$/;
const formBody = { type: 'object', additionalProperties: { type: 'string' } } as const;

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface PageOptions {
  notice?: string | undefined;
  error?: string | undefined;
  /** The name typed into "Save checkpoint", kept after a refusal. */
  name?: string;
}

function checkpointsPage(lab: Lab, opts: PageOptions): string {
  const checkpoints = listCheckpoints(lab.store);
  const start = checkpoints.find((c) => c.name === SCENARIO_START);
  const reset =
    start &&
    html`<section class="reset-start" id="reset-to-scenario-start"><h2>Reset to scenario start</h2>
<p>Puts the lab back as the rehearsal found it (checkpoint <code>${SCENARIO_START}</code>, saved at ${labTime(start.at)}): active faults are
cleared, every powered device power-cycles. Lab time does not go back.</p>
<form method="post" action="/lab/checkpoints/restore"><input type="hidden" name="name" value="${SCENARIO_START}">
<button class="primary big">Reset to scenario start</button></form></section>`;
  const rows = checkpoints.map((c) => {
    const name = c.name;
    return html`<tr><td><code>${name}</code></td><td class="time">${labTime(c.at)}</td><td>${size(c.bytes)}</td>
<td><form method="post" action="/lab/checkpoints/restore"><input type="hidden" name="name" value="${name}"><button class="small" aria-label="Restore ${name}">Restore</button></form></td>
<td><form method="post" action="/lab/checkpoints/delete" class="confirm"><input type="hidden" name="name" value="${name}">
<label class="check"><input type="checkbox" name="confirm" value="yes" required aria-label="Yes, delete ${name}"> yes, delete</label>
<button class="small danger" aria-label="Delete ${name}">Delete</button></form></td></tr>`;
  });
  const table = checkpoints.length
    ? html`<table class="grid" id="checkpoints"><thead><tr><th>Name</th><th>Saved at (lab time)</th><th>Size</th><th></th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p id="no-checkpoints">No checkpoint saved in this lab yet.</p>`;
  const bases = [...lab.bases.values()].map((b) => html`<option value="${b.mac}">${formatMac(b.mac)} · Rove ${b.flash.model} · ${b.state}</option>`);
  const handsets = [...lab.handsets.values()].map((h) => html`<option value="${h.ipei}">${h.ipei} · ${h.model} · ${h.state}</option>`);
  return labPage({
    title: 'Checkpoints and reset',
    path: PATH,
    notice: opts.notice,
    error: opts.error,
    body: html`${labClockLine(lab.clock)}
${reset}
<section><h2>Checkpoints</h2>
<p>A checkpoint keeps every device's flash and record, the Teams tenant and devices, and the lab time. Restoring clears the active
faults, puts the documents back and power-cycles every powered device, as a restart would; lab time does not go back.</p>
${table}
<form method="post" action="/lab/checkpoints/save" class="inline-form">
<label for="checkpoint-name">Name</label>
<input id="checkpoint-name" name="name" value="${opts.name ?? ''}" placeholder="e.g. before-rollout" maxlength="64">
<button class="primary">Save checkpoint</button>
<small>1 to 64 letters, digits, dots, dashes or underscores; saving under an existing name replaces that checkpoint.</small>
</form></section>
<section><h2>Factory reset one device</h2>
<p>A base goes back to factory defaults (settings, admin password, registered handsets) and reboots — it must be running, as when
reset from its web admin. A handset is out of the box again: no base, default language and name, same firmware.</p>
<form method="post" action="/lab/checkpoints/factory-reset" class="inline-form">
<label for="factory-reset-device">Device</label>
<select id="factory-reset-device" name="device" required><option value="">— choose a base or handset —</option>
<optgroup label="Bases">${bases}</optgroup><optgroup label="Handsets">${handsets}</optgroup></select>
<button class="danger">Factory reset</button></form></section>
<p>The same from the control API (<code>/api/checkpoints</code>, <code>/api/devices/:id/factory-reset</code>) and the CLI
(<code>rove-sim checkpoint</code>, <code>rove-sim factory-reset</code>, with the simulator stopped).</p>`,
  });
}

function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html').send(page);
}

function done(reply: FastifyReply, notice: string): FastifyReply {
  return reply.redirect(`${PATH}?done=${encodeURIComponent(notice)}`, 303);
}

export const checkpointsPagePlugin: FastifyPluginAsync = async (app) => {
  /** A refused form: the page again with why, nothing changed. Errors that are not a user's are left to Fastify. */
  const refuse = (reply: FastifyReply, err: unknown, opts: PageOptions = {}) => {
    if (!(err instanceof SimError)) throw err;
    return sendPage(reply, err.statusCode, checkpointsPage(app.lab, { ...opts, error: err.message }));
  };
  const nameOf = (body: Record<string, string | undefined>) => (body.name ?? '').trim();

  app.get('/lab/checkpoints', { schema: { hide: true } }, async (_req, reply) => reply.redirect(PATH, 301));

  app.get<{ Querystring: { done?: string } }>(PATH, { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, 200, checkpointsPage(app.lab, { notice: req.query.done })),
  );

  app.post<{ Body: Record<string, string | undefined> }>('/lab/checkpoints/save', { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const name = nameOf(req.body);
    if (!NAME.test(name)) {
      const what = name === '' ? 'A checkpoint needs a name' : `"${name}" is not a checkpoint name`;
      return sendPage(
        reply,
        400,
        checkpointsPage(app.lab, { name, error: `Nothing was saved. ${what}: use 1 to 64 letters, digits, dots, dashes or underscores, e.g. before-rollout.` }),
      );
    }
    const replaced = listCheckpoints(app.lab.store).find((c) => c.name === name);
    try {
      const saved = saveCheckpoint(app.lab, name);
      const was = replaced ? ` It replaces the one saved at ${labTime(replaced.at)}.` : '';
      return done(reply, `Saved checkpoint ${saved.name} at lab time ${labTime(saved.at)} (${size(saved.bytes)}).${was}`);
    } catch (err) {
      return refuse(reply, err, { name });
    }
  });

  app.post<{ Body: Record<string, string | undefined> }>('/lab/checkpoints/restore', { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const name = nameOf(req.body);
    try {
      const restored = await restoreCheckpoint(app.lab, name);
      return done(
        reply,
        `Restored checkpoint ${restored.name} (saved at ${labTime(restored.at)}): faults cleared, every powered device is power-cycling. Lab time stays at ${labTime(app.lab.clock.now())}.`,
      );
    } catch (err) {
      return refuse(reply, err);
    }
  });

  app.post<{ Body: Record<string, string | undefined> }>('/lab/checkpoints/delete', { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const name = nameOf(req.body);
    if (req.body.confirm !== 'yes') {
      return sendPage(reply, 400, checkpointsPage(app.lab, { error: `Checkpoint ${name} was not deleted: tick "yes, delete" next to its Delete button to confirm.` }));
    }
    try {
      deleteCheckpoint(app.lab.store, name);
      return done(reply, `Deleted checkpoint ${name}.`);
    } catch (err) {
      return refuse(reply, err);
    }
  });

  app.post<{ Body: Record<string, string | undefined> }>('/lab/checkpoints/factory-reset', { schema: { hide: true, body: formBody } }, async (req, reply) => {
    const device = (req.body.device ?? '').trim();
    if (device === '') return sendPage(reply, 400, checkpointsPage(app.lab, { error: 'Nothing was reset: choose a base or a handset first.' }));
    try {
      const reset = factoryReset(app.lab, device);
      return done(
        reply,
        reset.kind === 'base'
          ? `Base ${formatMac(reset.id)} is back at factory defaults and reboots.`
          : `Handset ${reset.id} is back at factory defaults: register it again (Settings → Connectivity → Register).`,
      );
    } catch (err) {
      return refuse(reply, err);
    }
  });
};
