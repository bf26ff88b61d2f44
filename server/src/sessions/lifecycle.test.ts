import {
	CONSENT_VERSION,
	ErrorCode,
	REQUEST_ROLES,
	REVIEW_REQUEST_ROLES,
	type Role,
	VERIFICATION_STATES,
	type VerificationState,
} from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { accept } from './commands/accept.ts';
import { answerChallenge, markStep, promptStep } from './commands/checklist.ts';
import { consent } from './commands/consent.ts';
import { assertMayAct } from './commands/Decision.ts';
import { decide } from './commands/decide.ts';
import { checkDocument } from './commands/documentCheck.ts';
import { cancel, end, leave } from './commands/endings.ts';
import { actors, contextAt, OTHER_AGENT, REVIEWER, recordIn, withInterpreter } from './commands/fixtures.ts';
import { declareInterpreter, inviteInterpreter, removeInterpreter } from './commands/interpreter.ts';
import { assertMayReview, decideReview } from './commands/review.ts';
import { ENDING_STATES, isAllowed, REQUEST_STATES, type VerificationScopedRequest } from './lifecycle.ts';
import { applyEvents, type VerificationRecord } from './VerificationRecord.ts';

const context = contextAt(5000);

/**
 * Each request as its sender makes it, on a record prepared so that nothing but the state can refuse
 * it (the interpreter present for its own requests, the step prompted before it is marked, a typed
 * number waiting for its answer).
 */
const ATTEMPTS: Record<VerificationScopedRequest, Partial<Record<Role, (record: VerificationRecord) => unknown>>> = {
	consent: {
		applicant: (record) => consent(record, actors.applicant, CONSENT_VERSION, context),
		interpreter: (record) => consent(withInterpreter(record), actors.interpreter, CONSENT_VERSION, context),
	},
	cancel: { applicant: (record) => cancel(record, actors.applicant, context) },
	leave: {
		applicant: (record) => leave(record, actors.applicant, context),
		interpreter: (record) => leave(withInterpreter(record), actors.interpreter, context),
	},
	accept: {
		agent: (record) => accept(record, { ...OTHER_AGENT, participantId: 'other-p', connections: 1 }, context),
	},
	promptStep: { agent: (record) => promptStep(record, actors.agent, 'face', context) },
	markStep: {
		agent: (record) =>
			markStep(
				applyEvents(record, [
					{ type: 'step.prompted', data: { at: context.now.toISOString(), stepId: 'face', securityFeatures: null } },
				]),
				actors.agent,
				{ stepId: 'face', result: 'passed' },
				context,
			),
	},
	answerChallenge: {
		applicant: (record) => {
			const prompted = applyEvents(record, [
				{
					type: 'challenge.issued',
					data: {
						at: context.now.toISOString(),
						stepId: 'challenge',
						typed: true,
						expiresAt: contextAt(60_000).now.toISOString(),
					},
				},
			]);
			if (prompted.challenge) prompted.challenge.value = '123456';
			return answerChallenge(prompted, actors.applicant, '123456', context);
		},
	},
	inviteInterpreter: {
		applicant: (record) => inviteInterpreter(record, actors.applicant, invitation(), context),
		agent: (record) => inviteInterpreter(record, actors.agent, invitation(), context),
	},
	removeInterpreter: { agent: (record) => removeInterpreter(withInterpreter(record), actors.agent, context) },
	declareInterpreter: {
		interpreter: (record) =>
			declareInterpreter(withInterpreter(record), actors.interpreter, { fullName: 'Li Wei', relation: 'sibling' }, context),
	},
	checkDocument: {
		agent: (record) => checkDocument(record, actors.agent, { documentType: 'passport', documentHash: 'h', holders: [] }, context),
	},
	decide: {
		agent: (record) =>
			decide(
				record,
				actors.agent,
				{ decision: 'reject', reasonCodes: ['procedure_not_followed'], note: 'read the answers from a script' },
				context,
			),
	},
	getState: {
		applicant: (record) => assertMayAct(record, actors.applicant, 'getState'),
		agent: (record) => assertMayAct(record, actors.agent, 'getState'),
		interpreter: (record) => assertMayAct(withInterpreter(record), actors.interpreter, 'getState'),
	},
	sendChat: {
		applicant: (record) => assertMayAct(record, actors.applicant, 'sendChat'),
		agent: (record) => assertMayAct(record, actors.agent, 'sendChat'),
		interpreter: (record) => assertMayAct(withInterpreter(record), actors.interpreter, 'sendChat'),
	},
	getReviewCase: { agent: (record) => assertMayReview(record, REVIEWER, 'getReviewCase') },
	decideReview: {
		agent: (record) =>
			decideReview(
				record,
				actors.reviewer,
				{
					verificationId: record.id,
					decision: 'reject',
					reasonCodes: ['procedure_not_followed'],
					note: 'the agent read the answers to the applicant',
				},
				context,
			),
	},
};

function invitation() {
	return {
		invitation: {
			invitationId: 'i-2',
			verificationId: 'v-1',
			participantId: 'p-2',
			expiresAt: contextAt(60_000).now.toISOString(),
		},
		url: 'https://example.test/i',
	};
}

/** The agent of an accepted record is its agent; before acceptance, an agent's request finds it a stranger. */
function recordFor(request: VerificationScopedRequest, role: Role, state: VerificationState): VerificationRecord {
	const record = recordIn(state, { textOnlyChallenge: true });
	if (role !== 'agent' || request === 'accept' || record.agent) return record;
	// Before a call an agent has no verification to act on; the table still answers for those states.
	return {
		...record,
		agent: {
			participantId: actors.agent.participantId,
			joinedAt: null,
			connections: 1,
			disconnectedAt: null,
			agentId: actors.agent.agent.agentId,
			displayName: 'Ana Agent',
		},
	};
}

const ROLES_OF = { ...REQUEST_ROLES, ...REVIEW_REQUEST_ROLES };

function attempt(run: () => unknown): { ok: true } | { ok: false; error: unknown } {
	try {
		run();
		return { ok: true };
	} catch (error) {
		return { ok: false, error };
	}
}

describe('the lifecycle table', () => {
	const cases = (Object.keys(REQUEST_STATES) as VerificationScopedRequest[]).flatMap((request) =>
		(ROLES_OF[request] as readonly Role[]).flatMap((role) => VERIFICATION_STATES.map((state) => ({ request, role, state }))),
	);

	it.each(cases)(
		'$role $request while $state: allowed by the table, or refused with the one state wording',
		({ request, role, state }) => {
			const run = ATTEMPTS[request][role];
			if (!run) throw new TypeError(`no attempt for ${role} ${request}`);
			const result = attempt(() => run(recordFor(request, role, state)));
			if (isAllowed(request, role, state)) {
				expect(result).toEqual({ ok: true });
				return;
			}
			// Another agent's call is taken, which is told apart from a verification that is not waiting.
			if (request === 'accept' && state === 'in_call') {
				expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.CONFLICT, reason: 'takenByAnotherAgent' } });
				return;
			}
			expect(result.ok).toBe(false);
			const error = (result as { error: unknown }).error;
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({
				code: ErrorCode.INVALID_STATE,
				reason: 'notAllowedInState',
				params: { request, state },
				message: `${request} is not possible while the verification is ${state}`,
			});
		},
	);

	it.each(
		Object.entries(ENDING_STATES).flatMap(([ending, from]) =>
			VERIFICATION_STATES.map((state) => ({ ending, state, ends: (from as readonly string[]).includes(state) })),
		),
	)('ends a $state verification as $ending only if the table allows it ($ends)', ({ ending, state, ends }) => {
		const decision = end(recordIn(state), ending as keyof typeof ENDING_STATES, [], context);
		expect(decision.result).toBe(ends);
		expect(decision.events.map((event) => event.type)).toEqual(ends ? ['verification.ended'] : []);
	});
});
