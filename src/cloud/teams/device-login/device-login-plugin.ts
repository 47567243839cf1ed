/**
 * The device login page: what `https://microsoft.com/devicelogin` shows, served by the simulator [seed 000, 001, 002].
 *
 *   Enter code ──▶ Pick an account ──▶ "Are you trying to sign in to Teams SIP devices gateway?" ──▶ Continue
 *   (pairing code,    (a tenant user,     (Cancel stops here)                                          │
 *    not case          or "Use another                                                               ▼
 *    sensitive)        account")                                   signed in, or why the gateway refused
 *
 * No password is asked (the lab's accounts have none); the pairing code is carried from step to step in the form and
 * checked again at each step, so an expiry in between is reported.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { html, type SafeHtml } from '../../../kernel/html.ts';
import type { TeamsGateway } from '../gateway.ts';
import { field, type FormBody } from '../admin-center/form.ts';
import { ACCOUNT_EMPTY, enterCode as lookupCode, NOT_SIGNED_IN, pickAccount as lookupAccount } from './device-login-flow.ts';

export interface DeviceLoginOptions {
  gateway: TeamsGateway;
}

/** The question the approval step asks [seed 000, 001]. */
export const APPROVAL_QUESTION = 'Are you trying to sign in to Teams SIP devices gateway?';
const APP_NAME = 'Teams SIP devices gateway';

function card(title: string, inner: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/static/teams/tac.css"></head>
<body class="login"><main class="login-card">
<div class="mslogo"><span class="sq"><i style="background:#f25022"></i><i style="background:#7fba00"></i><i style="background:#00a4ef"></i><i style="background:#ffb900"></i></span>Microsoft</div>
${inner}
</main>
<p class="login-foot">https://microsoft.com/devicelogin — emulated by Rove Simulator</p>
</body></html>`.value;
}

function send(reply: FastifyReply, body: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

function enterCode(error?: string, value = ''): string {
  return card(
    'Enter code',
    html`<h1>Enter code</h1>
${error && html`<p class="error" role="alert">${error}</p>`}
<p>Enter the code displayed on your app or device.</p>
<form method="post" action="/devicelogin">
<input class="line" type="text" name="otc" aria-label="Code" placeholder="Code" value="${value}" autocomplete="off" autofocus maxlength="20">
<div class="buttons"><button class="mbtn primary" type="submit">Next</button></div>
</form>`,
  );
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function pickAccount(gateway: TeamsGateway, otc: string, error?: string, typed = ''): string {
  const accounts = gateway
    .users()
    .map(
      (u) => html`<button type="submit" name="upn" value="${u.upn}"><span class="pic">${initials(u.displayName)}</span><span class="who">${u.displayName}<small>${u.upn}</small></span></button>`,
    );
  return card(
    'Pick an account',
    html`<h1>Pick an account</h1>
<p>to continue to ${APP_NAME}</p>
<form method="post" action="/devicelogin/account"><input type="hidden" name="otc" value="${otc}">
<div class="accounts">${accounts}</div>
</form>
<form method="post" action="/devicelogin/account"><input type="hidden" name="otc" value="${otc}">
<p style="margin-top:16px"><strong>Use another account</strong></p>
${error && html`<p class="error" role="alert">${error}</p>`}
<input class="line" type="email" name="upn" aria-label="Email, phone, or Skype" placeholder="Email, phone, or Skype" value="${typed}">
<div class="buttons"><button class="mbtn primary" type="submit">Next</button></div>
</form>`,
  );
}

function approve(otc: string, upn: string, displayName: string): string {
  return card(
    APPROVAL_QUESTION,
    html`<p><strong>${displayName}</strong><br><small>${upn}</small></p>
<h1>${APPROVAL_QUESTION}</h1>
<p>Only continue if you downloaded the app from a store or website that you trust.</p>
<form method="post" action="/devicelogin/approve">
<input type="hidden" name="otc" value="${otc}"><input type="hidden" name="upn" value="${upn}">
<div class="buttons"><button class="mbtn" type="submit" name="decision" value="cancel">Cancel</button><button class="mbtn primary" type="submit" name="decision" value="continue">Continue</button></div>
</form>`,
  );
}

export const deviceLoginPlugin: FastifyPluginAsync<DeviceLoginOptions> = async (app, { gateway }) => {
  app.get('/devicelogin', async (_req, reply) => send(reply, enterCode()));

  app.post<{ Body: FormBody }>('/devicelogin', async (req, reply) => {
    const otc = field(req.body, 'otc').trim();
    const found = lookupCode(gateway, otc);
    if (!found.ok) return send(reply, enterCode(found.message, otc), 400);
    return send(reply, pickAccount(gateway, otc));
  });

  app.post<{ Body: FormBody }>('/devicelogin/account', async (req, reply) => {
    const otc = field(req.body, 'otc');
    const upn = field(req.body, 'upn').trim();
    const found = lookupAccount(gateway, otc, upn);
    if (!found.ok && found.reenterCode) return send(reply, enterCode(found.message), 400);
    if (!found.ok) return send(reply, pickAccount(gateway, otc, found.message, found.message === ACCOUNT_EMPTY ? '' : upn), 400);
    return send(reply, approve(otc, found.user.upn, found.user.displayName));
  });

  app.post<{ Body: FormBody }>('/devicelogin/approve', async (req, reply) => {
    const otc = field(req.body, 'otc');
    const upn = field(req.body, 'upn');
    if (field(req.body, 'decision') !== 'continue') {
      return send(reply, card('Sign-in canceled', html`<h1>${APP_NAME}</h1><p>You have canceled the sign-in. The device was not signed in. You may now close this window.</p>`));
    }
    const result = gateway.signIn(otc, upn);
    if (result.ok) {
      return send(
        reply,
        card(
          APP_NAME,
          html`<h1>${APP_NAME}</h1><p role="status">You have signed in to the ${APP_NAME} application on your device. You may now close this window.</p>
<p><small>${result.user.displayName} · ${result.user.phoneNumber ?? ''} · device ${result.device.macAddress}</small></p>`,
        ),
      );
    }
    if (result.code !== 'PREREQUISITES') return send(reply, enterCode(result.message), 400);
    return send(
      reply,
      card(
        'Sign-in refused',
        html`<h1>${APP_NAME}</h1>
<p class="error" role="alert">${result.message} ${NOT_SIGNED_IN}</p>
<ul class="problems">${result.problems.map((p) => html`<li data-code="${p.code}"><strong>${p.message}</strong><br><small>${p.fix}</small></li>`)}</ul>
<p><small>Ask your Teams administrator to fix this, then start again with a new code from the device.</small></p>`,
      ),
      403,
    );
  });
};
