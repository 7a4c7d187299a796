import type { Page } from 'playwright-core';

/** The page's document, as the functions run in the browser see it (tests compile without DOM types). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

/** The parts of GraphiQL 5's page a test works with. */
export const graphiql = {
  queryEditor: '.graphiql-query-editor .monaco-editor',
  headersTab: '.graphiql-editor-tools button:text-is("Headers")',
  /** The editor tools hold the variables and headers editors; the one not hidden is shown. */
  toolEditor: '.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor',
  executeButton: '.graphiql-execute-button',
  response: '.graphiql-response',
  docsButton: 'button[aria-label="Show Documentation Explorer"]',
  docs: '.graphiql-doc-explorer',
};

/** Replaces a Monaco editor's text as a user would: click in, select all, type. */
export async function replaceEditorText(page: Page, editor: string, text: string): Promise<void> {
  await page.click(`${editor} .view-lines`);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // One input event for the whole text: Monaco does not auto-close brackets and quotes in it.
  await page.keyboard.insertText(text);
}

/**
 * Types a named operation in the operation editor and runs it. GraphiQL reads the editor
 * a moment after a change; run before that, it would send the previous operation's name.
 * It names the tab after the operation once it has, so the test waits for that.
 */
export async function runOperation(page: Page, operation: string): Promise<void> {
  const name = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(operation)?.[1];
  if (!name) throw new Error(`give the operation a name (the tab shows it once GraphiQL has read it): ${operation}`);
  await replaceEditorText(page, graphiql.queryEditor, operation);
  await page.waitForSelector(`.graphiql-tab-active .graphiql-tab-button:text-is("${name}")`);
  await page.click(graphiql.executeButton);
}

/** Sets the request headers (JSON) in the headers editor under the operation editor. */
export async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.click(graphiql.headersTab);
  await replaceEditorText(page, graphiql.toolEditor, JSON.stringify(headers));
}

/** The text of an element as shown (Monaco draws spaces as no-break spaces). */
export function shownText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element.textContent ?? '').replace(/\u00a0/g, ' '));
}

/** Waits until the element shows `text`, failing with what it showed instead. */
export async function waitForText(page: Page, selector: string, text: string, timeoutMs = 15_000): Promise<void> {
  try {
    await page.waitForFunction(
      ({ selector, text }) => (document.querySelector(selector)?.textContent ?? '').replace(/\u00a0/g, ' ').includes(text),
      { selector, text },
      { timeout: timeoutMs },
    );
  } catch {
    throw new Error(`${selector} never showed ${JSON.stringify(text)}; it shows: ${await shownText(page, selector).catch(() => '(nothing)')}`);
  }
}
