import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The completion callback's credential: an HMAC of our recording id under our secret, sent by the
 * vendor as `Authorization: Bearer <token>` (its notification auth_headers). It is fixed at submit
 * time, before the vendor's job id exists, so it signs the recording, which the callback URL names.
 * A forged callback cannot name a recording it has no token for; a genuine one only triggers a
 * status read at the vendor, so a replay does no harm.
 */
export function callbackToken(secret: string, recordingId: string): string {
  return createHmac('sha256', secret).update(`transcription-callback:${recordingId}`).digest('base64url');
}

export function callbackTokenValid(secret: string, recordingId: string, authorization: string | undefined): boolean {
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!given) return false;
  const want = Buffer.from(callbackToken(secret, recordingId));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}
