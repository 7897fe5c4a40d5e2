import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { TestEngine } from '../../support/engine';
import { signedIn, startAccountsEngine, uniqueEmail } from './helpers';

interface Captured {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server on 127.0.0.1 that takes `mask`/`secret` logins, refuses recipients at bounce.example, and keeps what it receives. */
async function startSmtp(): Promise<{ port: number; messages: Captured[]; close(): Promise<void> }> {
  const messages: Captured[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mask' && auth.password === 'secret') callback(null, { user: 'mask' });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@bounce.example')) callback(new Error('No such mailbox'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The text of a captured message with quoted-printable soft line breaks and escapes undone. */
const decoded = (data: string) => data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('Dashboard accounts: invitation mail over SMTP', () => {
  let t: TestEngine;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  before(async () => {
    smtp = await startSmtp();
    t = await startAccountsEngine({ smtpUrl: `smtp://mask:secret@127.0.0.1:${smtp.port}`, smtpFrom: 'MASK <no-reply@mask.test>' });
  });
  after(async () => {
    await t.stop();
    await smtp.close();
  });

  test('an invitation is mailed to the invitee with its link, and the link is still answered to the inviter', async () => {
    const admin = await signedIn(t, 'admin');
    const email = uniqueEmail('mailed');
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email, role: 'member' } });
    assert.equal(invited.status, 201, invited.text);
    assert.equal(invited.body.mailed, true);
    assert.ok(invited.body.url.startsWith(`${t.baseUrl}/app/invite/`), invited.body.url);
    const message = smtp.messages.find((m) => m.to.includes(email));
    assert.ok(message, `a message to ${email}: ${JSON.stringify(smtp.messages.map((m) => m.to))}`);
    assert.equal(message.from, 'no-reply@mask.test');
    const text = decoded(message.data);
    assert.ok(text.includes(invited.body.url), text);
    assert.match(text, new RegExp(`Subject: You are invited to ${t.workspace.name}`));
  });

  test('a refused send is logged and answered as mailed: false; the invitation stays and its link works', async () => {
    const admin = await signedIn(t, 'admin');
    const email = `nobody.${process.pid}@bounce.example`;
    const invited = await admin.browser.call('POST', '/api/v1/invitations', { body: { email } });
    assert.equal(invited.status, 201, invited.text);
    assert.equal(invited.body.mailed, false);
    const listed = await admin.browser.call('GET', '/api/v1/invitations');
    assert.ok(listed.body.data.some((i: { id: string }) => i.id === invited.body.id));
    const token = new URL(invited.body.url).pathname.split('/').pop() as string;
    const preview = await t.api('GET', `/api/v1/auth/invitations/${token}`, { key: null });
    assert.equal(preview.status, 200, preview.text);
    assert.equal(preview.body.email, email);
  });

  test('an unreachable mail server does not lose the invitation either', async () => {
    const closed = await startSmtp();
    await closed.close();
    const other = await startAccountsEngine({ smtpUrl: `smtp://127.0.0.1:${closed.port}`, smtpFrom: 'no-reply@mask.test' });
    try {
      const invited = await other.api('POST', '/api/v1/invitations', { body: { email: uniqueEmail('down') } });
      assert.equal(invited.status, 201, invited.text);
      assert.equal(invited.body.mailed, false);
      assert.match(invited.body.url, /\/app\/invite\/[A-Za-z0-9_-]+$/);
    } finally {
      await other.stop();
    }
  });

  test('without MASK_SMTP_URL nothing is mailed', async () => {
    const plain = await startAccountsEngine();
    try {
      const invited = await plain.api('POST', '/api/v1/invitations', { body: { email: uniqueEmail('unmailed') } });
      assert.equal(invited.status, 201, invited.text);
      assert.equal(invited.body.mailed, false);
    } finally {
      await plain.stop();
    }
  });
});
