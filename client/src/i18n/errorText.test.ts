import { describe, expect, it } from 'vitest';
import { RequestError } from '../signalling/request.ts';
import { errorText } from './errorText.ts';
import { i18n } from './i18n.ts';

function textIn(locale: 'en' | 'zh-CN', error: unknown): string {
	const t = i18n.getFixedT(locale, 'ui') as unknown as (key: string, params?: object) => string;
	const tm = i18n.getFixedT(locale, 'catalogue') as unknown as (key: string, params?: object) => string;
	return errorText(error, t, tm);
}

const refusedInState = new RequestError({
	code: 'INVALID_STATE',
	message: 'accept is not allowed in state in_call',
	reason: 'notAllowedInState',
	params: { request: 'accept', state: 'in_call' },
});

describe('errorText()', () => {
	it('shows the translated reason with its request and state translated too, never the English message', () => {
		expect(textIn('en', refusedInState)).toBe('You cannot accept a call right now. Current state: In call.');
		const chinese = textIn('zh-CN', refusedInState);
		expect(chinese).toContain('接听通话');
		expect(chinese).not.toMatch(/[A-Za-z]/);
	});

	it("falls back to the code's own reason when the server names none", () => {
		expect(textIn('zh-CN', new RequestError({ code: 'RATE_LIMITED', message: 'slow down' }))).toBe(
			'短时间内尝试次数过多。请稍等片刻再试。',
		);
	});

	it('words an unknown request name neutrally', () => {
		const error = new RequestError({
			code: 'INVALID_STATE',
			message: 'x',
			reason: 'notAllowedInState',
			params: { request: 'fly', state: 'waiting' },
		});
		expect(textIn('en', error)).toMatch(/^You cannot do that right now/);
	});

	it('says what to do after a timeout or a lost connection', () => {
		expect(textIn('en', RequestError.timedOut('getState', 15_000))).toMatch(/try again/);
		expect(textIn('zh-CN', RequestError.disconnected('getState'))).toBe('您目前未连接。请等待连接恢复后重试。');
	});

	it('names the reason codes of a refused rejection by their labels, in the reader’s language', () => {
		const refused = new RequestError({
			code: 'INVALID_STATE',
			message: 'no failed step supports: face_mismatch,document_expired',
			reason: 'reasonsNotSupported',
			params: { reasons: 'face_mismatch,document_expired' },
		});
		expect(textIn('en', refused)).toBe(
			'No failed step or check of this call supports: Face does not match document, Document expired. Untick it, or fail the step that shows it first.',
		);
		expect(textIn('zh-CN', refused)).toContain('人脸与证件不符、证件已过期');
	});

	it('reads a failure that is not a refusal as ours', () => {
		expect(textIn('en', new TypeError('x is undefined'))).toMatch(/^Something went wrong on our side/);
	});
});
