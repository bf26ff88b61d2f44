import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { signPayload, verifySignature } from './signature.ts';

const secret = 'whsec-test-secret';
const body = JSON.stringify({ eventId: 'evt_1', type: 'verification.decided', payload: { decision: 'approved' } });
const now = 1_750_000_000;

describe('signPayload()', () => {
	test('returns t=<seconds>,v1=<hex HMAC-SHA256 over "t.body">', () => {
		const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
		expect(signPayload(secret, now, body)).toBe(`t=${now},v1=${expected}`);
	});

	test('throws TypeError for a timestamp that is not a whole number of seconds', () => {
		expect(() => signPayload(secret, 1.5, body)).toThrow(TypeError);
		expect(() => signPayload(secret, -1, body)).toThrow(TypeError);
	});
});

describe('verifySignature()', () => {
	const header = signPayload(secret, now, body);

	test('accepts a header signed with the same secret over the same body', () => {
		expect(verifySignature(secret, header, body, { nowSeconds: now })).toBe(true);
	});

	test('rejects a header signed with another secret', () => {
		expect(verifySignature('another-secret', header, body, { nowSeconds: now })).toBe(false);
	});

	test('rejects a body changed after signing, even by whitespace', () => {
		expect(verifySignature(secret, header, body.replace('approved', 'rejected'), { nowSeconds: now })).toBe(false);
		expect(verifySignature(secret, header, `${body} `, { nowSeconds: now })).toBe(false);
	});

	test('rejects a timestamp older than the tolerance, by default five minutes', () => {
		expect(verifySignature(secret, header, body, { nowSeconds: now + 300 })).toBe(true);
		expect(verifySignature(secret, header, body, { nowSeconds: now + 301 })).toBe(false);
		expect(verifySignature(secret, header, body, { nowSeconds: now + 60, toleranceSeconds: 30 })).toBe(false);
	});

	test('rejects a timestamp further in the future than the tolerance', () => {
		expect(verifySignature(secret, header, body, { nowSeconds: now - 301 })).toBe(false);
	});

	test('rejects a signature whose timestamp was swapped for a fresh one', () => {
		const [, signature] = header.split(',');
		expect(verifySignature(secret, `t=${now + 1000},${signature}`, body, { nowSeconds: now + 1000 })).toBe(false);
	});

	test('uses the current clock when no time is given', () => {
		const fresh = signPayload(secret, Math.floor(Date.now() / 1000), body);
		expect(verifySignature(secret, fresh, body)).toBe(true);
		expect(verifySignature(secret, header, body)).toBe(false);
	});

	test.each([
		['an empty header', ''],
		['a header without pairs', 'garbage'],
		['a missing timestamp', header.replace(/^t=\d+,/, '')],
		['a missing v1 signature', `t=${now}`],
		['a non-numeric timestamp', header.replace(/^t=\d+/, 't=soon')],
		['a negative timestamp', header.replace(/^t=\d+/, `t=-${now}`)],
		['two timestamps', `t=${now},${header}`],
		['a truncated signature', header.slice(0, -2)],
		['an upper-case hex signature', header.replace(/v1=(.*)$/, (_, hex: string) => `v1=${hex.toUpperCase()}`)],
		['an empty key', `=x,${header}`],
	])('rejects a malformed header: %s', (_, malformed) => {
		expect(verifySignature(secret, malformed, body, { nowSeconds: now })).toBe(false);
	});

	test('accepts a header with several v1 signatures when one of them matches, as during a secret rotation', () => {
		const old = signPayload('old-secret', now, body).split(',')[1];
		expect(verifySignature(secret, `${header},${old}`, body, { nowSeconds: now })).toBe(true);
		expect(verifySignature('old-secret', `${header},${old}`, body, { nowSeconds: now })).toBe(true);
		expect(verifySignature('third-secret', `${header},${old}`, body, { nowSeconds: now })).toBe(false);
	});

	test('ignores unknown schemes beside v1', () => {
		expect(verifySignature(secret, `${header},v2=whatever`, body, { nowSeconds: now })).toBe(true);
	});
});
