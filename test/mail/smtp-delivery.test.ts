import { createServer, type Server, type Socket } from 'node:net';
import {
  createLogger,
  createSmtpMailer,
  MailDeliveryError,
  membershipInvitation,
  sendMailJobRun,
  type MailJobPayload,
  type Mailer,
  type MembershipInvitation,
} from '@token-nexus/shared';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { closedPort } from '../testkit/ports.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../testkit/smtp-receiver.ts';

/**
 * The SMTP mailer against a real SMTP server on the loopback that requires a login, as a
 * relay does. What arrives is parsed with mailparser, as a mail client would read it.
 */
const user = 'relay-user@example.com';
const pass = 'p@ss word:with/odd characters';
const from = 'Token Nexus <no-reply@tokens.example.com>';
let receiver: SmtpReceiver;
let mailer: Mailer;
beforeAll(async () => {
  receiver = await startSmtpReceiver({ user, pass });
  mailer = createSmtpMailer({ url: receiver.url, from });
});
afterAll(async () => {
  await mailer?.close();
  await receiver?.close();
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.refusals.length = 0;
});

const invitation: MembershipInvitation = {
  to: 'alice@example.com',
  organizationName: '<script>alert("x")</script> & Co',
  role: 'ADMIN',
  invitedBy: 'Bob <bob@example.com>',
  dashboardUrl: 'https://app.example.com/orgs/1',
};

/** The MailDeliveryError `send` rejects with (fails the test when it resolves or rejects otherwise). */
async function deliveryErrorOf(sending: Promise<unknown>): Promise<MailDeliveryError> {
  const error = await sending.then(
    () => new Error('expected the send to fail'),
    (reason: unknown) => reason,
  );
  if (error instanceof MailDeliveryError) return error;
  throw error;
}

describe('sending through SMTP', () => {
  test('delivers an invitation, logged in, with the platform as sender and escaped html beside the text', async () => {
    const { messageId } = await mailer.send(membershipInvitation(invitation));

    expect(receiver.received).toHaveLength(1);
    const [mail] = receiver.received;
    expect(mail!.user).toBe(user);
    expect(mail!.envelope).toEqual({ from: 'no-reply@tokens.example.com', to: ['alice@example.com'] });
    const { parsed } = mail!;
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.from?.value).toEqual([{ name: 'Token Nexus', address: 'no-reply@tokens.example.com' }]);
    expect(parsed.to).toMatchObject({ value: [{ address: 'alice@example.com' }] });
    expect(parsed.subject).toBe('You were added to <script>alert("x")</script> & Co on Token Nexus');
    expect(parsed.text).toContain('Bob <bob@example.com> added you to the organization <script>alert("x")</script> & Co as admin.');
    expect(parsed.html).toContain('<strong>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</strong>');
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.html).toContain('<a href="https://app.example.com/orgs/1">');
  });

  test('reports a 550 refusal as permanent, with its code', async () => {
    receiver.refusals.push({ code: 550, text: 'Mailbox unavailable' });
    const error = await deliveryErrorOf(mailer.send(membershipInvitation(invitation)));
    expect(error.permanent).toBe(true);
    expect(error.responseCode).toBe(550);
    expect(error.message).toContain('Mailbox unavailable');
    expect(receiver.received).toHaveLength(0);
  });

  test('reports a 451 refusal as transient', async () => {
    receiver.refusals.push({ code: 451, text: 'Try again later' });
    const error = await deliveryErrorOf(mailer.send(membershipInvitation(invitation)));
    expect(error.permanent).toBe(false);
    expect(error.responseCode).toBe(451);
  });

  test('reports a refused login as transient: the credentials are wrong, not the message', async () => {
    const wrongPassword = createSmtpMailer({ url: receiver.url.replace(encodeURIComponent(pass), 'wrong'), from });
    try {
      const error = await deliveryErrorOf(wrongPassword.send(membershipInvitation(invitation)));
      expect(error.permanent).toBe(false);
      expect(error.responseCode).toBe(535);
    } finally {
      await wrongPassword.close();
    }
    expect(receiver.received).toHaveLength(0);
  });

  test('reports a closed port as transient', async () => {
    const nowhere = createSmtpMailer({ url: `smtp://127.0.0.1:${await closedPort()}`, from });
    try {
      const error = await deliveryErrorOf(nowhere.send(membershipInvitation(invitation)));
      expect(error.permanent).toBe(false);
      expect(error.responseCode).toBeUndefined();
    } finally {
      await nowhere.close();
    }
  });

  test('gives up on a server that never greets as transient, within the timeout the URL sets', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const mute = createSmtpMailer({ url: `smtp://127.0.0.1:${port}/?greetingTimeout=300`, from });
    try {
      const started = Date.now();
      const error = await deliveryErrorOf(mute.send(membershipInvitation(invitation)));
      expect(error.permanent).toBe(false);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await mute.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('the mail.send job', () => {
  const logger = createLogger('mail-test', 'silent');
  /** The job's run on the suite's mailer, which exists once beforeAll has run. */
  const run = (payload: MailJobPayload) => sendMailJobRun(mailer, logger)(payload);

  test('sends the message its payload names', async () => {
    await run({ template: 'membershipInvitation', data: invitation });
    expect(receiver.received.map((mail) => mail.parsed.subject)).toEqual([
      'You were added to <script>alert("x")</script> & Co on Token Nexus',
    ]);
  });

  test('ends normally on a permanent refusal, so the job is not retried', async () => {
    receiver.refusals.push({ code: 554, text: 'Transaction failed' });
    await expect(run({ template: 'membershipInvitation', data: invitation })).resolves.toBeUndefined();
    expect(receiver.received).toHaveLength(0);
  });

  test('ends normally on a payload that cannot make a safe message', async () => {
    const data = { ...invitation, to: 'alice@example.com\r\nBcc: everyone@example.com' };
    await expect(run({ template: 'membershipInvitation', data })).resolves.toBeUndefined();
    expect(receiver.received).toHaveLength(0);
  });

  test('fails the attempt on a transient refusal, so the job runner tries again, and then delivers', async () => {
    receiver.refusals.push({ code: 421, text: 'Service not available' });
    await expect(run({ template: 'membershipInvitation', data: invitation })).rejects.toMatchObject({
      name: 'MailDeliveryError',
      permanent: false,
    });
    await run({ template: 'membershipInvitation', data: invitation });
    expect(receiver.received).toHaveLength(1);
  });

  test('fails the attempt on a template this version does not know, for a newer worker to send', async () => {
    const fromNewerVersion = { template: 'weeklyDigest', data: {} } as never;
    await expect(run(fromNewerVersion)).rejects.toThrow('Unknown mail template: weeklyDigest');
  });
});
