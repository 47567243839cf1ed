/**
 * The Markdown of briefings and task texts (src/kernel/markdown.ts): the subset exercise authors write becomes markup,
 * and nothing else does — raw HTML, `javascript:` links and attributes show as text.
 */
import { describe, expect, it } from 'vitest';
import { markdown, markdownInline } from '../../src/kernel/markdown.ts';

describe('Markdown of an exercise', () => {
  it('renders paragraphs, numbered and bulleted lists, headings, strong, emphasis, code and links', () => {
    const text = [
      'A Rove B4 base runs firmware **8.0.0.0402**.',
      '',
      '1. Log in (factory login `admin` / `admin`) and set',
      '   a password of your own.',
      '2. Point *Auto Firmware Update* at [Poly](http://downloads.polycom.com/).',
      '',
      '# Then',
      '- dial `*55*<code>`',
      '- keep FWU_BASE_VERSION as it is, _then_ reboot',
    ].join('\n');
    expect(markdown(text).value).toBe(
      [
        '<p>A Rove B4 base runs firmware <strong>8.0.0.0402</strong>.</p>',
        '<ol><li>Log in (factory login <code>admin</code> / <code>admin</code>) and set a password of your own.</li><li>Point <em>Auto Firmware Update</em> at <a href="http://downloads.polycom.com/" target="_blank" rel="noopener noreferrer">Poly</a>.</li></ol>',
        '<h3>Then</h3>',
        '<ul><li>dial <code>*55*&lt;code&gt;</code></li><li>keep FWU_BASE_VERSION as it is, <em>then</em> reboot</li></ul>',
      ].join('\n'),
    );
  });

  it('shows raw HTML, script and unsafe links as text', () => {
    const out = markdown('<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) [x](//evil.test/) **<b>bold</b>**').value;
    expect(out).not.toMatch(/<script|<img|<b>|href="javascript|href="\/\/evil/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('<strong>&lt;b&gt;bold&lt;/b&gt;</strong>');
    expect(markdownInline('[quote"s](http://a.test/?q="x")').value).toBe('<a href="http://a.test/?q=&quot;x&quot;" target="_blank" rel="noopener noreferrer">quote&quot;s</a>');
  });

  it('takes a backslash before a markup character as the character itself', () => {
    expect(markdownInline('dial \\*55\\* then the code').value).toBe('dial *55* then the code');
  });

  it('keeps a fenced block as written, line by line and escaped: a CSV the briefing hands the trainee', () => {
    const text = ['Run it with `rollout.csv`:', '', '```', 'Username,HardwareId', '', '*kitchen*@contoso.co,<00-03>', '```', 'After.'].join('\n');
    expect(markdown(text).value).toBe(
      ['<p>Run it with <code>rollout.csv</code>:</p>', '<pre><code>Username,HardwareId\n\n*kitchen*@contoso.co,&lt;00-03&gt;</code></pre>', '<p>After.</p>'].join('\n'),
    );
    expect(markdown('```\n  a\n    b').value).toBe('<pre><code>a\n  b</code></pre>');
  });
});
