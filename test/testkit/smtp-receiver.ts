import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the server took it: the envelope, and the message parsed by mailparser. */
export interface ReceivedMail {
  /** Who logged in to send it. */
  user: string | undefined;
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
}

/** An SMTP reply refusing the message at the end of DATA, e.g. `{ code: 550, text: '…' }`. */
export interface SmtpRefusal {
  code: number;
  text: string;
}

/** A real SMTP server standing in for the platform's relay. */
export interface SmtpReceiver {
  /** `smtp://user:pass@127.0.0.1:port` (credentials percent-encoded). */
  url: string;
  port: number;
  /** Every message the server accepted, in order. */
  received: ReceivedMail[];
  /** What the server answers to the next messages, in order; it accepts once empty. */
  refusals: SmtpRefusal[];
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on a free port of 127.0.0.1 that requires logging in as
 * `user`/`pass` and keeps what it is sent. No STARTTLS: the test certificate it would
 * offer is not trusted, and the loopback needs no encryption.
 */
export async function startSmtpReceiver({ user, pass }: { user: string; pass: string }): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const refusals: SmtpRefusal[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        const refusal = refusals.shift();
        if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
        received.push({
          user: typeof session.user === 'string' ? session.user : undefined,
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          },
          parsed,
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    port,
    received,
    refusals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
