import type { Transporter } from 'nodemailer';
import type { Logger } from '../support/logger';
import { nodemailer } from '../support/optional-deps';

export interface InvitationLetter {
  to: string;
  url: string;
  workspaceName: string;
  role: string;
  expiresAt: Date;
}

/**
 * Mails invitation links over SMTP when `MASK_SMTP_URL` is set. Sending never decides whether an invitation exists:
 * the invitation is created first and its link is answered to the inviter either way; a failure is logged and
 * reported as `mailed: false`.
 */
export class InvitationMailer {
  private readonly transport: Transporter | null;
  private readonly from: string | null;

  constructor(
    smtp: { url?: string; from?: string },
    private readonly logger: Logger,
  ) {
    this.from = smtp.from ?? null;
    // Short timeouts: the inviter's request waits for the answer of the mail server.
    this.transport = smtp.url ? nodemailer().createTransport({ url: smtp.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** True when the mail server accepted the message; false when SMTP is not configured or sending failed. */
  async send(letter: InvitationLetter): Promise<boolean> {
    if (!this.transport || !this.from) return false;
    try {
      await this.transport.sendMail({
        from: this.from,
        to: letter.to,
        subject: `You are invited to ${letter.workspaceName} on MASK`,
        text: [
          `You have been invited to join ${letter.workspaceName} on MASK as ${letter.role}.`,
          '',
          'Open this link to accept (it works once):',
          letter.url,
          '',
          `The link expires on ${letter.expiresAt.toISOString()}.`,
        ].join('\n'),
      });
      return true;
    } catch (error) {
      this.logger.warn({ err: error, to: letter.to }, 'mailing an invitation failed; the link was still answered to the inviter');
      return false;
    }
  }

  close(): void {
    this.transport?.close();
  }
}
