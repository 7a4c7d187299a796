import { mkdir } from 'node:fs/promises';
import { replaceOp } from 'ot-json1';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, type TestBrowser } from '../testkit/browser.ts';
import { cmsOrganization, createPage, documentOf, hero, type CmsOrganization } from '../testkit/cms-seed.ts';
import { graphiql, runOperation, setHeaders, waitForText } from '../testkit/graphiql-page.ts';
import { submitMutation } from '../testkit/live-editor.ts';
import { useTestGraph } from '../testkit/use-test-graph.ts';

/**
 * The explorer as a developer uses it, in Debian's Chromium driven by playwright-core:
 * GraphiQL served by the gateway (EXPLORER=on, the default outside production), one
 * page kept open through the file's tests, which run in order.
 */
const fixture = useTestGraph();
const artifacts = new URL('../.artifacts/', import.meta.url);

let browser: TestBrowser;
let seed: CmsOrganization;
/** Every URL the page asked for: documents, scripts, workers, fonts, fetches, WebSockets. */
const requested: string[] = [];
/** Script errors and Content-Security-Policy violations the page reported. */
const problems: string[] = [];

beforeAll(async () => {
  seed = await cmsOrganization(fixture.graph.client);
  browser = await launchChromium();
  const { page } = browser;
  page.on('request', (request) => requested.push(request.url()));
  page.on('websocket', (socket) => requested.push(socket.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(fixture.graph.gateway.url);
  await page.waitForSelector(graphiql.queryEditor, { timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
});

describe('GraphiQL at /graphql, in a browser', () => {
  test('opens with the docs, history and explorer plugins and the example operations in tabs', async () => {
    const { page } = browser;
    for (const label of ['Show Documentation Explorer', 'Show History', 'Show GraphiQL Explorer']) {
      await page.waitForSelector(`button[aria-label="${label}"]`);
    }
    const tabs = await page.$$eval('.graphiql-tab-button', (buttons) => buttons.map((button) => button.textContent));
    expect(tabs).toEqual(['SignUp', 'CreateOrganization', 'Dashboard', 'PageEvents']);
  });

  test('a query typed in the editor returns data in the result pane', async () => {
    const { page } = browser;
    await runOperation(page, `query PublicOrganization { publicOrganization(slug: "${seed.organization.slug}") { name slug } }`);
    await waitForText(page, graphiql.response, `"name": "${seed.organization.name}"`);
  });

  test('with an Authorization header set in the headers editor, a query runs as that user', async () => {
    const { page } = browser;
    await setHeaders(page, { Authorization: `Bearer ${seed.owner.accessToken}` });
    await runOperation(page, 'query Me { me { email } }');
    await waitForText(page, graphiql.response, `"email": "${seed.owner.email}"`);
  });

  test('a pageEvents subscription shows each edit live in the result pane', async () => {
    const { page } = browser;
    const edited = await createPage(seed.owner.client, { orgId: seed.organization.id, document: documentOf(hero('h1')) });
    const version = edited.version as number;
    // From `version` on: an edit made before the socket is up still arrives, first.
    await runOperation(
      page,
      `subscription LiveEdits { pageEvents(pageId: "${edited.id}", afterVersion: ${version}) { __typename ... on PageOperation { version author { email } } } }`,
    );
    for (const next of [version + 1, version + 2]) {
      await seed.owner.client.data(submitMutation, {
        pageId: edited.id,
        baseVersion: next - 1,
        operations: [replaceOp(['children', 0, 'props', 'title'], true, `Title ${next}`)],
      });
      await waitForText(page, graphiql.response, `"version": ${next}`);
      await waitForText(page, graphiql.response, `"email": "${seed.owner.email}"`);
    }
    // The run button stops a running subscription.
    await page.click(graphiql.executeButton);
  });

  test("the docs pane shows a field's description from the schema", async () => {
    const { page } = browser;
    await page.click(graphiql.docsButton);
    await page.click(`${graphiql.docs} a:text-is("Query")`);
    const description = 'The signed-in user, or null when the request carries no access token.';
    await waitForText(page, graphiql.docs, description);
    await page.locator(graphiql.docs).getByText(description).scrollIntoViewIfNeeded();
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: new URL('graphiql.png', artifacts).pathname });
  });

  test('nothing the page loaded or called left 127.0.0.1, and it broke no rule of its security policy', () => {
    expect(requested.length).toBeGreaterThan(5);
    const elsewhere = requested.filter((url) => {
      const { protocol, hostname } = new URL(url);
      // data: URLs are inline fonts and images: nothing goes over the network.
      return protocol !== 'data:' && hostname !== '127.0.0.1';
    });
    expect(elsewhere).toEqual([]);
    expect(requested.some((url) => url.startsWith('ws://127.0.0.1:'))).toBe(true);
    expect(problems).toEqual([]);
  });
});
