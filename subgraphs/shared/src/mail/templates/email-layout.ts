import { html, type SafeHtml } from '../html.ts';

/**
 * The HTML document around a message's body. Deliberately plain (no images, no remote
 * styles): it reads the same in every client, and the text part says everything anyway.
 */
export function emailLayout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html>
<head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a">
${body}
<p style="color: #6b6b6b; font-size: 0.9em">Token Nexus</p>
</body>
</html>
`.markup;
}
