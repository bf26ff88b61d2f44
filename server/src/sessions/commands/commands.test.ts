// The commands as pure decisions: a record and an input in, events, notices and live fields out, with
// no store, no socket and no timer.
import { CONSENT_VERSION, ErrorCode, type ReasonCode, type StepId } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { applyEvents, findStep, type VerificationRecord } from '../VerificationRecord.ts';
import { accept } from './accept.ts';
import { answerChallenge, markStep, promptStep } from './checklist.ts';
import { consent } from './consent.ts';
import { after, MAX_EVENTS_PER_VERIFICATION } from './Decision.ts';
import { decide, type Measured } from './decide.ts';
import { checkDocument } from './documentCheck.ts';
import { expire, graceExpired, leave } from './endings.ts';
import { AGENT, actors, at, contextAt, created, OTHER_AGENT, recordIn, withInterpreter } from './fixtures.ts';
import { interpreterGone, interpreterJoinCheck, inviteInterpreter, removeInterpreter } from './interpreter.ts';
import { applicantConnected, participantDisconnected } from './presence.ts';

/** The record after the agent prompted and failed a step. */
function failed(record: VerificationRecord, stepId: StepId): VerificationRecord {
	const prompted = after(record, promptStep(record, actors.agent, stepId, contextAt()));
	return after(prompted, markStep(prompted, actors.agent, { stepId, result: 'failed' }, contextAt()));
}

describe('consent()', () => {
	it('moves a created verification into the queue and tells everyone its state changed', () => {
		const decision = consent(created(), actors.applicant, CONSENT_VERSION, contextAt(1000));
		expect(decision.events.map((event) => event.type)).toEqual(['verification.consented']);
		expect(decision.queue).toBe('join');
		expect(decision.notices).toEqual([
			expect.objectContaining({
				name: 'stateChanged',
				payload: expect.objectContaining({ state: 'waiting', previousState: 'created' }),
			}),
		]);
		expect(after(created(), decision).state).toBe('waiting');
	});

	it('refuses an outdated consent text with a reason naming the current version', () => {
		expect(() => consent(created(), actors.applicant, 'old', contextAt())).toThrow(
			expect.objectContaining({ code: ErrorCode.INVALID_STATE, reason: 'consentChanged', params: { version: CONSENT_VERSION } }),
		);
	});

	it('refuses consent on a link past its join window', () => {
		expect(() => consent(created(), actors.applicant, CONSENT_VERSION, contextAt(25 * 60 * 60_000))).toThrow(
			expect.objectContaining({ reason: 'linkExpired' }),
		);
	});

	it("records an interpreter's consent once; giving it again changes nothing", () => {
		const record = withInterpreter(recordIn('in_call'));
		const first = consent(record, actors.interpreter, CONSENT_VERSION, contextAt());
		expect(first.events.map((event) => event.type)).toEqual(['interpreter.consented']);
		expect(consent(after(record, first), actors.interpreter, CONSENT_VERSION, contextAt()).events).toEqual([]);
	});
});

describe('accept()', () => {
	it('starts the call with the agent as participant, counted with its open connections', () => {
		const record = recordIn('waiting');
		const decision = accept(record, { ...AGENT, participantId: 'agent-p', connections: 2 }, contextAt(2000));
		const next = after(record, decision);
		expect(next).toMatchObject({ state: 'in_call', agent: { agentId: AGENT.agentId, connections: 2 } });
		expect(decision.queue).toBe('leave');
		expect(decision.notices?.map((notice) => notice.name)).toEqual(['stateChanged', 'participantJoined']);
	});

	it('tells a second agent the call is taken, apart from a verification not waiting', () => {
		expect(() => accept(recordIn('in_call'), { ...OTHER_AGENT, participantId: 'x', connections: 1 }, contextAt())).toThrow(
			expect.objectContaining({ code: ErrorCode.CONFLICT, reason: 'takenByAnotherAgent' }),
		);
	});

	it('refuses an agent without the languages the call needs', () => {
		const record = { ...recordIn('waiting'), locale: 'zh-CN' as const };
		expect(() => accept(record, { ...OTHER_AGENT, participantId: 'x', connections: 1 }, contextAt())).toThrow(
			expect.objectContaining({ code: ErrorCode.FORBIDDEN, reason: 'notEligibleToTake' }),
		);
	});
});

describe('the checklist commands', () => {
	it('shows a new challenge number to the applicant and the agent, never to the interpreter', () => {
		const record = withInterpreter(recordIn('in_call'));
		const decision = promptStep(record, actors.agent, 'challenge', contextAt(3000, [42]));
		const byRole = Object.fromEntries(
			(decision.notices ?? []).map((notice) => [
				'roles' in notice.audience ? notice.audience.roles?.[0] : '',
				(notice.payload as { challenge: unknown }).challenge,
			]),
		);
		expect(byRole.applicant).toMatchObject({ value: '000042' });
		expect(byRole.agent).toMatchObject({ value: '000042' });
		expect(byRole.interpreter).toBeNull();
		expect(decision.result.challenge?.value).toBe('000042');
		// The number is live only: the journaled event does not hold it.
		expect(JSON.stringify(decision.events)).not.toContain('000042');
	});

	it('draws the security features once, so a re-prompt cannot shop for easy ones', () => {
		const record = recordIn('in_call');
		const first = promptStep(record, actors.agent, 'security_features', contextAt(0, [0, 1, 2, 3, 4, 5]));
		const again = promptStep(after(record, first), actors.agent, 'security_features', contextAt(0, [5, 4, 3, 2, 1, 0]));
		const features = (decision: typeof first) =>
			decision.events[0]?.type === 'step.prompted' && decision.events[0].data.securityFeatures;
		expect(features(first)).not.toBeNull();
		expect(features(again)).toBeNull();
		expect(findStep(after(after(record, first), again), 'security_features')?.securityFeatures).toEqual(features(first));
	});

	it('refuses to mark a step that was never prompted', () => {
		expect(() => markStep(recordIn('in_call'), actors.agent, { stepId: 'face', result: 'passed' }, contextAt())).toThrow(
			expect.objectContaining({ reason: 'promptStepFirst', params: { stepId: 'face' } }),
		);
	});

	it('takes one typed answer per number, and a passed typed challenge needs a match', () => {
		const record = recordIn('in_call', { textOnlyChallenge: true });
		const prompted = promptStep(record, actors.agent, 'challenge', contextAt(0, [123456]));
		const withNumber = after(record, prompted);
		const wrong = answerChallenge(withNumber, actors.applicant, '654321', contextAt(1000));
		expect(wrong.result).toEqual({ matched: false });
		expect(wrong.notices).toEqual([
			expect.objectContaining({ name: 'challengeAnswered', audience: { verificationId: 'v-1', roles: ['agent'] } }),
		]);
		const answered = after(withNumber, wrong);
		expect(() => answerChallenge(answered, actors.applicant, '123456', contextAt(2000))).toThrow(
			expect.objectContaining({ reason: 'challengeAlreadyAnswered' }),
		);
		expect(() => markStep(answered, actors.agent, { stepId: 'challenge', result: 'passed' }, contextAt(3000))).toThrow(
			expect.objectContaining({ reason: 'typedAnswerNotMatched' }),
		);
	});

	it('refuses an answer once the number has expired', () => {
		const record = recordIn('in_call', { textOnlyChallenge: true });
		const withNumber = after(record, promptStep(record, actors.agent, 'challenge', contextAt(0, [7])));
		expect(() => answerChallenge(withNumber, actors.applicant, '000007', contextAt(121_000))).toThrow(
			expect.objectContaining({ reason: 'challengeExpired' }),
		);
	});
});

describe('decide()', () => {
	it('refuses an approval while a required step is not passed, naming the steps', () => {
		expect(() => decide(recordIn('in_call'), actors.agent, { decision: 'approve' }, contextAt())).toThrow(
			expect.objectContaining({
				reason: 'approvalNeedsRequiredSteps',
				params: { steps: expect.stringContaining('document_front') },
			}),
		);
	});

	it('rejects with each reason code once, tells the agent its note and the others not', () => {
		const decision = decide(
			failed(recordIn('in_call'), 'document_front'),
			actors.agent,
			{ decision: 'reject', reasonCodes: ['document_blurred', 'document_blurred'], note: 'blurry' },
			contextAt(),
		);
		expect(decision.events[0]).toMatchObject({
			type: 'verification.decided',
			data: { state: 'rejected', reasonCodes: ['document_blurred'] },
		});
		const told = (decision.notices ?? []).filter((notice) => notice.name === 'decided');
		expect(told.map((notice) => [notice.audience, 'note' in notice.payload])).toEqual([
			[{ verificationId: 'v-1', roles: ['applicant', 'interpreter'] }, false],
			[{ verificationId: 'v-1', roles: ['agent'] }, true],
		]);
	});
});

describe('decide() keeps the decision consistent with the call', () => {
	const reject = (reasonCodes: ReasonCode[], note?: string) =>
		({ decision: 'reject', reasonCodes, ...(note ? { note } : {}) }) as const;
	const poor = (role: 'applicant' | 'agent', worstPacketLossPercent: number): Measured => ({
		callQuality: {
			samples: 4,
			participants: [
				{
					participantId: `${role}-p`,
					role,
					averageVideoKbps: 900,
					worstPacketLossPercent,
					averageRoundTripMs: 40,
					lowestResolution: { width: 1280, height: 720 },
					lowestScore: 9,
				},
			],
		},
	});

	it('refuses an approval with a step marked failed, even one not required, naming it', () => {
		const record = recordIn('in_call');
		for (const step of record.checklist) step.status = 'passed';
		const headTurn = findStep(record, 'head_turn');
		if (!headTurn) throw new Error('no head_turn step');
		headTurn.required = false;
		headTurn.status = 'failed';
		expect(() => decide(record, actors.agent, { decision: 'approve' }, contextAt())).toThrow(
			expect.objectContaining({
				code: ErrorCode.INVALID_STATE,
				reason: 'approvalWithFailedStep',
				params: { steps: 'head_turn' },
			}),
		);
	});

	it('refuses a rejection naming a cause no failed step or check supports, naming the codes', () => {
		const record = failed(recordIn('in_call'), 'document_front');
		expect(() => decide(record, actors.agent, reject(['document_expired', 'underage']), contextAt())).not.toThrow();
		expect(() => decide(record, actors.agent, reject(['document_expired', 'screenshot_or_edited']), contextAt())).toThrow(
			expect.objectContaining({
				code: ErrorCode.INVALID_STATE,
				reason: 'reasonsNotSupported',
				params: { reasons: 'screenshot_or_edited' },
			}),
		);
		// A note does not stand in for a failed step where a step records the cause.
		expect(() => decide(recordIn('in_call'), actors.agent, reject(['face_mismatch'], 'did not look alike'), contextAt())).toThrow(
			expect.objectContaining({ reason: 'reasonsNotSupported', params: { reasons: 'face_mismatch' } }),
		);
		// A host's fact is never the agent's to give.
		expect(() => decide(record, actors.agent, reject(['c2c_frozen'], 'frozen'), contextAt())).toThrow(
			expect.objectContaining({ reason: 'reasonsNotSupported', params: { reasons: 'c2c_frozen' } }),
		);
	});

	it('takes a duplicate identity from a duplicate check that found another user', () => {
		const record = recordIn('in_call');
		expect(() => decide(record, actors.agent, reject(['duplicate_identity']), contextAt())).toThrow(
			expect.objectContaining({ reason: 'reasonsNotSupported' }),
		);
		const checked = after(
			record,
			checkDocument(record, actors.agent, { documentType: 'passport', documentHash: 'h', holders: ['user-2'] }, contextAt()),
		);
		expect(decide(checked, actors.agent, reject(['duplicate_identity']), contextAt()).events[0]).toMatchObject({
			data: { state: 'rejected', reasonCodes: ['duplicate_identity'] },
		});
	});

	it('takes someone else answering from a typed number that did not match, kept after the step moved on', () => {
		const record = recordIn('in_call', { textOnlyChallenge: true });
		const withNumber = after(record, promptStep(record, actors.agent, 'challenge', contextAt(0, [123456])));
		const mismatched = after(withNumber, answerChallenge(withNumber, actors.applicant, '654321', contextAt(1000)));
		const movedOn = after(mismatched, promptStep(mismatched, actors.agent, 'face', contextAt(2000)));
		expect(movedOn.typedChallengeMismatched).toBe(true);
		expect(decide(movedOn, actors.agent, reject(['someone_else_answered']), contextAt(3000)).events[0]).toMatchObject({
			data: { reasonCodes: ['someone_else_answered'] },
		});
		const matched = after(withNumber, answerChallenge(withNumber, actors.applicant, '123456', contextAt(1000)));
		expect(() => decide(matched, actors.agent, reject(['someone_else_answered']), contextAt(3000))).toThrow(
			expect.objectContaining({ reason: 'reasonsNeedNote', params: { reasons: 'someone_else_answered' } }),
		);
	});

	it('takes a procedure not followed on the agent’s note alone, and refuses it without one', () => {
		const record = recordIn('in_call');
		expect(() => decide(record, actors.agent, reject(['procedure_not_followed']), contextAt())).toThrow(
			expect.objectContaining({ reason: 'reasonsNeedNote', params: { reasons: 'procedure_not_followed' } }),
		);
		const decision = decide(record, actors.agent, reject(['procedure_not_followed'], 'read from a script'), contextAt());
		expect(decision.events[0]).toMatchObject({ data: { reasonCodes: ['procedure_not_followed'], note: 'read from a script' } });
		// Supported by the failed consent step, it needs no note.
		expect(() => decide(failed(record, 'consent'), actors.agent, reject(['procedure_not_followed']), contextAt())).not.toThrow();
	});

	it('takes a poor connection from the applicant’s measured quality, not the agent’s, or from a note', () => {
		const record = recordIn('in_call');
		expect(() => decide(record, actors.agent, reject(['connection_too_poor']), contextAt(), poor('applicant', 2))).toThrow(
			expect.objectContaining({ reason: 'reasonsNeedNote', params: { reasons: 'connection_too_poor' } }),
		);
		expect(() => decide(record, actors.agent, reject(['connection_too_poor']), contextAt(), poor('agent', 12))).toThrow(
			expect.objectContaining({ reason: 'reasonsNeedNote' }),
		);
		expect(() => decide(record, actors.agent, reject(['connection_too_poor']), contextAt(), poor('applicant', 6))).not.toThrow();
		expect(() =>
			decide(record, actors.agent, reject(['connection_too_poor'], 'sound kept cutting out'), contextAt()),
		).not.toThrow();
	});

	it('takes the applicant having left from a connection that is gone', () => {
		const record = recordIn('in_call');
		expect(() => decide(record, actors.agent, reject(['applicant_left']), contextAt())).toThrow(
			expect.objectContaining({ reason: 'reasonsNotSupported', params: { reasons: 'applicant_left' } }),
		);
		const gone = structuredClone(record);
		gone.applicant.disconnectedAt = at(2500);
		expect(() => decide(gone, actors.agent, reject(['applicant_left']), contextAt())).not.toThrow();
	});
});

describe('the interpreter', () => {
	it('is one status through its invitation: invited, joined, then left or removed', () => {
		const inCall = recordIn('in_call');
		const invited = after(
			inCall,
			inviteInterpreter(
				inCall,
				actors.applicant,
				{
					invitation: {
						invitationId: 'i',
						verificationId: 'v-1',
						participantId: 'interpreter-p',
						expiresAt: contextAt(60_000).now.toISOString(),
					},
					url: 'u',
				},
				contextAt(),
			),
		);
		expect(invited.interpreter?.status).toBe('invited');
		expect(interpreterJoinCheck(invited, actors.interpreter, contextAt())).toMatchObject({ kind: 'first' });
		const joined = withInterpreter(inCall);
		expect(joined.interpreter?.status).toBe('joined');
		const removal = removeInterpreter(joined, actors.agent, contextAt());
		const removed = after(joined, removal);
		expect(removed.interpreter?.status).toBe('removed');
		expect(removed.checklist.filter((step) => step.status === 'not_applicable').length).toBeGreaterThan(0);
		expect(removal.notices?.map((notice) => notice.name)).toEqual([
			'interpreterRemoved',
			'participantLeft',
			'checklistChanged',
			'checklistChanged',
			'checklistChanged',
		]);
		expect(() => interpreterJoinCheck(removed, actors.interpreter, contextAt())).toThrow(
			expect.objectContaining({ reason: 'removedFromCall' }),
		);
		const left = after(joined, interpreterGone(joined, 'interpreter-p', 'left', contextAt()));
		expect(left.interpreter?.status).toBe('left');
		expect(() => interpreterJoinCheck(left, actors.interpreter, contextAt())).toThrow(
			expect.objectContaining({ reason: 'invitationUsed' }),
		);
	});

	it('cannot join from a second device while its first is connected, nor after its invitation expired', () => {
		expect(() => interpreterJoinCheck(withInterpreter(recordIn('in_call')), actors.interpreter, contextAt())).toThrow(
			expect.objectContaining({ reason: 'invitationUsed' }),
		);
		const inCall = recordIn('in_call');
		const invited = after(
			inCall,
			inviteInterpreter(
				inCall,
				actors.agent,
				{
					invitation: {
						invitationId: 'i',
						verificationId: 'v-1',
						participantId: 'interpreter-p',
						expiresAt: contextAt(1000).now.toISOString(),
					},
					url: 'u',
				},
				contextAt(),
			),
		);
		expect(() => interpreterJoinCheck(invited, actors.interpreter, contextAt(2000))).toThrow(
			expect.objectContaining({ reason: 'invitationExpired' }),
		);
	});
});

describe('endings and presence', () => {
	it('interrupts a call whose applicant did not come back within the grace period, and says who went', () => {
		const record = after(recordIn('in_call'), applicantConnected(recordIn('in_call'), actors.applicant, contextAt(2500)));
		const dropped = after(record, participantDisconnected(actors.applicant, contextAt(4000)));
		const since = dropped.applicant.disconnectedAt ?? '';
		const decision = graceExpired(dropped, 'applicant', actors.applicant.participantId, since, contextAt(40_000));
		expect(decision.events[0]).toMatchObject({
			type: 'verification.ended',
			data: { state: 'interrupted', reasonCodes: ['applicant_left'] },
		});
		expect(decision.notices?.map((notice) => notice.name)).toEqual(['participantLeft', 'stateChanged']);
	});

	it('leaves alone a participant who came back, and a grace period that a newer drop replaced', () => {
		const inCall = recordIn('in_call');
		const connected = after(inCall, applicantConnected(inCall, actors.applicant, contextAt(2500)));
		const dropped = after(connected, participantDisconnected(actors.applicant, contextAt(4000)));
		const since = dropped.applicant.disconnectedAt ?? '';
		const back = after(dropped, applicantConnected(dropped, actors.applicant, contextAt(5000)));
		expect(graceExpired(back, 'applicant', 'applicant-p', since, contextAt(40_000)).events).toEqual([]);
		const droppedAgain = after(back, participantDisconnected(actors.applicant, contextAt(6000)));
		expect(graceExpired(droppedAgain, 'applicant', 'applicant-p', since, contextAt(40_000)).events).toEqual([]);
	});

	it('does not expire a verification whose deadline moved on since its timer was read', () => {
		// The join window's timer fires, but the applicant consented a minute before it closed.
		const day = 24 * 60 * 60_000;
		const waiting = applyEvents(created(), [
			{
				type: 'verification.consented',
				data: { at: contextAt(day - 60_000).now.toISOString(), consentVersion: CONSENT_VERSION },
			},
		]);
		expect(expire(waiting, contextAt(day)).events).toEqual([]);
		expect(expire(recordIn('created'), contextAt(24 * 60 * 60_000)).result).toBe(true);
	});

	it('lets an applicant leave a verification that is over without changing it', () => {
		expect(leave(recordIn('approved'), actors.applicant, contextAt()).events).toEqual([]);
	});

	it('counts a document as duplicate only when another user holds it', () => {
		const input = { documentType: 'passport', documentHash: 'h' } as const;
		const mine = checkDocument(recordIn('in_call'), actors.agent, { ...input, holders: ['user-1'] }, contextAt());
		expect(mine.result).toMatchObject({ check: 1, documentType: 'passport', duplicate: false });
		const theirs = checkDocument(recordIn('in_call'), actors.agent, { ...input, holders: ['user-2'] }, contextAt());
		expect(theirs.result).toMatchObject({ check: 1, duplicate: true });
	});

	it('ties to the applicant on approval only the document the agent records as theirs', () => {
		let record = recordIn('in_call');
		for (const step of record.checklist) step.status = 'passed';
		// The interpreter's document first, then the applicant's, then one that belongs to someone else.
		const checks = [
			{ documentHash: 'interpreter', holders: [] },
			{ documentHash: 'applicant', holders: [] },
			{ documentHash: 'someone-else', holders: ['user-2'] },
		];
		for (const check of checks) {
			record = after(record, checkDocument(record, actors.agent, { documentType: 'national_id', ...check }, contextAt()));
		}
		expect(record.documentChecks.map((check) => check.documentHash)).toEqual(['interpreter', 'applicant', 'someone-else']);

		const approval = decide(record, actors.agent, { decision: 'approve', applicantDocument: 2 }, contextAt());
		expect(approval.approvesDocuments).toEqual(['applicant']);
		expect(approval.events[0]?.data).toMatchObject({ applicantDocument: 2 });
		expect(after(record, approval).applicantDocumentHashes).toEqual(['applicant']);

		const none = decide(record, actors.agent, { decision: 'approve' }, contextAt());
		expect(none.approvesDocuments).toBeUndefined();
		expect(after(record, none).applicantDocumentHashes).toEqual([]);

		expect(() => decide(record, actors.agent, { decision: 'approve', applicantDocument: 3 }, contextAt())).toThrow(
			expect.objectContaining({ reason: 'documentHeldByAnother', params: { check: 3 } }),
		);
		expect(() => decide(record, actors.agent, { decision: 'approve', applicantDocument: 4 }, contextAt())).toThrow(
			expect.objectContaining({ reason: 'noSuchDocumentCheck' }),
		);
		const rejection = decide(record, actors.agent, { decision: 'reject', reasonCodes: ['duplicate_identity'] }, contextAt());
		expect(rejection.approvesDocuments).toBeUndefined();
	});

	it('keeps the attribution of an approval journaled before the agent named the document: every checked one', () => {
		let record = recordIn('in_call');
		for (const documentHash of ['a', 'b', 'a']) {
			record = after(
				record,
				checkDocument(record, actors.agent, { documentType: 'passport', documentHash, holders: [] }, contextAt()),
			);
		}
		const earlier = applyEvents(record, [
			{
				type: 'verification.decided',
				data: { at: contextAt().now.toISOString(), state: 'approved', reasonCodes: [], note: null, agentId: 'a', agentName: 'A' },
			},
		]);
		expect(earlier.applicantDocumentHashes).toEqual(['a', 'b']);
	});
});

it('folds a decision into the record without touching the record it was given', () => {
	const record = recordIn('in_call');
	const copy = structuredClone(record);
	after(record, decide(record, actors.agent, { decision: 'escalate', note: 'second look' }, contextAt()));
	expect(record).toEqual(copy);
	expect(applyEvents(record, []).state).toBe('in_call');
});

describe('what a participant can add to the permanent record', () => {
	const invitation = (expiresInMs: number) => ({
		invitation: {
			invitationId: 'i-new',
			verificationId: 'v-1',
			participantId: 'p-new',
			expiresAt: contextAt(expiresInMs).now.toISOString(),
		},
		url: 'u',
	});

	it('answers an invitation asked again while one is open with that one, recording nothing', () => {
		const record = recordIn('in_call');
		const first = inviteInterpreter(record, actors.applicant, invitation(60_000), contextAt());
		const invited = after(record, first);
		const again = inviteInterpreter(
			invited,
			actors.agent,
			{ ...invitation(60_000), invitation: { ...invitation(60_000).invitation, invitationId: 'i-other' } },
			contextAt(1000),
		);
		expect(again.events).toEqual([]);
		expect(again.result).toMatchObject({ invitationId: 'i-new', reused: true });
		// Once it has expired, a new one is made.
		const later = inviteInterpreter(
			invited,
			actors.agent,
			{ ...invitation(120_000), invitation: { ...invitation(120_000).invitation, invitationId: 'i-later' } },
			contextAt(61_000),
		);
		expect(later.result).toMatchObject({ invitationId: 'i-later', reused: false });
	});

	it('refuses requests that only add events past the bound, but still takes the decision', () => {
		const full = { ...recordIn('in_call'), eventCount: MAX_EVENTS_PER_VERIFICATION };
		expect(() => promptStep(full, actors.agent, 'face', contextAt())).toThrow(
			expect.objectContaining({ code: ErrorCode.RATE_LIMITED, reason: 'tooManyChanges' }),
		);
		expect(() =>
			checkDocument(full, actors.agent, { documentType: 'passport', documentHash: 'h', holders: [] }, contextAt()),
		).toThrow(expect.objectContaining({ reason: 'tooManyChanges' }));
		expect(decide(full, actors.agent, { decision: 'escalate', note: 'bounded' }, contextAt()).events).toHaveLength(1);
	});
});

it("forgets a challenge's number once its step is marked, so no later snapshot shows it again", () => {
	const record = recordIn('in_call');
	const prompted = after(record, promptStep(record, actors.agent, 'challenge', contextAt(0, [4242])));
	expect(prompted.challenge?.value).toBe('004242');
	const marked = after(prompted, markStep(prompted, actors.agent, { stepId: 'challenge', result: 'passed' }, contextAt(1000)));
	expect(marked.challenge).toBeNull();
});
