/**
 * The small Markdown of exercise briefings and task texts, rendered safely: every character of the source is escaped
 * (through the `html` tag) and only this subset becomes markup — paragraphs, `-`/`*` and `1.` lists, `#` headings,
 * `**strong**`, `*em*`/`_em_`, `` `code` ``, `[links](url)` (http, https, mailto or relative URLs only, so no
 * `javascript:`), fenced code blocks (a CSV a briefing hands the trainee: lines kept as written) and `\` to escape a
 * markup character. Raw HTML in the source shows as text.
 */
import { html, join, type SafeHtml } from './html.ts';

const INLINE = /\\([\\`*_[\]()#.!-])|`([^`]+)`|\*\*(?=\S)((?:[^*]|\*(?!\*))+?)\*\*|\*(?=\S)([^*]+?)\*|(?<![\p{L}\p{N}])_(?=\S)([^_]+?)_(?![\p{L}\p{N}])|\[([^\]]+)\]\(([^)\s]+)\)/gu;

function safeUrl(url: string): string | undefined {
  if (/^(https?:|mailto:)/i.test(url)) return url;
  // Relative (path, query, fragment): no scheme at all.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//')) return url;
  return undefined;
}

/** One line (or paragraph) of inline Markdown. */
export function markdownInline(text: string): SafeHtml {
  const out: SafeHtml[] = [];
  let from = 0;
  for (const m of text.matchAll(INLINE)) {
    out.push(html`${text.slice(from, m.index)}`);
    from = m.index + m[0].length;
    const [, escaped, code, strong, em, em2, label, url] = m;
    if (escaped !== undefined) out.push(html`${escaped}`);
    else if (code !== undefined) out.push(html`<code>${code}</code>`);
    else if (strong !== undefined) out.push(html`<strong>${markdownInline(strong)}</strong>`);
    else if (em !== undefined || em2 !== undefined) out.push(html`<em>${markdownInline((em ?? em2)!)}</em>`);
    else {
      const href = safeUrl(url!);
      out.push(href === undefined ? html`${label}` : html`<a href="${href}" target="_blank" rel="noopener noreferrer">${markdownInline(label!)}</a>`);
    }
  }
  out.push(html`${text.slice(from)}`);
  return join(out);
}

type Block = { kind: 'p' | 'ul' | 'ol' | 'h' | 'pre'; level?: number; lines: string[] };

/** A Markdown text (several paragraphs, lists, headings) as HTML blocks. */
export function markdown(text: string): SafeHtml {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let fence: Block | undefined;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (fence) {
      // Inside a fence every line is text, blank ones too, until the closing fence (or the end of the text).
      if (/^```\s*$/.test(line)) fence = current = undefined;
      else fence.lines.push(raw);
      continue;
    }
    if (/^```[\w-]*$/.test(line)) {
      blocks.push((fence = { kind: 'pre', lines: [] }));
      continue;
    }
    if (line === '') {
      current = undefined;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\d{1,3}[.)]\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'h', level: heading[1]!.length, lines: [heading[2]!] });
      current = undefined;
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      if (current?.kind !== kind) blocks.push((current = { kind, lines: [] }));
      current.lines.push((bullet ?? numbered)![1]!);
    } else if (current && current.kind !== 'h' && /^\s{2,}/.test(raw) && current.lines.length) {
      // An indented line continues the list item (or paragraph) above it.
      current.lines[current.lines.length - 1] += ` ${line}`;
    } else if (current?.kind === 'p') {
      current.lines[current.lines.length - 1] += ` ${line}`;
    } else {
      blocks.push((current = { kind: 'p', lines: [line] }));
    }
  }
  return join(
    blocks.map((b) => {
      if (b.kind === 'h') {
        // Headings of a briefing sit under the page's own: h3 and below.
        const content = markdownInline(b.lines[0]!);
        return b.level === 1 ? html`<h3>${content}</h3>` : b.level === 2 ? html`<h4>${content}</h4>` : html`<h5>${content}</h5>`;
      }
      if (b.kind === 'p') return html`<p>${markdownInline(b.lines[0]!)}</p>`;
      if (b.kind === 'pre') {
        // The fence's indentation (a YAML block keeps none, a list item's some) is not part of the text.
        const indent = Math.min(...b.lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length), Infinity);
        return html`<pre><code>${b.lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n')}</code></pre>`;
      }
      const items = b.lines.map((l) => html`<li>${markdownInline(l)}</li>`);
      return b.kind === 'ul' ? html`<ul>${items}</ul>` : html`<ol>${items}</ol>`;
    }),
    '\n',
  );
}
