import { Inject, Injectable } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@wangge/config';
import type { DeliveryKind } from '../notification-event';
import { headline, markdownOf, textOf, type OutgoingMessage } from './message';
import { dingTalkSignedUrl, webhookSignature } from './signatures';

/** One destination of a delivery. */
export interface Destination {
  kind: Exclude<DeliveryKind, 'inbox'>;
  target: string;
  secret: string | null;
}

/** A destination refused or did not answer in time: the delivery is tried again later. */
export class DeliveryFailed extends Error {}

/**
 * Sends a message to one destination, each in its documented format, within NOTIFY_TIMEOUT_MS:
 * webhook (JSON, `X-Wangge-Signature`), WeCom group robot (`msgtype: markdown`), DingTalk group
 * robot (`msgtype: markdown`, signed URL when the channel has a secret), email over SMTP_URL.
 */
@Injectable()
export class ChannelSender {
  private mailer: Transporter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(to: Destination, message: OutgoingMessage, now: Date): Promise<void> {
    switch (to.kind) {
      case 'webhook': {
        const body = JSON.stringify(message);
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-wangge-event': message.event, 'x-wangge-delivery': message.deliveryId };
        if (to.secret) headers['x-wangge-signature'] = webhookSignature(body, to.secret);
        await this.post(to.target, body, headers, false);
        return;
      }
      case 'wecom':
        await this.post(to.target, JSON.stringify({ msgtype: 'markdown', markdown: { content: markdownOf(message) } }), { 'content-type': 'application/json' }, true);
        return;
      case 'dingtalk': {
        const url = to.secret ? dingTalkSignedUrl(to.target, to.secret, now.getTime()) : to.target;
        const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: headline(message), text: markdownOf(message) } });
        await this.post(url, body, { 'content-type': 'application/json' }, true);
        return;
      }
      case 'email':
        await this.email(to.target, message);
        return;
    }
  }

  /** POST within the timeout; robots answer 200 with `errcode` (0: taken). */
  private async post(url: string, body: string, headers: Record<string, string>, robot: boolean): Promise<void> {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(this.config.notify.timeoutMs) });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${this.config.notify.timeoutMs} ms` : errorText(err);
      throw new DeliveryFailed(reason);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new DeliveryFailed(`HTTP ${res.status} ${text.slice(0, 200)}`.trim());
    if (robot) {
      const errcode = robotErrcode(text);
      if (errcode !== 0) throw new DeliveryFailed(`robot refused: ${text.slice(0, 200)}`);
    }
  }

  private async email(to: string, message: OutgoingMessage): Promise<void> {
    if (!this.config.notify.smtpUrl) throw new DeliveryFailed('SMTP_URL is not set: email is not sent');
    const timeout = this.config.notify.timeoutMs;
    const url = new URL(this.config.notify.smtpUrl);
    for (const [key, value] of [['connectionTimeout', timeout], ['greetingTimeout', timeout], ['socketTimeout', timeout]] as const) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
    }
    this.mailer ??= createTransport(url.toString());
    try {
      await this.mailer.sendMail({ from: this.config.notify.smtpFrom, to, subject: `[网格 Wangge] ${headline(message)}`, text: textOf(message) });
    } catch (err) {
      throw new DeliveryFailed(errorText(err));
    }
  }
}

function robotErrcode(text: string): number {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'errcode' in parsed) return Number((parsed as { errcode: unknown }).errcode);
  } catch {
    return -1;
  }
  return -1;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}
