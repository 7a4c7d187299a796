import { createHash, randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { developmentSecrets, mediaPublicGrant, signedClaimsHeaders, type Claims } from '@token-nexus/shared';
import sharp from 'sharp';
import { Webhook } from 'standardwebhooks';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createFolderUrlSigner, type FolderUrlClaims } from '../../subgraphs/media/src/storage/folder-storage.ts';
import { errorCodes } from '../testkit/client.ts';
import { addMember, createOrganization, signUpUser, type SignedUpUser } from '../testkit/seed.ts';
import { subscribeOverWebSocket, webSocketClient } from '../testkit/subscriptions.ts';
import { useTestGraphOnOwnDatabase } from '../testkit/use-test-graph.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testkit/webhook-receiver.ts';

// Media's refusals, end to end through the gateway on the embedded folder storage. On a
// database of this file's own: its quota and size limit must not meet another file's
// uploads, and every graph on a database runs the processing jobs queued there (another
// graph would look for these uploads in its own folder).

const maxBytes = 600_000;
const quotaBytes = 1_000_000;
const mediaDir = join(tmpdir(), `tnx-test-media-security-${randomUUID()}`);

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const fixture = useTestGraphOnOwnDatabase(() => ({
  MEDIA_DIR: mediaDir,
  MEDIA_MAX_BYTES: String(maxBytes),
  MEDIA_ORG_QUOTA_BYTES: String(quotaBytes),
  WEBHOOK_ALLOW_LIST: `127.0.0.1:${receiver.port}`,
  WEBHOOK_DISPATCH_INTERVAL_MS: '100',
}));

const createUpload = `mutation ($orgId: ID!, $input: CreateMediaUploadInput!) {
  createMediaUpload(orgId: $orgId, input: $input) { uploadUrl uploadMethod uploadHeaders expiresAt alreadyStored asset { id status } }
}`;
const complete = `mutation ($id: ID!) { completeMediaUpload(id: $id) { id status } }`;
const read = `query ($id: ID!) { mediaAsset(id: $id) { id filename contentType status rejectionReason url variants { name url } } }`;

interface Started {
  uploadUrl: string;
  uploadMethod: string;
  uploadHeaders: Record<string, string>;
  alreadyStored: boolean;
  asset: { id: string; status: string };
}

interface Asset {
  id: string;
  filename: string;
  contentType: string;
  status: string;
  rejectionReason: string | null;
  url: string | null;
  variants: { name: string; url: string }[];
}

interface Declared {
  filename: string;
  contentType: string;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** A PDF as file-type recognises one, `size` bytes long, different for each `seed`. */
function pdf(size: number, seed = randomUUID()): Buffer {
  const head = Buffer.from(`%PDF-1.7\n% ${seed}\n`);
  const tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x20), tail]);
}

const png = () => sharp({ create: { width: 12, height: 8, channels: 3, background: '#3a6' } }).png().toBuffer();

async function startUpload(user: SignedUpUser, orgId: string, bytes: Buffer, declared: Declared, byteSize = bytes.length): Promise<Started> {
  const data = await user.client.data(createUpload, { orgId, input: { ...declared, byteSize, sha256: sha256(bytes) } });
  return data.createMediaUpload as Started;
}

async function send(started: Started, body: Buffer, headers = started.uploadHeaders) {
  return fetch(started.uploadUrl, { method: started.uploadMethod, headers, body });
}

/** Reads the asset until processing has settled it (READY, REJECTED or FAILED). */
async function settled(user: SignedUpUser, id: string): Promise<Asset> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const asset = (await user.client.data(read, { id })).mediaAsset as Asset;
    if (!['PENDING', 'PROCESSING'].includes(asset.status) || Date.now() > deadline) return asset;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Uploads as a client does (ask, PUT straight to storage, complete) and waits until processed. */
async function upload(user: SignedUpUser, orgId: string, bytes: Buffer, declared: Declared): Promise<Asset> {
  const started = await startUpload(user, orgId, bytes, declared);
  const stored = await send(started, bytes);
  expect(stored.status, await stored.text()).toBe(200);
  await user.client.data(complete, { id: started.asset.id });
  return settled(user, started.asset.id);
}

async function ownerOfNewOrganization() {
  const owner = await signUpUser(fixture.graph.client);
  const organization = await createOrganization(owner);
  return { owner, orgId: organization.id };
}

const folderUrls = createFolderUrlSigner(developmentSecrets.mediaUrlSecret);

/** A folder-storage URL signed with the graph's secret (the development one), valid for `seconds` (negative: expired). */
function signedUrl(base: string, claims: Omit<FolderUrlClaims, 'expires'>, seconds: number): string {
  const signed: FolderUrlClaims = { ...claims, expires: String(Math.floor(Date.now() / 1000) + seconds) };
  const query = new URLSearchParams({ op: signed.op, expires: signed.expires });
  if (signed.type !== null) query.set('type', signed.type);
  if (signed.size !== null) query.set('size', signed.size);
  if (signed.filename !== null) query.set('filename', signed.filename);
  query.set('sig', folderUrls.sign(signed));
  return `${new URL(base).origin}/media/files/${signed.key}?${query}`;
}

const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice('/media/files/'.length));

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe("another organization's media", () => {
  test('is invisible through the API: mediaAsset null, mediaAssets FORBIDDEN, update, delete and complete NOT_FOUND', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const asset = await upload(owner, orgId, pdf(2_000), { filename: 'plan.pdf', contentType: 'application/pdf' });
    expect(asset.status).toBe('READY');
    const pending = await startUpload(owner, orgId, pdf(2_000), { filename: 'draft.pdf', contentType: 'application/pdf' });
    const { owner: stranger } = await ownerOfNewOrganization();

    expect((await owner.client.data(read, { id: asset.id })).mediaAsset.id).toBe(asset.id);
    expect((await stranger.client.data(read, { id: asset.id })).mediaAsset).toBeNull();
    const list = await stranger.client.request(`query ($orgId: ID!) { mediaAssets(orgId: $orgId) { edges { node { id } } } }`, { orgId });
    expect(errorCodes(list)).toEqual(['FORBIDDEN']);
    const update = await stranger.client.request(`mutation ($id: ID!) { updateMediaAsset(id: $id, input: { alt: "mine" }) { id } }`, { id: asset.id });
    expect(errorCodes(update)).toEqual(['NOT_FOUND']);
    const remove = await stranger.client.request(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: asset.id });
    expect(errorCodes(remove)).toEqual(['NOT_FOUND']);
    const completion = await stranger.client.request(complete, { id: pending.asset.id });
    expect(errorCodes(completion)).toEqual(['NOT_FOUND']);
    // Nothing changed for its owner.
    expect((await owner.client.data(read, { id: pending.asset.id })).mediaAsset.status).toBe('PENDING');
    const alt = await owner.client.data(`query ($id: ID!) { mediaAsset(id: $id) { alt } }`, { id: asset.id });
    expect(alt.mediaAsset.alt).toBe('');
  });

  test('is null through _entities asked of the media subgraph directly, with or without a forged publicGrant', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const asset = await upload(owner, orgId, pdf(2_000), { filename: 'plan.pdf', contentType: 'application/pdf' });
    const other = await upload(owner, orgId, pdf(2_000), { filename: 'other.pdf', contentType: 'application/pdf' });
    const { owner: stranger } = await ownerOfNewOrganization();

    /** `_entities` as the gateway asks it, signed with the graph's (development) secret, for `user`. */
    const entities = async (user: SignedUpUser, representation: Record<string, string>) => {
      const body = JSON.stringify({
        query: `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on MediaAsset { id filename url } } }`,
        variables: { representations: [{ __typename: 'MediaAsset', ...representation }] },
      });
      const claims: Claims = { v: 1, actor: { type: 'user', userId: user.id }, requestId: 'media-entities', clientIp: null, userAgent: null };
      const response = await fetch(fixture.graph.subgraphs.media.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedClaimsHeaders(developmentSecrets.gatewaySigning, claims, body) },
        body,
      });
      const answer = (await response.json()) as { data?: { _entities: ({ id: string; url: string | null } | null)[] }; errors?: unknown[] };
      expect(answer.errors).toBeUndefined();
      return answer.data!._entities[0];
    };

    // Its members resolve it; so does anyone with the grant the cms subgraph makes for a published page's asset.
    expect(await entities(owner, { id: asset.id })).toMatchObject({ id: asset.id, filename: 'plan.pdf' });
    expect(await entities(stranger, { id: asset.id, publicGrant: mediaPublicGrant(developmentSecrets.gatewaySigning, asset.id) })).toMatchObject({ id: asset.id });

    expect(await entities(stranger, { id: asset.id })).toBeNull();
    expect(await entities(stranger, { id: asset.id, publicGrant: 'forged' })).toBeNull();
    expect(await entities(stranger, { id: asset.id, publicGrant: '' })).toBeNull();
    // A real grant, for another asset, is no grant for this one.
    expect(await entities(stranger, { id: asset.id, publicGrant: mediaPublicGrant(developmentSecrets.gatewaySigning, other.id) })).toBeNull();
    // Nor is a grant made with another secret.
    expect(await entities(stranger, { id: asset.id, publicGrant: mediaPublicGrant('not the graph secret, but 32 characters or more', asset.id) })).toBeNull();
  });
});

describe('signed URLs', () => {
  test('a download URL signed for one key is refused for another, and one whose expiry was changed is refused', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const first = await upload(owner, orgId, pdf(2_000), { filename: 'first.pdf', contentType: 'application/pdf' });
    const second = await upload(owner, orgId, pdf(2_000), { filename: 'second.pdf', contentType: 'application/pdf' });
    const { owner: stranger, orgId: strangerOrgId } = await ownerOfNewOrganization();
    const theirs = await upload(stranger, strangerOrgId, pdf(2_000), { filename: 'theirs.pdf', contentType: 'application/pdf' });

    const url = new URL(first.url!);
    expect((await fetch(url)).status).toBe(200);
    for (const otherKey of [keyOf(second.url!), keyOf(theirs.url!)]) {
      const replayed = new URL(url);
      replayed.pathname = `/media/files/${otherKey}`;
      const refused = await fetch(replayed);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ reason: 'signature' });
    }
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 86_400));
    const pushedBack = await fetch(later);
    expect(pushedBack.status).toBe(403);
    expect(await pushedBack.json()).toMatchObject({ reason: 'signature' });
  });

  test('an expired download URL is refused as expired', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const asset = await upload(owner, orgId, pdf(2_000), { filename: 'old.pdf', contentType: 'application/pdf' });
    const claims = { op: 'get' as const, key: keyOf(asset.url!), type: null, size: null, filename: null };
    // Signed as the storage signs: valid while it lasts, so the refusal below is the expiry's.
    expect((await fetch(signedUrl(asset.url!, claims, 60))).status).toBe(200);
    const expired = await fetch(signedUrl(asset.url!, claims, -1));
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ reason: 'expired' });
  });

  test('an expired or altered upload URL stores nothing, and the upload cannot be completed', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const bytes = pdf(3_000);
    const started = await startUpload(owner, orgId, bytes, { filename: 'late.pdf', contentType: 'application/pdf' });
    const key = keyOf(started.uploadUrl);
    const claims = { op: 'put' as const, key, type: 'application/pdf', size: String(bytes.length), filename: null };

    const expired = await fetch(signedUrl(started.uploadUrl, claims, -1), { method: 'PUT', headers: started.uploadHeaders, body: bytes });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ reason: 'expired' });
    // The size, type or key of a real upload URL changed: refused as not signed.
    const altered = (name: string, value: string) => {
      const url = new URL(started.uploadUrl);
      url.searchParams.set(name, value);
      return url;
    };
    for (const url of [altered('size', String(bytes.length + 1)), altered('type', 'text/plain'), altered('op', 'get')]) {
      const refused = await fetch(url, { method: 'PUT', headers: { 'content-type': url.searchParams.get('type')! }, body: bytes });
      expect(refused.status, url.search).toBe(403);
    }
    expect(await exists(join(mediaDir, ...key.split('/')))).toBe(false);
    const completion = await owner.client.request(complete, { id: started.asset.id });
    expect(errorCodes(completion)).toEqual(['BAD_USER_INPUT']);
    expect(completion.errors?.[0]?.message).toMatch(/Nothing was uploaded/);
  });

  test('a filename with ../, a backslash, NUL and a newline is cleaned, in the API and in the download', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const asset = await upload(owner, orgId, pdf(2_000), { filename: '../../etc\\passwd\u0000\r\nreport.pdf', contentType: 'application/pdf' });
    expect(asset.status).toBe('READY');
    expect(asset.filename).toBe('_.._etc_passwd_report.pdf');
    const download = await fetch(asset.url!);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="_.._etc_passwd_report.pdf"; filename*=UTF-8''_.._etc_passwd_report.pdf`);
  });
});

describe('what arrived is checked against what was declared', () => {
  test.each([
    ['PNG bytes declared as a PDF', () => png(), { filename: 'report.pdf', contentType: 'application/pdf' }, /declared application\/pdf, but the bytes are image\/png/],
    [
      'HTML declared as a JPEG',
      async () => Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
      { filename: 'photo.jpg', contentType: 'image/jpeg' },
      /declared image\/jpeg, but the bytes are markup/,
    ],
    [
      'an SVG with a <script>',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'),
      { filename: 'logo.svg', contentType: 'image/svg+xml' },
      /the SVG is not clean: .*<script>/,
    ],
  ])('%s is REJECTED, and its bytes deleted', async (_name, make, declared, reason) => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const bytes = await make();
    const asset = await upload(owner, orgId, bytes, declared);
    expect(asset.status).toBe('REJECTED');
    expect(asset.rejectionReason).toMatch(reason);
    expect(asset.url).toBeNull();
    expect(asset.variants).toEqual([]);
    expect(await exists(join(mediaDir, 'orgs', orgId, 'uploads', sha256(bytes)))).toBe(false);
  });

  test('fewer bytes than declared are refused by the upload URL, and the upload cannot be completed', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const bytes = pdf(5_000);
    const started = await startUpload(owner, orgId, bytes, { filename: 'short.pdf', contentType: 'application/pdf' });
    const short = await send(started, bytes.subarray(0, 4_000));
    expect(short.status).toBe(400);
    const long = await send(started, Buffer.concat([bytes, Buffer.from('more')]));
    expect(long.status).toBe(413);
    const completion = await owner.client.request(complete, { id: started.asset.id });
    expect(errorCodes(completion)).toEqual(['BAD_USER_INPUT']);
  });

  test('other bytes of the declared size are stored by the URL, and REJECTED for their SHA-256', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const declared = pdf(4_000);
    const other = pdf(4_000);
    const started = await startUpload(owner, orgId, declared, { filename: 'swapped.pdf', contentType: 'application/pdf' });
    expect((await send(started, other)).status).toBe(200);
    await owner.client.data(complete, { id: started.asset.id });
    const asset = await settled(owner, started.asset.id);
    expect(asset.status).toBe('REJECTED');
    expect(asset.rejectionReason).toBe(`its SHA-256 is ${sha256(other)}, not the declared ${sha256(declared)}`);
    expect(await exists(join(mediaDir, ...keyOf(started.uploadUrl).split('/')))).toBe(false);
  });
});

describe('limits', () => {
  test('a file over MEDIA_MAX_BYTES is refused before any URL is issued', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const response = await owner.client.request(createUpload, {
      orgId,
      input: { filename: 'huge.pdf', contentType: 'application/pdf', byteSize: maxBytes + 1, sha256: sha256('huge') },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.message).toBe(`input.byteSize: must be from 1 to ${maxBytes} bytes.`);
    expect(response.errors?.[0]?.extensions?.field).toBe('input.byteSize');
  });

  test('an upload over the quota is QUOTA_EXCEEDED before any URL is issued; the same bytes again are not counted, and READY without a second processing', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const first = pdf(450_000);
    const second = pdf(300_000);
    expect((await upload(owner, orgId, first, { filename: 'first.pdf', contentType: 'application/pdf' })).status).toBe('READY');
    expect((await upload(owner, orgId, second, { filename: 'second.pdf', contentType: 'application/pdf' })).status).toBe('READY');

    const tooMuch = pdf(400_000);
    const refused = await owner.client.request(createUpload, {
      orgId,
      input: { filename: 'third.pdf', contentType: 'application/pdf', byteSize: tooMuch.length, sha256: sha256(tooMuch) },
    });
    expect(errorCodes(refused)).toEqual(['QUOTA_EXCEEDED']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ usedBytes: 750_000, quotaBytes });
    expect(refused.data).toBeNull();
    const listed = await owner.client.data(`query ($orgId: ID!) { mediaAssets(orgId: $orgId) { edges { node { filename } } } }`, { orgId });
    expect(listed.mediaAssets.edges.map((edge: { node: { filename: string } }) => edge.node.filename)).toEqual(['second.pdf', 'first.pdf']);

    // 750 KB held + 450 KB would be over 1 MB, but these bytes are held already.
    const again = await startUpload(owner, orgId, first, { filename: 'first again.pdf', contentType: 'application/pdf' });
    expect(again.alreadyStored).toBe(true);
    const completed = await owner.client.data(complete, { id: again.asset.id });
    expect(completed.completeMediaUpload.status).toBe('READY');
    const jobs = await fixture.db.query(`SELECT count(*)::int AS n FROM jobs.jobs WHERE queue = 'media.process' AND payload->>'assetId' = $1`, [again.asset.id]);
    expect(jobs.rows[0].n).toBe(0);
    const asset = (await owner.client.data(read, { id: again.asset.id })).mediaAsset as Asset;
    expect(Buffer.from(await (await fetch(asset.url!)).arrayBuffer()).equals(first)).toBe(true);
  });
  test('bytes the organization holds, declared with another size, are not taken for them: the quota still applies', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const held = pdf(450_000);
    expect((await upload(owner, orgId, held, { filename: 'held.pdf', contentType: 'application/pdf' })).status).toBe('READY');
    expect((await upload(owner, orgId, pdf(300_000), { filename: 'second.pdf', contentType: 'application/pdf' })).status).toBe('READY');
    const declare = (bytes: Buffer, byteSize: number) =>
      owner.client.request(createUpload, { orgId, input: { filename: 'large.pdf', contentType: 'application/pdf', byteSize, sha256: sha256(bytes) } });

    // A READY file's SHA-256 with another size: not the same bytes, so not already stored.
    const sameHash = await declare(held, 1);
    expect(sameHash.errors).toBeUndefined();
    expect(sameHash.data?.createMediaUpload.alreadyStored).toBe(false);
    // A pending upload of 1 byte, then the same SHA-256 at 400 KB: 750 KB held + 400 KB is over 1 MB.
    const large = pdf(400_000);
    expect(errorCodes(await declare(large, 1))).toEqual([]);
    const refused = await declare(large, large.length);
    expect(errorCodes(refused)).toEqual(['QUOTA_EXCEEDED']);
  });
});

describe('roles', () => {
  test('a VIEWER cannot upload', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const viewer = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, viewer, 'VIEWER');
    const response = await viewer.client.request(createUpload, {
      orgId,
      input: { filename: 'a.pdf', contentType: 'application/pdf', byteSize: 10, sha256: sha256('a') },
    });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  test("a MEMBER cannot delete another member's asset; its uploader can, and it is gone with its bytes", async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const uploader = await signUpUser(fixture.graph.client);
    const colleague = await signUpUser(fixture.graph.client);
    await addMember(owner, orgId, uploader, 'MEMBER');
    await addMember(owner, orgId, colleague, 'MEMBER');
    const bytes = pdf(2_000);
    const asset = await upload(uploader, orgId, bytes, { filename: 'mine.pdf', contentType: 'application/pdf' });
    expect(asset.status).toBe('READY');

    const refused = await colleague.client.request(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: asset.id });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect((await colleague.client.data(read, { id: asset.id })).mediaAsset.id).toBe(asset.id);

    expect((await uploader.client.data(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: asset.id })).deleteMediaAsset).toBe(true);
    expect((await uploader.client.data(read, { id: asset.id })).mediaAsset).toBeNull();
    expect((await owner.client.data(read, { id: asset.id })).mediaAsset).toBeNull();
    // The URL given before still checks out, but there is nothing left to serve.
    expect((await fetch(asset.url!)).status).toBe(404);
    expect(await exists(join(mediaDir, 'orgs', orgId, 'uploads', sha256(bytes)))).toBe(false);
  });
});

describe('what others hear of it', () => {
  test('uploads, completions, readiness, rejections and deletions are audited', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const ready = await upload(owner, orgId, pdf(2_000), { filename: 'kept.pdf', contentType: 'application/pdf' });
    const rejected = await upload(owner, orgId, await png(), { filename: 'fake.pdf', contentType: 'application/pdf' });
    expect([ready.status, rejected.status]).toEqual(['READY', 'REJECTED']);
    await owner.client.data(`mutation ($id: ID!) { deleteMediaAsset(id: $id) }`, { id: ready.id });

    const trail = await owner.client.data(
      `query ($orgId: ID!) { auditLogs(orgId: $orgId, filter: { actionPrefix: "media." }, first: 50) { edges { node { action actorType actorId targetId } } } }`,
      { orgId },
    );
    const entries = (trail.auditLogs.edges as { node: { action: string; actorType: string; actorId: string; targetId: string } }[]).map((edge) => edge.node).reverse();
    const of = (id: string) => entries.filter((entry) => entry.targetId === id).map((entry) => [entry.action, entry.actorType]);
    expect(of(ready.id)).toEqual([
      ['media.upload_started', 'USER'],
      ['media.upload_completed', 'USER'],
      ['media.ready', 'SYSTEM'],
      ['media.deleted', 'USER'],
    ]);
    expect(of(rejected.id)).toEqual([
      ['media.upload_started', 'USER'],
      ['media.upload_completed', 'USER'],
      ['media.rejected', 'SYSTEM'],
    ]);
    expect(entries.filter((entry) => entry.actorType === 'USER').every((entry) => entry.actorId === owner.id)).toBe(true);
  });

  test('an endpoint subscribed to media.ready and media.rejected receives both, signed', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const created = await owner.client.data(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
      { input: { orgId, url: `${receiver.url}/media/${orgId}`, eventTypes: ['media.ready', 'media.rejected'] } },
    );
    const secret = created.createWebhookEndpoint.secret as string;
    const ready = await upload(owner, orgId, pdf(2_000), { filename: 'kept.pdf', contentType: 'application/pdf' });
    const rejected = await upload(owner, orgId, await png(), { filename: 'fake.pdf', contentType: 'application/pdf' });

    const deadline = Date.now() + 20_000;
    const mine = () => receiver.requests.filter((request) => request.path === `/media/${orgId}`);
    while (mine().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const payloads = mine().map((request) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    const byType = Object.fromEntries(payloads.map((payload) => [payload.type, payload.data]));
    expect(Object.keys(byType).sort()).toEqual(['media.ready', 'media.rejected']);
    expect(byType['media.ready']).toMatchObject({ assetId: ready.id, filename: 'kept.pdf', contentType: 'application/pdf', kind: 'DOCUMENT' });
    expect(byType['media.rejected']).toMatchObject({ assetId: rejected.id, filename: 'fake.pdf', reason: expect.stringMatching(/image\/png/) });
  });

  test('mediaAssetUpdated over graphql-ws follows an upload from PROCESSING to READY', async () => {
    const { owner, orgId } = await ownerOfNewOrganization();
    const client = webSocketClient(fixture.graph.gateway.url, { token: owner.accessToken });
    try {
      const updates = await subscribeOverWebSocket(client, `subscription ($orgId: ID!) { mediaAssetUpdated(orgId: $orgId) { id status } }`, { orgId });
      // Large enough that its variants take a moment: the PROCESSING notice is read before it is READY.
      const photo = await sharp({ create: { width: 2400, height: 1600, channels: 3, background: '#c84' } }).jpeg().toBuffer();
      const asset = await upload(owner, orgId, photo, { filename: 'photo.jpg', contentType: 'image/jpeg' });
      expect(asset.status).toBe('READY');
      const statuses: string[] = [];
      while (statuses.at(-1) !== 'READY') {
        const event = await updates.next(10_000);
        expect(event.errors).toBeUndefined();
        expect(event.data?.mediaAssetUpdated.id).toBe(asset.id);
        statuses.push(event.data?.mediaAssetUpdated.status);
      }
      // Each notice is read as the asset is when it arrives: the first may already be PROCESSING.
      expect(statuses.filter((status, index) => status !== statuses[index - 1])).toEqual(statuses[0] === 'PENDING' ? ['PENDING', 'PROCESSING', 'READY'] : ['PROCESSING', 'READY']);
      updates.unsubscribe();
    } finally {
      await client.dispose();
    }
  });
});
