import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEmlFolderMailer,
  MailDeliveryError,
  membershipInvitation,
  webhookEndpointDisabled,
  type MembershipInvitation,
} from '@token-nexus/shared';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

/** The embedded mode's mailer, writing into a temporary folder of each test's own. */
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tnx-mail-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const from = 'Token Nexus <no-reply@localhost>';
const invitationData: MembershipInvitation = {
  to: 'alice@example.com',
  organizationName: 'Acme <Labs>',
  role: 'MEMBER',
  invitedBy: 'Bob',
  dashboardUrl: 'http://127.0.0.1:4000/orgs/acme',
};
const invitation = membershipInvitation(invitationData);

describe('the .eml folder', () => {
  test('writes each message as a file a mail client can read, headers and both parts included', async () => {
    const dir = join(root, 'not', 'there', 'yet');
    const mailer = createEmlFolderMailer({ dir, from });
    const { messageId } = await mailer.send(invitation);
    await mailer.close();

    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[A-Za-z0-9@._-]+\.eml$/);
    const raw = await readFile(join(dir, files[0]!));
    // RFC 5322 line ends, as the message would go over SMTP.
    expect(raw.toString('latin1')).toMatch(/^[^\n]*\r\n/);
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.from?.value).toEqual([{ name: 'Token Nexus', address: 'no-reply@localhost' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'alice@example.com' }] });
    expect(parsed.subject).toBe('You were added to Acme <Labs> on Token Nexus');
    expect(parsed.text).toContain('Bob added you to the organization Acme <Labs> as member.');
    expect(parsed.html).toContain('<strong>Acme &lt;Labs&gt;</strong>');
  });

  test('never overwrites one message with another, even sent at the same moment, and leaves nothing else', async () => {
    const mailer = createEmlFolderMailer({ dir: root, from });
    const notice = webhookEndpointDisabled({
      to: 'admin@example.com',
      organizationName: 'Acme',
      endpointUrl: 'https://hooks.example.com/x',
      reason: 'gone',
      dashboardUrl: 'http://127.0.0.1:4000/orgs/acme/webhooks',
    });
    const sent = await Promise.all([invitation, invitation, notice, notice, invitation].map((message) => mailer.send(message)));

    const files = (await readdir(root)).sort();
    // Five whole messages and nothing else: no temporary file is left behind either.
    expect(files).toHaveLength(5);
    expect(files.every((file) => file.endsWith('.eml') && !file.startsWith('.'))).toBe(true);
    const parsed = await Promise.all(files.map(async (file) => simpleParser(await readFile(join(root, file)))));
    expect(new Set(parsed.map((mail) => mail.messageId))).toEqual(new Set(sent.map((mail) => mail.messageId)));
    expect(parsed.filter((mail) => mail.subject === 'A webhook endpoint of Acme was disabled')).toHaveLength(2);
  });

  test('fails as transient, leaving nothing behind, when the folder cannot be made', async () => {
    // A file where the folder should be.
    const blocked = join(root, 'blocked');
    await writeFile(blocked, 'not a folder');
    const mailer = createEmlFolderMailer({ dir: join(blocked, 'mail'), from });

    const error = await mailer.send(invitation).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).toMatchObject({ permanent: false });
    expect(await readdir(root)).toEqual(['blocked']);
  });

  test('shows a reader watching the folder only whole .eml files, never one being written', async () => {
    // Large messages take many writes: a file written in place would be seen half done.
    const large = membershipInvitation({ ...invitationData, invitedBy: 'Bob '.repeat(500_000) });
    const mailer = createEmlFolderMailer({ dir: root, from });
    const seen: Promise<string | undefined>[] = [];
    const watcher = watch(root, (_event, file) => {
      if (file?.endsWith('.eml')) {
        seen.push(readFile(join(root, file), 'latin1').then((raw) => (raw.trimEnd().endsWith('--') ? undefined : file)));
      }
    });
    try {
      await Promise.all(Array.from({ length: 4 }, () => mailer.send(large)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      watcher.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect((await Promise.all(seen)).filter(Boolean)).toEqual([]);
  });
});
