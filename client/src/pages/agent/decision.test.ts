import type { StepView, VerificationSnapshot } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import {
	approvalBlockers,
	canApprove,
	decisionPayload,
	evidenceOf,
	missingRequiredSteps,
	poorLossIn,
	reasonCodesByGroup,
} from './decision.ts';

function step(id: StepView['id'], status: StepView['status'], required = true): StepView {
	return {
		id,
		kind: 'plain',
		actor: 'applicant',
		required,
		promptKey: `step.${id}.prompt`,
		status,
		promptedAt: null,
		markedAt: null,
	};
}

const allPassed = [step('consent', 'passed'), step('face', 'passed'), step('head_turn', 'pending', false)];
const oneFailed = [step('consent', 'passed'), step('face', 'failed'), step('document_front', 'prompted')];

describe('missingRequiredSteps', () => {
	it('lists required steps that are pending, prompted or failed', () => {
		expect(missingRequiredSteps(oneFailed).map((entry) => entry.id)).toEqual(['face', 'document_front']);
	});

	it('ignores optional steps and steps that no longer apply', () => {
		const checklist = [...allPassed, step('interpreter_document', 'not_applicable')];
		expect(missingRequiredSteps(checklist)).toEqual([]);
		expect(canApprove(checklist)).toBe(true);
	});
});

describe('approvalBlockers', () => {
	it('lists the required steps not passed, then an optional step marked failed', () => {
		const checklist = [step('consent', 'passed'), step('face', 'pending'), step('head_turn', 'failed', false)];
		expect(approvalBlockers(checklist).map((entry) => entry.id)).toEqual(['face', 'head_turn']);
		expect(canApprove([step('consent', 'passed'), step('head_turn', 'failed', false)])).toBe(false);
	});
});

describe('evidenceOf', () => {
	const snapshot = (connected: boolean): Pick<VerificationSnapshot, 'checklist' | 'documentChecks' | 'participants'> => ({
		checklist: oneFailed,
		documentChecks: [{ check: 1, documentType: 'passport', duplicate: true, at: '2026-11-02T10:00:00.000Z' }],
		participants: [{ participantId: 'p-1', role: 'applicant', displayName: null, connected }],
	});

	it('reads the failed steps, a duplicate found and the applicant’s connection from the snapshot, the rest from what it saw', () => {
		expect(evidenceOf(snapshot(true), { typedChallengeMismatched: true, poorConnection: false })).toEqual({
			failedSteps: ['face'],
			duplicateFound: true,
			typedChallengeMismatched: true,
			poorConnection: false,
			applicantGone: false,
		});
		expect(evidenceOf(snapshot(false), { typedChallengeMismatched: false, poorConnection: false }).applicantGone).toBe(true);
	});

	it('counts a sample poor by the applicant’s or interpreter’s loss at 5 % or more, never the agent’s', () => {
		const sample = (role: 'applicant' | 'agent' | 'interpreter', video: number, audio: number) => ({
			role,
			video: { bitrateKbps: 800, packetLossPercent: video, jitterMs: 5, width: 1280, height: 720, framesPerSecond: 30 },
			audio: { bitrateKbps: 32, packetLossPercent: audio },
		});
		expect(poorLossIn(sample('applicant', 4.9, 0))).toBe(false);
		expect(poorLossIn(sample('applicant', 0, 5))).toBe(true);
		expect(poorLossIn(sample('interpreter', 7, 0))).toBe(true);
		expect(poorLossIn(sample('agent', 30, 30))).toBe(false);
	});
});

describe('decisionPayload', () => {
	it('records a document as the applicant’s only when the agent picked one of the clear checks', () => {
		const checks = [
			{ check: 1, documentType: 'national_id', duplicate: false, at: '2026-11-02T10:00:00.000Z' },
			{ check: 2, documentType: 'passport', duplicate: true, at: '2026-11-02T10:01:00.000Z' },
		] as const;
		const form = { choice: 'approve', reasonCodes: [], note: '' } as const;
		expect(decisionPayload(form, allPassed, [...checks])).toEqual({ problem: 'document_unchosen' });
		expect(decisionPayload({ ...form, applicantDocument: 1 }, allPassed, [...checks])).toEqual({
			payload: { decision: 'approve', applicantDocument: 1 },
		});
		expect(decisionPayload({ ...form, applicantDocument: 'none' }, allPassed, [...checks])).toEqual({
			payload: { decision: 'approve' },
		});
		// A check that found another account is never recorded, whatever the form says.
		expect(decisionPayload({ ...form, applicantDocument: 2 }, allPassed, [...checks])).toEqual({
			payload: { decision: 'approve' },
		});
		expect(decisionPayload(form, allPassed, [checks[1]])).toEqual({ payload: { decision: 'approve' } });
	});

	it('approves only when every required step passed', () => {
		expect(decisionPayload({ choice: 'approve', reasonCodes: [], note: '' }, allPassed)).toEqual({
			payload: { decision: 'approve' },
		});
		expect(decisionPayload({ choice: 'approve', reasonCodes: [], note: '' }, oneFailed)).toEqual({ problem: 'approve_blocked' });
	});

	it('rejects with the ticked reason codes in catalogue order and the note when there is one', () => {
		expect(
			decisionPayload({ choice: 'reject', reasonCodes: ['face_mismatch', 'document_blurred'], note: '  blurry  ' }, oneFailed),
		).toEqual({ payload: { decision: 'reject', reasonCodes: ['document_blurred', 'face_mismatch'], note: 'blurry' } });
		expect(decisionPayload({ choice: 'reject', reasonCodes: ['underage'], note: ' ' }, oneFailed)).toEqual({
			payload: { decision: 'reject', reasonCodes: ['underage'] },
		});
	});

	it('refuses a rejection without a reason code', () => {
		expect(decisionPayload({ choice: 'reject', reasonCodes: [], note: 'x' }, oneFailed)).toEqual({ problem: 'reasons_missing' });
	});

	it('escalates only with a note', () => {
		expect(decisionPayload({ choice: 'escalate', reasonCodes: [], note: '   ' }, oneFailed)).toEqual({ problem: 'note_missing' });
		expect(decisionPayload({ choice: 'escalate', reasonCodes: ['underage'], note: 'Unsure of the hologram' }, oneFailed)).toEqual(
			{
				payload: { decision: 'escalate', note: 'Unsure of the hologram' },
			},
		);
	});

	it('asks for a choice first and refuses an overlong note', () => {
		expect(decisionPayload({ choice: undefined, reasonCodes: [], note: '' }, allPassed)).toEqual({ problem: 'choice_missing' });
		expect(decisionPayload({ choice: 'escalate', reasonCodes: [], note: 'x'.repeat(2001) }, allPassed)).toEqual({
			problem: 'note_too_long',
		});
	});
});

describe('reasonCodesByGroup', () => {
	it('puts every reason code under exactly one group, groups in catalogue order', () => {
		const groups = reasonCodesByGroup();
		expect(groups.map((entry) => entry.group)).toEqual(['document', 'identity', 'eligibility', 'procedure', 'technical']);
		const codes = groups.flatMap((entry) => entry.codes);
		expect(new Set(codes).size).toBe(codes.length);
		expect(groups.find((entry) => entry.group === 'identity')?.codes).toEqual(['face_mismatch', 'duplicate_identity']);
	});

	it('leaves out the host’s facts an agent never finds in a call, and the codes already proposed', () => {
		const codes = reasonCodesByGroup().flatMap((entry) => entry.codes);
		expect(codes).not.toContain('c2c_frozen');
		expect(codes).toContain('underage');
		const rest = reasonCodesByGroup(['face_mismatch', 'duplicate_identity']);
		expect(rest.map((entry) => entry.group)).not.toContain('identity');
	});
});
