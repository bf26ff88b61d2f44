import { ErrorCode, outcomeSchema, type ReasonCode, reviewNotificationSchemas } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { isVerificationEventType, parseVerificationEvent } from '../events.ts';
import { DEFAULT_DOMAIN_SETTINGS } from '../types.ts';
import { applyEvents, type VerificationRecord } from '../VerificationRecord.ts';
import { buildOutcome, reviewCaseView, verificationView } from '../views.ts';
import { after, type CommandContext } from './Decision.ts';
import { decide } from './decide.ts';
import { AGENT, actors, at, contextAt, eventsTo, REVIEWER, recordIn } from './fixtures.ts';
import { assertMayReview, decideReview, reviewEvidence } from './review.ts';

const context = contextAt(10_000);
const ALL_C2C = ['consent', 'face', 'document_front', 'document_back', 'security_features', 'challenge', 'head_turn'] as const;

function marked(record: VerificationRecord, results: Partial<Record<(typeof ALL_C2C)[number], 'passed' | 'failed'>>) {
	return applyEvents(
		record,
		Object.entries(results).flatMap(([stepId, result]) => [
			{ type: 'step.prompted', data: { at: at(2500), stepId, securityFeatures: null } },
			{ type: 'step.marked', data: { at: at(2600), stepId, result, note: `${stepId} ${result}` } },
		]) as Parameters<typeof applyEvents>[1],
	);
}

const allPassed = (record: VerificationRecord) =>
	marked(record, Object.fromEntries(ALL_C2C.map((id) => [id, 'passed'])) as Record<(typeof ALL_C2C)[number], 'passed'>);

function escalated(record = recordIn('in_call'), ctx: CommandContext = contextAt(3000)) {
	const decision = decide(record, actors.agent, { decision: 'escalate', note: 'the hologram did not move' }, ctx);
	return { decision, record: after(record, decision) };
}

function refusal(run: () => unknown): unknown {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('not refused');
}

const reject = (record: VerificationRecord, reasonCodes: ReasonCode[], note?: string) =>
	({ verificationId: record.id, decision: 'reject', reasonCodes, ...(note ? { note } : {}) }) as const;

describe('decide() into review', () => {
	it('puts an escalation in review, keeps what the call measured, and tells the reviewers its entry', () => {
		const callQuality = { samples: 3, participants: [] };
		const record = recordIn('in_call');
		record.applicant.disconnectedAt = at(2900);
		const decision = decide(record, actors.agent, { decision: 'escalate', note: 'unsure' }, contextAt(3000), { callQuality });
		expect(decision.events).toEqual([
			{
				type: 'review.requested',
				data: {
					at: at(3000),
					decision: 'escalate',
					note: 'unsure',
					agentId: AGENT.agentId,
					agentName: AGENT.displayName,
					applicantDocument: null,
					callQuality,
					applicantGone: true,
				},
			},
		]);
		const next = after(record, decision);
		expect(next).toMatchObject({ state: 'in_review', endedAt: null, review: { since: at(3000), reviewer: null } });
		const told = decision.notices?.find((notice) => notice.name === 'reviewQueueChanged');
		expect(told?.audience).toEqual({ reviewers: true });
		reviewNotificationSchemas.reviewQueueChanged.parse(told?.payload);
		expect(told?.payload).toMatchObject({
			state: 'in_review',
			entry: { agentDecision: 'escalate', agent: { agentId: AGENT.agentId } },
		});
		expect(decision.notices?.find((notice) => notice.name === 'decided')?.payload).toMatchObject({ state: 'in_review' });
	});

	it('sends an approval to review only for a purpose whose approvals a reviewer confirms, tying no document yet', () => {
		const record = applyEvents(allPassed(recordIn('in_call')), [
			{ type: 'document.checked', data: { at: at(2700), documentType: 'passport', documentHash: 'hash-1', duplicate: false } },
		]);
		const plain = decide(record, actors.agent, { decision: 'approve', applicantDocument: 1 }, contextAt(3000));
		expect(after(record, plain).state).toBe('approved');
		expect(plain.approvesDocuments).toEqual(['hash-1']);

		const reviewed: CommandContext = {
			...contextAt(3000),
			settings: { ...DEFAULT_DOMAIN_SETTINGS, reviewedApprovals: ['c2c_video'] },
		};
		const fourEyes = decide(record, actors.agent, { decision: 'approve', applicantDocument: 1 }, reviewed);
		expect(fourEyes.events[0]).toMatchObject({ type: 'review.requested', data: { decision: 'approve', applicantDocument: 1 } });
		expect(fourEyes.approvesDocuments).toBeUndefined();
		expect(after(record, fourEyes)).toMatchObject({ state: 'in_review', applicantDocumentHashes: [] });
	});
});

describe('decideReview()', () => {
	it('approves a case whose every required step passed, tying the document the agent recorded, with both decisions in the outcome', () => {
		const start = applyEvents(allPassed(recordIn('in_call')), [
			{ type: 'document.checked', data: { at: at(2700), documentType: 'passport', documentHash: 'hash-1', duplicate: false } },
		]);
		const reviewed: CommandContext = {
			...contextAt(3000),
			settings: { ...DEFAULT_DOMAIN_SETTINGS, reviewedApprovals: ['c2c_video'] },
		};
		const inReview = after(start, decide(start, actors.agent, { decision: 'approve', applicantDocument: 1 }, reviewed));
		const decision = decideReview(
			inReview,
			actors.reviewer,
			{ verificationId: inReview.id, decision: 'approve', note: 'checked the trail' },
			context,
		);
		expect(decision.result).toEqual({ verificationId: inReview.id, state: 'approved', reasonCodes: [], at: at(10_000) });
		expect(decision.approvesDocuments).toEqual(['hash-1']);
		expect(decision.notices).toEqual([
			{
				audience: { reviewers: true },
				name: 'reviewQueueChanged',
				payload: { verificationId: inReview.id, state: 'approved', entry: null },
			},
		]);
		const final = after(inReview, decision);
		expect(final).toMatchObject({ state: 'approved', endedAt: at(10_000), applicantDocumentHashes: ['hash-1'] });
		const outcome = outcomeSchema.parse(buildOutcome(final));
		expect(outcome).toMatchObject({
			state: 'approved',
			decision: 'approved',
			note: 'checked the trail',
			decidedBy: { agentId: REVIEWER.agentId, displayName: REVIEWER.displayName },
			decidedAt: at(10_000),
			review: {
				agent: { decision: 'approve', reasonCodes: [], note: null, by: { agentId: AGENT.agentId }, at: at(3000) },
				reviewer: { decision: 'approve', note: 'checked the trail', by: { agentId: REVIEWER.agentId }, at: at(10_000) },
			},
		});
		// The call ended when the agent decided, not when the reviewer did.
		expect(outcome.durations.inCallSeconds).toBe(1);
		expect(verificationView(final).review).toEqual({ since: at(3000), ...outcome.review });
	});

	it('rejects with reasons the record supports, refusing others and causes only a person saw without the reviewer’s note', () => {
		const { record } = escalated(marked(recordIn('in_call'), { face: 'failed' }));
		expect(refusal(() => decideReview(record, actors.reviewer, reject(record, ['document_expired']), context))).toMatchObject({
			code: ErrorCode.INVALID_STATE,
			reason: 'reasonsNotSupported',
			params: { reasons: 'document_expired' },
		});
		expect(
			refusal(() => decideReview(record, actors.reviewer, reject(record, ['procedure_not_followed']), context)),
		).toMatchObject({
			reason: 'reasonsNeedNote',
		});
		expect(
			refusal(() => decideReview(record, actors.reviewer, { verificationId: record.id, decision: 'approve' }, context)),
		).toMatchObject({
			reason: 'approvalNeedsRequiredSteps',
		});
		const decision = decideReview(record, actors.reviewer, reject(record, ['face_mismatch', 'face_mismatch']), context);
		const outcome = buildOutcome(after(record, decision));
		expect(outcome).toMatchObject({
			decision: 'rejected',
			reasonCodes: ['face_mismatch'],
			review: { agent: { decision: 'escalate', note: 'the hologram did not move' }, reviewer: { decision: 'reject' } },
		});
	});

	it('rests connection_too_poor on the quality measured when the call ended, the call quality of the outcome too', () => {
		const callQuality = {
			samples: 4,
			participants: [
				{
					participantId: 'applicant-p',
					role: 'applicant' as const,
					averageVideoKbps: 90,
					worstPacketLossPercent: 12,
					averageRoundTripMs: 500,
					lowestResolution: null,
					lowestScore: 3,
				},
			],
		};
		const start = recordIn('in_call');
		const record = after(
			start,
			decide(start, actors.agent, { decision: 'escalate', note: 'froze' }, contextAt(3000), { callQuality }),
		);
		expect(reviewEvidence(record, record.review ?? ({} as never)).poorConnection).toBe(true);
		const final = after(record, decideReview(record, actors.reviewer, reject(record, ['connection_too_poor']), context));
		expect(buildOutcome(final, null).callQuality).toEqual(callQuality);
	});

	it('refuses a token without the review permission, the call’s own agent, and a case another reviewer decided', () => {
		const { record } = escalated();
		const plainAgent = { ...actors.reviewer, agent: { ...REVIEWER, permissions: [] } };
		expect(
			refusal(() => decideReview(record, plainAgent, reject(record, ['procedure_not_followed'], 'x'), context)),
		).toMatchObject({
			code: ErrorCode.FORBIDDEN,
			reason: 'notAReviewer',
		});
		const ownAgent = { ...actors.agent, agent: { ...AGENT, permissions: ['review' as const] } };
		expect(refusal(() => decideReview(record, ownAgent, reject(record, ['procedure_not_followed'], 'x'), context))).toMatchObject(
			{
				code: ErrorCode.FORBIDDEN,
				reason: 'reviewOwnCall',
			},
		);
		expect(refusal(() => assertMayReview(record, ownAgent.agent, 'getReviewCase'))).toMatchObject({ reason: 'reviewOwnCall' });

		const decided = after(
			record,
			decideReview(record, actors.reviewer, reject(record, ['procedure_not_followed'], 'x'), context),
		);
		const second = { ...actors.reviewer, agent: { ...REVIEWER, agentId: 'reviewer-2' } };
		expect(refusal(() => decideReview(decided, second, reject(record, ['procedure_not_followed'], 'y'), context))).toMatchObject({
			code: ErrorCode.CONFLICT,
			reason: 'alreadyReviewed',
			params: { state: 'rejected' },
		});
		expect(
			refusal(() => decideReview(recordIn('in_call'), second, reject(record, ['procedure_not_followed'], 'y'), context)),
		).toMatchObject({
			code: ErrorCode.INVALID_STATE,
			reason: 'notAllowedInState',
		});
	});

	it('shows a reviewer the whole recorded trail: steps with notes, the agent’s decision, checks, quality, evidence', () => {
		const withChecks = applyEvents(marked(recordIn('in_call'), { face: 'passed', document_front: 'failed' }), [
			{ type: 'document.checked', data: { at: at(2700), documentType: 'passport', documentHash: 'h', duplicate: true } },
		]);
		const { record } = escalated(withChecks);
		const review = record.review ?? ({} as never);
		const view = reviewCaseView(record, review, reviewEvidence(record, review));
		expect(view).toMatchObject({
			state: 'in_review',
			since: at(3000),
			agentDecision: {
				decision: 'escalate',
				note: 'the hologram did not move',
				by: { agentId: AGENT.agentId },
				applicantDocument: null,
			},
			documentChecks: [{ check: 1, documentType: 'passport', duplicate: true }],
			evidence: { failedSteps: ['document_front'], duplicateFound: true, applicantGone: false, poorConnection: false },
		});
		expect(view.steps.find((step) => step.id === 'document_front')).toMatchObject({
			status: 'failed',
			note: 'document_front failed',
		});
	});
});

describe('records journaled before review existed', () => {
	it('replays an escalation as it was journaled: final escalated, its signed outcome kept, nothing to review', () => {
		const legacyOutcome = {
			verificationId: 'v-1',
			externalUserRef: 'user-1',
			purpose: 'c2c_video',
			state: 'escalated',
			decision: 'escalated',
			reasonCodes: [],
			note: 'second look',
			decidedBy: { agentId: AGENT.agentId, displayName: AGENT.displayName },
			decidedAt: at(3000),
			consent: null,
			steps: [],
			interpreter: null,
			documentChecks: { count: 0, duplicateFound: false },
			callQuality: null,
			durations: { waitingSeconds: 1, inCallSeconds: 1 },
		};
		const journaled = [
			{
				type: 'verification.decided',
				data: {
					at: at(3000),
					state: 'escalated',
					reasonCodes: [],
					note: 'second look',
					agentId: AGENT.agentId,
					agentName: AGENT.displayName,
					rev: '4.ab',
				},
			},
			{ type: 'outcome.recorded', data: { at: at(3000), outcome: legacyOutcome, signedOutcome: 'jws', rev: '4.ab' } },
		];
		const events = journaled.map(({ type, data }) => {
			expect(isVerificationEventType(type)).toBe(true);
			const parsed = parseVerificationEvent(type, data);
			if (!parsed.ok) throw new Error(parsed.error);
			return parsed.event;
		});
		const record = applyEvents(applyEvents(recordIn('created'), eventsTo('in_call')), events);
		expect(record).toMatchObject({
			state: 'escalated',
			endedAt: at(3000),
			signedOutcome: 'jws',
			outcome: { state: 'escalated' },
		});
		expect(record.review ?? null).toBeNull();
		expect(verificationView(record).review).toBeNull();
		expect(refusal(() => assertMayReview(record, REVIEWER, 'getReviewCase'))).toMatchObject({
			reason: 'notAllowedInState',
			params: { state: 'escalated' },
		});
	});
});
