import { describe, expect, it } from 'vitest';
import { endMessage } from './endMessage.ts';

describe('endMessage()', () => {
	it('says the platform will tell the result of a decision', () => {
		for (const state of ['approved', 'rejected', 'escalated'] as const) {
			expect(endMessage({ state, decision: { state, reasonCodes: [] } })?.bodyKeys).toContain('end.platformTells');
		}
	});

	it("gives a rejection's advice texts, leaving out any that need a value the page does not have", () => {
		const message = endMessage({
			state: 'rejected',
			decision: { state: 'rejected', reasonCodes: ['document_blurred', 'underage', 'document_cropped'] },
		});
		expect(message?.adviceKeys).toEqual(['reason.document_blurred.advice', 'reason.document_cropped.advice']);
	});

	it('tells an applicant who left the call apart from one whose connection broke', () => {
		expect(
			endMessage({ state: 'interrupted', decision: { state: 'interrupted', reasonCodes: ['applicant_left'] } })?.bodyKeys[0],
		).toBe('end.interrupted.left');
		expect(endMessage({ state: 'interrupted', decision: { state: 'interrupted', reasonCodes: [] } })?.bodyKeys[0]).toBe(
			'end.interrupted.lost',
		);
	});

	it('says how to start again after leaving the queue or an expired link', () => {
		expect(endMessage({ state: 'abandoned', decision: null })?.bodyKeys).toContain('end.startAgain');
		expect(endMessage({ state: 'expired', decision: null })?.bodyKeys).toContain('end.startAgain');
	});

	it('has nothing to say while the verification is still open', () => {
		expect(endMessage({ state: 'in_call', decision: null })).toBeUndefined();
	});
});
