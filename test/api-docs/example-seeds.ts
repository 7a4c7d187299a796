import { createHash, randomInt, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { SignedUpUser } from '../testkit/seed.ts';
import { addMember, signUpUser, unique } from '../testkit/seed.ts';
import { createPage, documentOf, hero, publishPage } from '../testkit/cms-seed.ts';
import { createToken } from '../testkit/tokens-seed.ts';
import { contactFormNode } from '../../docs/examples/cms.ts';
import type { ExampleWorld } from './example-world.ts';

/**
 * What an example needs to run: the ids of real data in place of the ones the reference
 * shows (only values the example already has are replaced), who sends it when not the
 * world's OWNER, and for a subscription what makes its first event happen.
 */
export interface Seeded {
  variables?: Record<string, unknown>;
  as?: SignedUpUser;
  trigger?: () => Promise<void>;
}

type Seed = (world: ExampleWorld) => Promise<Seeded>;

const day = 24 * 3600_000;

/** A page like the examples' own: a `Hero` node `hero-1` titled Welcome, at version 1. */
async function page(world: ExampleWorld): Promise<Record<string, any>> {
  return createPage(world.owner.client, {
    orgId: world.organization.id,
    slug: `page-${unique()}`,
    document: documentOf(hero('hero-1', { title: 'Welcome' })),
  });
}

async function publishedPage(world: ExampleWorld): Promise<Record<string, any>> {
  const created = await page(world);
  return publishPage(world.owner.client, created.id);
}

/** A published page running the examples' experiment: control against `short-headline`, half each. */
async function experimentPage(world: ExampleWorld): Promise<Record<string, any>> {
  const published = await publishedPage(world);
  await world.owner.client.data(
    `mutation ($pageId: ID!, $input: StartPageExperimentInput!) { startPageExperiment(pageId: $pageId, input: $input) { id } }`,
    {
      pageId: published.id,
      input: {
        variants: [
          { key: 'control', weight: 50 },
          { key: 'short-headline', weight: 50, title: 'Tokens, simply', document: documentOf(hero('hero-1', { title: 'Tokens, simply' })) },
        ],
        goal: { eventName: 'newsletter_signup' },
      },
    },
  );
  return published;
}

/** A published page `contact-…` holding the examples' contact form. */
async function contactPage(world: ExampleWorld): Promise<Record<string, any>> {
  const created = await createPage(world.owner.client, { orgId: world.organization.id, slug: `contact-${unique()}`, document: documentOf(contactFormNode) });
  return publishPage(world.owner.client, created.id);
}

/** A lead of the contact form. */
async function lead(world: ExampleWorld): Promise<string> {
  const { slug } = await contactPage(world);
  const data = await world.graph.client.data(
    `mutation ($orgSlug: String!, $pageSlug: String!) { submitForm(orgSlug: $orgSlug, pageSlug: $pageSlug, formId: "contact", values: { name: "Ada", email: "ada@example.com", terms: true }) { id } }`,
    { orgSlug: world.organization.slug, pageSlug: slug },
  );
  return data.submitForm.id;
}

async function joinedSession(world: ExampleWorld): Promise<{ pageId: string; sessionId: string }> {
  const { id } = await page(world);
  const data = await world.owner.client.data(`mutation ($id: ID!) { joinPageSession(pageId: $id) { id } }`, { id });
  return { pageId: id, sessionId: data.joinPageSession.id };
}

async function member(world: ExampleWorld): Promise<SignedUpUser> {
  const user = await signUpUser(world.graph.client);
  await addMember(world.owner, world.organization.id, user, 'MEMBER');
  return user;
}

async function draftToken(world: ExampleWorld): Promise<string> {
  return (await createToken(world.owner.client, { orgId: world.organization.id, chainId: world.chainId })).id;
}

async function conversation(world: ExampleWorld): Promise<string> {
  const data = await world.owner.client.data(`mutation ($input: CreateAiConversationInput!) { createAiConversation(input: $input) { id } }`, {
    input: { orgId: world.organization.id },
  });
  return data.createAiConversation.id;
}

async function sendMessage(world: ExampleWorld, conversationId: string): Promise<string> {
  const data = await world.owner.client.data(`mutation ($id: ID!) { sendAiMessage(conversationId: $id, content: "Hello") { id } }`, {
    id: conversationId,
  });
  return data.sendAiMessage.id;
}

async function endpoint(world: ExampleWorld, url = 'https://hooks.example.com/token-nexus'): Promise<string> {
  const data = await world.owner.client.data(
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
    { input: { orgId: world.organization.id, url, eventTypes: ['member.added'] } },
  );
  return data.createWebhookEndpoint.endpoint.id;
}

async function testDelivery(world: ExampleWorld): Promise<{ endpointId: string; deliveryId: string }> {
  const endpointId = await endpoint(world, `${world.receiver.url}/hooks`);
  const data = await world.owner.client.data(`mutation ($id: ID!) { testWebhook(endpointId: $id) { id } }`, { id: endpointId });
  return { endpointId, deliveryId: data.testWebhook.id };
}

async function apiKey(world: ExampleWorld): Promise<string> {
  const data = await world.owner.client.data(`mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`, {
    input: { orgId: world.organization.id, name: 'Example', scopes: ['tokens:read'] },
  });
  return data.createApiKey.apiKey.id;
}

/** An app like the examples' own: confidential, redirecting to https://app.example.com/callback. */
async function oauthApp(world: ExampleWorld): Promise<{ id: string; clientId: string }> {
  const data = await world.owner.client.data(`mutation ($input: RegisterOAuthAppInput!) { registerOAuthApp(input: $input) { app { id clientId } } }`, {
    input: {
      orgId: world.organization.id,
      name: 'Sync app',
      redirectUris: ['https://app.example.com/callback'],
      allowedScopes: ['webhooks:read', 'organization:read'],
    },
  });
  return data.registerOAuthApp.app;
}

async function consentedApp(world: ExampleWorld): Promise<{ id: string; clientId: string }> {
  const app = await oauthApp(world);
  await world.owner.client.data(`mutation ($input: AuthorizeOAuthAppInput!) { authorizeOAuthApp(input: $input) { redirectUrl } }`, {
    input: {
      clientId: app.clientId,
      redirectUri: 'https://app.example.com/callback',
      scopes: ['webhooks:read'],
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
    },
  });
  return app;
}

const orgId = (world: ExampleWorld) => ({ orgId: world.organization.id });

/**
 * Reads `read` until `done` holds of what it answers; throws with the last answer when it
 * never does (well within the test's 30 s, so the error says what was waited for).
 */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} never happened: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A MANUAL workflow of these steps, with no scopes, created by the world's OWNER (by default one that waits a minute). */
async function workflow(world: ExampleWorld, steps: unknown[] = [{ key: 'wait', type: 'delay', input: { duration: 'PT1M' } }]): Promise<string> {
  const data = await world.owner.client.data(`mutation ($orgId: ID!, $input: WorkflowInput!) { createWorkflow(orgId: $orgId, input: $input) { id } }`, {
    orgId: world.organization.id,
    input: { name: 'Example', trigger: { type: 'MANUAL' }, steps },
  });
  return data.createWorkflow.id;
}

/** A workflow that only sets variables from its input: its runs succeed within moments. */
function quickWorkflow(world: ExampleWorld): Promise<string> {
  return workflow(world, [{ key: 'remember', type: 'setVariables', input: { variables: { symbol: '{{trigger.input.symbol}}' } } }]);
}

async function startRun(world: ExampleWorld, workflowId: string): Promise<string> {
  const data = await world.owner.client.data(`mutation ($id: ID!, $input: JSON) { runWorkflow(id: $id, input: $input) { id } }`, {
    id: workflowId,
    input: { symbol: 'NXC' },
  });
  return data.runWorkflow.id;
}

/** Waits until the run is in `status` (or fails saying where it stands). */
async function runIn(world: ExampleWorld, runId: string, status: string): Promise<void> {
  await until(
    async () => (await world.owner.client.data(`query ($id: ID!) { workflowRun(id: $id) { status error } }`, { id: runId })).workflowRun,
    (run) => run.status === status,
    `the run becoming ${status}`,
  );
}

/** A run of quickWorkflow that has SUCCEEDED. */
async function succeededRun(world: ExampleWorld): Promise<{ workflowId: string; runId: string }> {
  const workflowId = await quickWorkflow(world);
  const runId = await startRun(world, workflowId);
  await runIn(world, runId, 'SUCCEEDED');
  return { workflowId, runId };
}

/**
 * A FAILED run. Its step fails without leaving the machine, at its first attempt: a
 * `graphql` step reading tokens in a workflow given no scopes is refused FORBIDDEN, and
 * FORBIDDEN is not retried. (An httpRequest answered 500 by `world.receiver` would need
 * WORKFLOWS_HTTP_ALLOW_LIST on the examples' graph, which only lets webhooks reach it.)
 */
async function failedRun(world: ExampleWorld): Promise<string> {
  const workflowId = await workflow(world, [
    {
      key: 'supply',
      type: 'graphql',
      maxAttempts: 1,
      input: { query: 'query ($orgId: ID!) { tokens(orgId: $orgId) { edges { node { id } } } }', variables: { orgId: world.organization.id } },
    },
  ]);
  const runId = await startRun(world, workflowId);
  await runIn(world, runId, 'FAILED');
  return runId;
}

/** A run waiting in an hour's delay: in progress for the whole test. */
async function waitingRun(world: ExampleWorld): Promise<string> {
  const runId = await startRun(world, await workflow(world, [{ key: 'pause', type: 'delay', input: { duration: 'PT1H' } }]));
  await runIn(world, runId, 'WAITING');
  return runId;
}

/** A PNG of a few pixels, of a random colour so each upload has bytes of its own (not `alreadyStored`). */
function tinyPng(): Promise<Buffer> {
  const background = { r: randomInt(256), g: randomInt(256), b: randomInt(256) };
  return sharp({ create: { width: 4, height: 3, channels: 3, background } }).png().toBuffer();
}

/** An image whose bytes were PUT to storage as a client does, not completed yet: a PENDING asset. */
async function uploadedImage(world: ExampleWorld): Promise<string> {
  const bytes = await tinyPng();
  const data = await world.owner.client.data(
    `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) { createMediaUpload(orgId: $orgId, input: $input) { asset { id } uploadUrl uploadMethod uploadHeaders } }`,
    {
      orgId: world.organization.id,
      input: {
        filename: 'logo.png',
        contentType: 'image/png',
        byteSize: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        alt: 'The Token Nexus logo',
      },
    },
  );
  const upload = data.createMediaUpload;
  const put = await fetch(upload.uploadUrl, { method: upload.uploadMethod, headers: upload.uploadHeaders, body: bytes });
  if (!put.ok) throw new Error(`the upload's PUT answered ${put.status}: ${await put.text()}`);
  return upload.asset.id;
}

/** An image uploaded, completed and processed: a READY asset. */
async function readyImage(world: ExampleWorld): Promise<string> {
  const id = await uploadedImage(world);
  await world.owner.client.data(`mutation ($id: ID!) { completeMediaUpload(id: $id) { id } }`, { id });
  await until(
    async () => (await world.owner.client.data(`query ($id: ID!) { mediaAsset(id: $id) { status rejectionReason } }`, { id })).mediaAsset,
    (asset) => asset.status === 'READY',
    'the image becoming READY',
  );
  return id;
}

/** The seed of every example that needs one, by its field; the others run as documented. */
export const exampleSeeds: Record<string, Seed> = {
  // identity
  'Query.organization': async (world) => ({ variables: { slug: world.organization.slug } }),
  'Query.publicOrganization': async (world) => ({ variables: { slug: world.organization.slug } }),
  'Query.dashboardLayout': async (world) => {
    // A member of their own, whose first save does not race the saveDashboardLayout example's.
    const viewer = await member(world);
    await viewer.client.data(
      `mutation ($orgId: ID!, $layouts: JSON!, $widgets: JSON!) { saveDashboardLayout(orgId: $orgId, layouts: $layouts, widgets: $widgets) { version } }`,
      {
        ...orgId(world),
        layouts: { lg: [{ i: 'members', x: 0, y: 0, w: 6, h: 4 }] },
        widgets: [{ id: 'members', type: 'metric', title: 'Members', config: { metric: 'members.count', chart: 'line', range: '30d' } }],
      },
    );
    return { variables: orgId(world), as: viewer };
  },
  'Mutation.signUp': async () => ({ variables: { input: { email: `ada-${unique()}@example.com` } } }),
  'Mutation.logIn': async (world) => ({ variables: { input: { email: (await signUpUser(world.graph.client)).email } } }),
  'Mutation.refreshSession': async (world) => ({ variables: { refreshToken: (await signUpUser(world.graph.client)).refreshToken } }),
  'Mutation.logOut': async (world) => ({ variables: { refreshToken: (await signUpUser(world.graph.client)).refreshToken } }),
  'Mutation.createOrganization': async () => ({ variables: { input: { slug: `acme-${unique()}` } } }),
  'Mutation.updateOrganization': async (world) => ({ variables: { id: world.organization.id } }),
  'Mutation.addMember': async (world) => ({ variables: { ...orgId(world), email: (await signUpUser(world.graph.client)).email } }),
  'Mutation.updateMemberRole': async (world) => ({ variables: { ...orgId(world), userId: (await member(world)).id } }),
  'Mutation.removeMember': async (world) => ({ variables: { ...orgId(world), userId: (await member(world)).id } }),
  'Mutation.saveDashboardLayout': async (world) => ({ variables: orgId(world) }),
  // audit
  'Query.auditLogs': async (world) => ({ variables: orgId(world) }),
  'Query.auditReport': async (world) => ({
    variables: { ...orgId(world), from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() },
  }),
  'Query.verifyAuditChain': async (world) => ({ variables: orgId(world) }),
  'Query.auditExport': async (world) => {
    const data = await world.owner.client.data(`mutation ($orgId: ID!) { exportAuditLogs(orgId: $orgId, format: NDJSON) { id } }`, orgId(world));
    return { variables: { id: data.exportAuditLogs.id } };
  },
  'Query.securityEvents': async (world) => ({
    variables: { ...orgId(world), from: new Date(Date.now() - 7 * day).toISOString(), to: new Date(Date.now() + day).toISOString() },
  }),
  'Mutation.exportAuditLogs': async (world) => ({ variables: orgId(world) }),
  'Subscription.auditEntryAdded': async (world) => ({
    variables: orgId(world),
    trigger: async () => {
      await member(world);
    },
  }),
  // cms
  'Query.page': async (world) => ({ variables: { id: (await page(world)).id } }),
  'Query.pages': async (world) => ({ variables: orgId(world) }),
  'Query.publishedPage': async (world) => ({ variables: { orgSlug: world.organization.slug, slug: (await publishedPage(world)).slug } }),
  'Query.pageRevisions': async (world) => ({ variables: { pageId: (await publishedPage(world)).id } }),
  'Query.components': async (world) => ({ variables: orgId(world) }),
  'Query.templates': async (world) => ({ variables: orgId(world) }),
  'Query.pageOperations': async (world) => ({ variables: { pageId: (await page(world)).id } }),
  'Query.pagePresence': async (world) => ({ variables: { pageId: (await joinedSession(world)).pageId } }),
  'Mutation.createPage': async (world) => ({ variables: { input: { orgId: world.organization.id, slug: `pricing-${unique()}` } } }),
  'Mutation.createPageTranslation': async (world) => ({ variables: { pageId: (await page(world)).id } }),
  'Mutation.updateSiteSettings': async (world) => ({ variables: orgId(world) }),
  'Query.siteSettings': async (world) => ({ variables: orgId(world) }),
  'Mutation.updatePage': async (world) => ({ variables: { id: (await page(world)).id } }),
  'Mutation.publishPage': async (world) => ({ variables: { id: (await page(world)).id } }),
  'Mutation.schedulePagePublication': async (world) => ({
    variables: { id: (await page(world)).id, publishAt: new Date(Date.now() + day).toISOString(), unpublishAt: new Date(Date.now() + 8 * day).toISOString() },
  }),
  'Mutation.unpublishPage': async (world) => ({ variables: { id: (await publishedPage(world)).id } }),
  'Mutation.archivePage': async (world) => ({ variables: { id: (await page(world)).id } }),
  'Mutation.restorePageRevision': async (world) => ({ variables: { pageId: (await publishedPage(world)).id } }),
  'Mutation.startPageExperiment': async (world) => ({ variables: { pageId: (await publishedPage(world)).id } }),
  'Query.pageExperiment': async (world) => ({ variables: { pageId: (await experimentPage(world)).id } }),
  'Mutation.endPageExperiment': async (world) => ({ variables: { pageId: (await experimentPage(world)).id } }),
  'Mutation.createComponent': async (world) => ({ variables: { input: { orgId: world.organization.id, name: `CallToAction${unique()}` } } }),
  'Mutation.updateComponent': async (world) => ({ variables: { id: world.hero.id } }),
  'Mutation.createTemplate': async (world) => ({ variables: { input: orgId(world) } }),
  'Mutation.submitForm': async (world) => ({ variables: { orgSlug: world.organization.slug, pageSlug: (await contactPage(world)).slug } }),
  'Query.formSubmissions': async (world) => {
    await lead(world);
    return { variables: { ...orgId(world), from: new Date(Date.now() - day).toISOString() } };
  },
  'Mutation.exportFormSubmissions': async (world) => {
    await lead(world);
    return { variables: orgId(world) };
  },
  'Mutation.deleteFormSubmission': async (world) => ({ variables: { id: await lead(world) } }),
  'Mutation.joinPageSession': async (world) => ({ variables: { pageId: (await page(world)).id } }),
  'Mutation.submitPageOperations': async (world) => ({ variables: { pageId: (await page(world)).id, submissionId: randomUUID() } }),
  'Mutation.updatePresence': async (world) => ({ variables: await joinedSession(world) }),
  'Mutation.leavePageSession': async (world) => ({ variables: await joinedSession(world) }),
  'Subscription.pageEvents': async (world) => {
    const session = await joinedSession(world);
    return {
      variables: session,
      trigger: async () => {
        await world.owner.client.data(
          `mutation ($pageId: ID!, $operations: [JSON!]!) { submitPageOperations(pageId: $pageId, baseVersion: 1, operations: $operations) { version } }`,
          { pageId: session.pageId, operations: [['children', 0, 'props', 'title', { r: true, i: 'Live' }]] },
        );
      },
    };
  },
  // tokens
  'Query.token': async (world) => ({ variables: { id: await draftToken(world) } }),
  'Query.tokens': async (world) => ({ variables: orgId(world) }),
  'Mutation.createToken': async (world) => ({ variables: { input: { ...orgId(world), chainId: world.chainId } } }),
  'Mutation.deployToken': async (world) => ({ variables: { id: await draftToken(world) } }),
  'Mutation.mintTokens': async (world) => ({ variables: { tokenId: await draftToken(world) } }),
  'Mutation.transferTokens': async (world) => ({ variables: { tokenId: await draftToken(world) } }),
  'Mutation.burnTokens': async (world) => ({ variables: { tokenId: await draftToken(world) } }),
  'Mutation.pauseToken': async (world) => ({ variables: { id: await draftToken(world) } }),
  'Mutation.resumeToken': async (world) => ({ variables: { id: await draftToken(world) } }),
  'Mutation.retireToken': async (world) => ({ variables: { id: await draftToken(world) } }),
  'Mutation.createChain': async (world) => ({ as: world.admin, variables: { input: { chainId: 3_000_000 + Number.parseInt(unique().slice(0, 5), 16) } } }),
  'Mutation.updateChain': async (world) => ({ as: world.admin, variables: { chainId: world.chainId } }),
  'Mutation.deployTokenFactory': async (world) => ({ as: world.admin, variables: { chainId: String(world.chainId) } }),
  'Mutation.importToken': async (world) => ({ variables: { ...orgId(world), chainId: String(world.chainId) } }),
  'Subscription.chainStatusChanged': async (world) => ({
    variables: { chainId: String(world.chainId) },
    trigger: async () => {
      await world.admin.client.data(`mutation ($chainId: Int!) { updateChain(chainId: $chainId, input: { confirmations: 2 }) { chainId } }`, {
        chainId: world.chainId,
      });
    },
  }),
  'Subscription.tokenEvents': async (world) => {
    const id = await draftToken(world);
    return {
      variables: orgId(world),
      trigger: async () => {
        await world.owner.client.data(`mutation ($id: ID!) { retireToken(id: $id) { id } }`, { id });
      },
    };
  },
  // ai
  'Query.aiConversation': async (world) => ({ variables: { id: await conversation(world) } }),
  'Query.aiConversations': async (world) => ({ variables: orgId(world) }),
  'Query.aiSettings': async (world) => ({ variables: orgId(world) }),
  'Query.aiUsage': async (world) => ({ variables: orgId(world) }),
  'Mutation.createAiConversation': async (world) => ({ variables: { input: orgId(world) } }),
  'Mutation.updateAiConversation': async (world) => ({ variables: { id: await conversation(world) } }),
  'Mutation.sendAiMessage': async (world) => {
    world.ai.script({ reply: 'Two of them: NXC and NXP.' });
    return { variables: { conversationId: await conversation(world) } };
  },
  'Mutation.cancelAiMessage': async (world) => {
    // A long, slow reply, still being written when the example cancels it.
    world.ai.script({ reply: 'word '.repeat(200), chunkSize: 5, delayMs: 50 });
    return { variables: { id: await sendMessage(world, await conversation(world)) } };
  },
  'Mutation.updateAiSettings': async (world) => ({ variables: orgId(world) }),
  'Subscription.aiMessageStream': async (world) => {
    const conversationId = await conversation(world);
    return {
      variables: { conversationId },
      trigger: async () => {
        world.ai.script({ reply: 'Hello there.' });
        await sendMessage(world, conversationId);
      },
    };
  },
  // integrations
  'Query.webhookEndpoints': async (world) => ({ variables: orgId(world) }),
  'Query.webhookEndpoint': async (world) => ({ variables: { id: await endpoint(world) } }),
  'Query.apiKeys': async (world) => ({ variables: orgId(world) }),
  'Query.oauthApps': async (world) => ({ variables: orgId(world) }),
  'Query.oauthAuthorizationRequest': async (world) => ({ variables: { clientId: (await oauthApp(world)).clientId } }),
  'Mutation.createWebhookEndpoint': async (world) => ({ variables: { input: orgId(world) } }),
  'Mutation.updateWebhookEndpoint': async (world) => ({ variables: { id: await endpoint(world) } }),
  'Mutation.rotateWebhookSecret': async (world) => ({ variables: { id: await endpoint(world) } }),
  'Mutation.deleteWebhookEndpoint': async (world) => ({ variables: { id: await endpoint(world) } }),
  'Mutation.testWebhook': async (world) => ({ variables: { endpointId: await endpoint(world, `${world.receiver.url}/hooks`) } }),
  'Mutation.replayWebhookDelivery': async (world) => {
    // A dead letter is a delivery whose every attempt failed; the test's receiver answers
    // them all, so the delivery is marked dead directly.
    const { deliveryId } = await testDelivery(world);
    await world.db.query(`UPDATE integrations.webhook_deliveries SET status = 'DEAD' WHERE id = $1`, [deliveryId]);
    return { variables: { id: deliveryId } };
  },
  'Mutation.createApiKey': async (world) => ({ variables: { input: orgId(world) } }),
  'Mutation.rotateApiKey': async (world) => ({ variables: { id: await apiKey(world) } }),
  'Mutation.revokeApiKey': async (world) => ({ variables: { id: await apiKey(world) } }),
  'Mutation.registerOAuthApp': async (world) => ({ variables: { input: orgId(world) } }),
  'Mutation.updateOAuthApp': async (world) => ({ variables: { id: (await oauthApp(world)).id } }),
  'Mutation.rotateOAuthClientSecret': async (world) => ({ variables: { id: (await oauthApp(world)).id } }),
  'Mutation.revokeOAuthApp': async (world) => ({ variables: { id: (await oauthApp(world)).id } }),
  'Mutation.authorizeOAuthApp': async (world) => ({ variables: { input: { clientId: (await oauthApp(world)).clientId } } }),
  'Mutation.revokeOAuthConsent': async (world) => ({ variables: { appId: (await consentedApp(world)).id } }),
  // analytics
  'Query.metricSummary': async (world) => ({ variables: orgId(world) }),
  'Query.metricSeries': async (world) => ({
    variables: { ...orgId(world), from: new Date(Date.now() - 30 * day).toISOString(), to: new Date().toISOString() },
  }),
  'Query.operationPerformance': async (world) => ({ variables: orgId(world) }),
  'Query.serviceLevel': async (world) => ({ variables: orgId(world) }),
  'Mutation.trackEvent': async (world) => ({
    variables: { input: { orgSlug: world.organization.slug, pageSlug: (await publishedPage(world)).slug } },
  }),
  'Subscription.metricUpdated': async (world) => ({
    variables: orgId(world),
    trigger: async () => {
      await member(world);
    },
  }),
  // workflows
  'Query.workflows': async (world) => ({ variables: orgId(world) }),
  'Query.workflow': async (world) => ({ variables: { id: await workflow(world) } }),
  'Mutation.createWorkflow': async (world) => ({ variables: orgId(world) }),
  'Mutation.updateWorkflow': async (world) => ({ variables: { id: await workflow(world) } }),
  'Mutation.setWorkflowEnabled': async (world) => ({ variables: { id: await workflow(world) } }),
  'Mutation.deleteWorkflow': async (world) => ({ variables: { id: await workflow(world) } }),
  'Query.workflowRuns': async (world) => ({ variables: { ...orgId(world), workflowId: (await succeededRun(world)).workflowId } }),
  'Query.workflowRun': async (world) => ({ variables: { id: (await succeededRun(world)).runId } }),
  'Mutation.runWorkflow': async (world) => ({ variables: { id: await quickWorkflow(world) } }),
  'Mutation.cancelWorkflowRun': async (world) => ({ variables: { id: await waitingRun(world) } }),
  'Mutation.retryWorkflowRun': async (world) => ({ variables: { id: await failedRun(world) } }),
  'Subscription.workflowRunUpdated': async (world) => {
    const workflowId = await quickWorkflow(world);
    return {
      variables: { ...orgId(world), workflowId },
      trigger: async () => {
        await startRun(world, workflowId);
      },
    };
  },
  // media
  'Query.mediaAssets': async (world) => {
    await readyImage(world);
    return { variables: orgId(world) };
  },
  'Query.mediaAsset': async (world) => ({ variables: { id: await readyImage(world) } }),
  'Mutation.createMediaUpload': async (world) => ({ variables: orgId(world) }),
  'Mutation.completeMediaUpload': async (world) => ({ variables: { id: await uploadedImage(world) } }),
  'Mutation.updateMediaAsset': async (world) => ({ variables: { id: await readyImage(world) } }),
  'Mutation.deleteMediaAsset': async (world) => ({ variables: { id: await readyImage(world) } }),
  'Subscription.mediaAssetUpdated': async (world) => {
    const id = await readyImage(world);
    return {
      variables: orgId(world),
      trigger: async () => {
        await world.owner.client.data(`mutation ($id: ID!) { updateMediaAsset(id: $id, input: { title: "Logo" }) { id } }`, { id });
      },
    };
  },
};
