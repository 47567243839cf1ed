import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join } from '../../src/kernel/html.ts';

describe('safe HTML', () => {
  it('escapes every interpolated value, in element content and attributes alike', () => {
    const name = `Tom's "<b>" & co`;
    expect(html`<td title="${name}">${name}</td>`.value).toBe(`<td title="${escapeHtml(name)}">${escapeHtml(name)}</td>`);
    expect(escapeHtml(name)).toBe('Tom&#39;s &quot;&lt;b&gt;&quot; &amp; co');
  });

  it('passes html fragments through unescaped, and arrays of them concatenated', () => {
    const rows = ['a<', 'b>'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>a&lt;</li><li>b&gt;</li></ul>');
    expect(join(rows, '\n').value).toBe('<li>a&lt;</li>\n<li>b&gt;</li>');
  });

  it('renders nothing for null, undefined and false (so `cond && html`…`` reads as "only if"), numbers as text', () => {
    expect(html`[${null}${undefined}${false}${0}${7}]`.value).toBe('[07]');
    expect(`${html`<p>x</p>`}`).toBe('<p>x</p>');
  });
});
