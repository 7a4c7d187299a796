import { describe, expect, test } from 'vitest';
import { escapeHtml, html } from './html.ts';

describe('html', () => {
  test('escapes the characters that could open a tag, an entity or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  test('escapes interpolated strings but keeps nested html and lists of it as markup', () => {
    const items = ['<one>', 'two'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul title="${'"quoted"'}">${items}</ul>`.markup).toBe(
      '<ul title="&quot;quoted&quot;"><li>&lt;one&gt;</li><li>two</li></ul>',
    );
  });
});
