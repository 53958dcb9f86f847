import { createHmac } from 'node:crypto';

/** `X-Wangge-Signature` of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body with the channel's secret. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * A DingTalk robot's signed URL (加签): `timestamp` (ms) and `sign`, the URL-encoded base64
 * HMAC-SHA256 of `timestamp + "\n" + secret` with the secret, added to the robot's webhook URL.
 */
export function dingTalkSignedUrl(target: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
  const url = new URL(target);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', sign);
  return url.toString();
}

/** A target as answers and the audit show it: the values of its query (a robot's key or token) hidden. */
export function maskTarget(target: string): string {
  if (!/^https?:\/\//.test(target)) return target;
  try {
    const url = new URL(target);
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, '***');
    if (url.password) url.password = '***';
    return url.toString().replace(/%2A%2A%2A/g, '***');
  } catch {
    return target;
  }
}
