/**
 * Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>` with the receiver's shared secret,
 * sent as `x-triguard-signature: sha256=<hex>` beside `x-triguard-timestamp` (Unix seconds), so a
 * receiver can refuse both forged and replayed deliveries. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-triguard-signature';
export const TIMESTAMP_HEADER = 'x-triguard-timestamp';
export const DELIVERY_HEADER = 'x-triguard-delivery';
export const EVENT_HEADER = 'x-triguard-event';

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What a receiver does (and the tests): recompute and compare in constant time. */
export function verify(
  secret: string,
  timestamp: number,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
