import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { codeOf, RequestError, reasonOf, request } from './request.ts';

/** A socket whose every emit is acknowledged by `answer` (or never, for a timeout). */
function fakeSocket(answer: 'timeout' | { ok: true; data: unknown } | { ok: false; error: unknown }, connected = true): Socket {
	return {
		connected,
		timeout: () => ({
			emit: (_event: string, _payload: unknown, callback: (error: Error | null, ack?: unknown) => void) => {
				if (answer === 'timeout') callback(new Error('operation has timed out'));
				else callback(null, answer);
			},
		}),
	} as unknown as Socket;
}

describe('request()', () => {
	it('resolves with the data of an accepted request', async () => {
		await expect(request(fakeSocket({ ok: true, data: { matched: true } }), 'answerChallenge', {})).resolves.toEqual({
			matched: true,
		});
	});

	it("rejects with the server's reason and parameters", async () => {
		const error = {
			code: 'INVALID_STATE',
			message: 'accept is not allowed while away',
			reason: 'notAllowedInState',
			params: { request: 'accept', state: 'waiting' },
		};
		const refused = await request(fakeSocket({ ok: false, error }), 'accept', {}).catch((caught: unknown) => caught);
		expect(refused).toBeInstanceOf(RequestError);
		expect(reasonOf(refused)).toEqual({ reason: 'notAllowedInState', params: { request: 'accept', state: 'waiting' } });
		expect(codeOf(refused)).toBe('INVALID_STATE');
	});

	it('falls back to the reason of the code when the server names none it knows', async () => {
		const refused = await request(
			fakeSocket({ ok: false, error: { code: 'CONFLICT', message: 'x', reason: 'somethingNewer' } }),
			'accept',
			{},
		).catch((caught: unknown) => caught);
		expect(reasonOf(refused).reason).toBe('conflict');
	});

	it('rejects a request left unanswered on a live connection as timed out', async () => {
		const failed = await request(fakeSocket('timeout'), 'getState', {}, 2000).catch((caught: unknown) => caught);
		expect(reasonOf(failed)).toEqual({ reason: 'requestTimedOut', params: { request: 'getState', seconds: 2 } });
		expect(codeOf(failed)).toBe('UNAVAILABLE');
	});

	it('rejects a request left unanswered while disconnected as disconnected', async () => {
		const failed = await request(fakeSocket('timeout', false), 'getState', {}).catch((caught: unknown) => caught);
		expect(reasonOf(failed).reason).toBe('disconnected');
	});
});

describe('reasonOf()', () => {
	it('reads any other failure as ours', () => {
		expect(reasonOf(new TypeError('boom'))).toEqual({ reason: 'internal', params: {} });
	});
});
