// Signing of webhook deliveries, and the check a host platform runs on what it receives: an
// HMAC-SHA256 over "<unix seconds>.<raw body>", sent as `t=<seconds>,v1=<hex>`. The timestamp inside
// the signed text lets a receiver refuse replays of an old delivery.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'vidverify-signature';

const DEFAULT_TOLERANCE_SECONDS = 300;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

function hmacHex(secret: string, timestampSeconds: number, rawBody: string): string {
	return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
}

/** Returns the value of the `vidverify-signature` header for one delivery attempt. */
export function signPayload(secret: string, timestampSeconds: number, rawBody: string): string {
	if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
		throw new TypeError('timestampSeconds must be a non-negative integer');
	}
	return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, rawBody)}`;
}

/**
 * True when the header carries a v1 signature of rawBody made with secret, at a time within
 * toleranceSeconds of now (either side, so a receiver with a fast clock is not locked out). Several v1
 * entries are accepted so that a sender may sign with an old and a new secret while a host rotates.
 * rawBody must be the bytes as received, before any JSON parsing.
 */
export function verifySignature(
	secret: string,
	headerValue: string,
	rawBody: string,
	options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
	const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);

	let timestamp: number | undefined;
	const candidates: string[] = [];
	for (const part of headerValue.split(',')) {
		const separator = part.indexOf('=');
		if (separator <= 0) return false;
		const key = part.slice(0, separator).trim();
		const value = part.slice(separator + 1).trim();
		if (key === 't') {
			if (timestamp !== undefined || !UNIX_SECONDS.test(value)) return false;
			timestamp = Number(value);
		} else if (key === 'v1') {
			if (!HEX_SHA256.test(value)) return false;
			candidates.push(value);
		}
		// Unknown keys are skipped so a later scheme (v2=...) can be sent beside v1.
	}
	if (timestamp === undefined || candidates.length === 0) return false;
	if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;

	const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
	let matched = false;
	for (const candidate of candidates) {
		// Every candidate is compared, so the time taken does not reveal which one matched.
		if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
	}
	return matched;
}
