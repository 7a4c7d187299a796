/** Markup that is already safe to insert as it is (built by {@link html}). */
export class SafeHtml {
  constructor(readonly markup: string) {}
}

/** `value` as HTML text or as a double- or single-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** What may be interpolated into {@link html}: lists are joined, `SafeHtml` kept as it is. */
export type HtmlValue = string | SafeHtml | readonly HtmlValue[];

/**
 * A template tag that escapes every interpolated value unless it is itself the result of
 * `html`. Escaping is then the default a template cannot forget, rather than a call each
 * value needs: an organization named `<script>` shows as that text.
 *
 * Values must not be interpolated into unquoted attributes, `<script>` or `<style>`; the
 * mail templates only use text and quoted attributes.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((markup, literal, index) => markup + toMarkup(values[index - 1]!) + literal));
}

function toMarkup(value: HtmlValue): string {
  if (typeof value === 'string') return escapeHtml(value);
  if (value instanceof SafeHtml) return value.markup;
  return value.map(toMarkup).join('');
}
