/**
 * The frame of every web admin page, modelled on the RTX/Poly embedded UI: a header bar naming the product, the
 * model and the MAC, the menu on the left, the page in a content panel. Plain pages (404, 401, 503...) have the
 * header only, since they are answered before the user is known or when there is no base to show.
 */
import type { BaseStation } from '../base-station.ts';
import { formatMac } from '../../../kernel/mac.ts';
import { html, type SafeHtml } from '../../../kernel/html.ts';
import { MENU, menuPath, type PageId } from './menu.ts';

/** Only absolute path the web admin uses: shared assets are at `/static/` on the main and on each base's port. */
export const STYLESHEET = '/static/admin/admin.css';

export interface Notice {
  kind: 'ok' | 'error' | 'info';
  text: string | SafeHtml;
}

export interface PageOptions {
  base: BaseStation;
  page: PageId;
  body: SafeHtml;
  notices?: readonly Notice[];
  /** False while the factory password must be changed: nothing else may be reached. */
  menu?: boolean;
}

function head(title: string): SafeHtml {
  return html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="${STYLESHEET}"></head>`;
}

function topBar(base: BaseStation | undefined): SafeHtml {
  const id = base
    ? html`<dl class="device-id"><div><dt>Model</dt><dd>Rove ${base.flash.model}</dd></div><div><dt>MAC</dt><dd>${formatMac(base.mac)}</dd></div><div><dt>Firmware</dt><dd>${base.flash.firmware}</dd></div></dl>`
    : '';
  return html`<header class="topbar"><div class="brand"><span class="logo">poly</span><span class="product">Rove</span><span class="tagline">IP DECT</span></div>${id}</header>`;
}

function menu(current: PageId): SafeHtml {
  const groups = MENU.map(
    (g) => html`<li class="group">${g.title ? html`<span class="group-title">${g.title}</span>` : ''}<ul>${g.items.map(
      (i) => html`<li><a href="${i.href}"${i.id === current ? html` class="current" aria-current="page"` : ''}>${i.label}</a></li>`,
    )}</ul></li>`,
  );
  return html`<nav class="menu" aria-label="Menu"><ul>${groups}</ul></nav>`;
}

export function noticeBox(n: Notice): SafeHtml {
  return html`<div class="notice ${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}">${n.text}</div>`;
}

export function renderPage(o: PageOptions): string {
  const title = menuPath(o.page);
  const showMenu = o.menu ?? true;
  return html`<!doctype html><html lang="en">${head(`${title} — Rove ${o.base.flash.model} ${formatMac(o.base.mac)}`)}
<body class="device">${topBar(o.base)}<div class="frame${showMenu ? '' : ' no-menu'}">${showMenu ? menu(o.page) : ''}<main class="content">
<h1>${showMenu ? title : 'Change password'}</h1>
${(o.notices ?? []).map(noticeBox)}${o.body}</main></div></body></html>`.value;
}

/** A page without menu: errors and refusals answered before (or instead of) the web admin itself. */
export function renderPlainPage(title: string, body: SafeHtml, base?: BaseStation): string {
  return html`<!doctype html><html lang="en">${head(title)}
<body class="device plain">${topBar(base)}<main class="content plain-content"><h1>${title}</h1>${body}</main></body></html>`.value;
}
