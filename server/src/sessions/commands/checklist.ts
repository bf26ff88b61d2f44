// The checklist the agent walks: prompting a step (drawing its security features or challenge number),
// marking it, and the applicant's typed answer to the number in text-only mode.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
	type ChallengeView,
	isInterpreterStep,
	pickSecurityFeatures,
	ROLES,
	type StepId,
	type StepView,
	type VerificationRequestPayload,
} from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../types.ts';
import {
	findStep,
	interpreterPresent,
	type StepState,
	type VerificationEvent,
	type VerificationRecord,
} from '../VerificationRecord.ts';
import { challengeView, stepView } from '../views.ts';
import { after, assertMayAct, assertWithinBound, type CommandContext, type Decision, notice } from './Decision.ts';

export type PromptResult = { step: StepView; challenge: ChallengeView | null };

export function promptStep(
	record: VerificationRecord,
	actor: Actor,
	stepId: StepId,
	context: CommandContext,
): Decision<PromptResult> {
	assertMayAct(record, actor, 'promptStep');
	assertWithinBound(record);
	const step = applicableStep(record, stepId);
	if (isInterpreterStep(step.id) && !interpreterPresent(record)) {
		throw AppError.invalidState('no interpreter is in the call for this step', 'noInterpreterForStep');
	}
	const at = context.now.toISOString();
	// The features are drawn once; a re-prompt shows the same ones, so retrying cannot shop for easy ones.
	const securityFeatures =
		step.kind === 'security_features' && !step.securityFeatures
			? pickSecurityFeatures(context.randomInt, context.settings.securityFeatureCount)
			: null;
	const events: VerificationEvent[] = [{ type: 'step.prompted', data: { at, stepId, securityFeatures } }];
	let challengeValue: string | null = null;
	if (step.kind === 'challenge') {
		// A new number on every prompt; the old one stops being valid with it.
		challengeValue = String(context.randomInt(1_000_000)).padStart(6, '0');
		const expiresAt = new Date(context.now.getTime() + context.settings.challengeTtlMs).toISOString();
		events.push({ type: 'challenge.issued', data: { at, stepId, typed: record.accessibility.textOnlyChallenge, expiresAt } });
	}
	const live = (next: VerificationRecord) => {
		if (next.challenge && challengeValue !== null) next.challenge.value = challengeValue;
	};
	const next = after(record, { events, live });
	const prompted = requireStep(next, stepId);
	const viewFor = (role: Actor['role']): PromptResult => ({
		step: stepView(prompted, role),
		challenge: prompted.kind === 'challenge' ? challengeView(next, role, context.now) : null,
	});
	return {
		events,
		live,
		notices: ROLES.map((role) => notice({ verificationId: record.id, roles: [role] }, 'stepPrompted', viewFor(role))),
		result: viewFor('agent'),
	};
}

export function markStep(
	record: VerificationRecord,
	actor: Actor,
	input: VerificationRequestPayload<'markStep'>,
	context: CommandContext,
): Decision<{ step: StepView }> {
	assertMayAct(record, actor, 'markStep');
	assertWithinBound(record);
	const step = applicableStep(record, input.stepId);
	if (step.status === 'pending') {
		throw AppError.invalidState(`prompt step ${step.id} before marking it`, 'promptStepFirst', { stepId: step.id });
	}
	if (input.result === 'passed') {
		if (step.kind === 'interpreter_declaration' && !record.interpreter?.declaration) {
			throw AppError.invalidState('the interpreter has not declared a name and relation yet', 'interpreterNotDeclared');
		}
		if (step.kind === 'challenge' && record.accessibility.textOnlyChallenge) {
			const challenge = record.challenge;
			if (!challenge || challenge.stepId !== step.id || challenge.matched !== true) {
				throw AppError.invalidState('the typed answer to the current number has not matched', 'typedAnswerNotMatched');
			}
		}
	}
	const events: VerificationEvent[] = [
		{
			type: 'step.marked',
			data: { at: context.now.toISOString(), stepId: step.id, result: input.result, note: input.note ?? null },
		},
	];
	const marked = requireStep(after(record, { events }), step.id);
	return {
		events,
		notices: ROLES.map((role) =>
			notice({ verificationId: record.id, roles: [role] }, 'stepMarked', { step: stepView(marked, role) }),
		),
		result: { step: stepView(marked, 'agent') },
	};
}

export function answerChallenge(
	record: VerificationRecord,
	actor: Actor,
	answer: string,
	context: CommandContext,
): Decision<{ matched: boolean }> {
	assertMayAct(record, actor, 'answerChallenge');
	assertWithinBound(record);
	const challenge = record.challenge;
	if (!challenge || challenge.value === null)
		throw AppError.invalidState('no number is waiting for an answer', 'noChallengeWaiting');
	if (!challenge.typed) {
		throw AppError.invalidState('this call checks the number spoken aloud, not typed', 'challengeNotTyped');
	}
	if (challenge.answered) {
		throw AppError.invalidState('this number was already answered; ask the agent for a new one', 'challengeAlreadyAnswered');
	}
	if (Date.parse(challenge.expiresAt) <= context.now.getTime()) {
		throw AppError.invalidState('this number has expired; ask the agent for a new one', 'challengeExpired');
	}
	const at = context.now.toISOString();
	const matched = sameText(answer.replace(/\s+/g, ''), challenge.value);
	return {
		events: [{ type: 'challenge.answered', data: { at, stepId: challenge.stepId, matched } }],
		notices: [
			notice({ verificationId: record.id, roles: ['agent'] }, 'challengeAnswered', { stepId: challenge.stepId, matched, at }),
		],
		result: { matched },
	};
}

/** A step of this checklist that still applies. */
function applicableStep(record: VerificationRecord, stepId: StepId): StepState {
	const step = findStep(record, stepId);
	if (!step) throw AppError.invalidState(`this checklist has no step ${stepId}`, 'noSuchStep', { stepId });
	if (step.status === 'not_applicable') {
		throw AppError.invalidState(`step ${stepId} no longer applies`, 'stepNotApplicable', { stepId });
	}
	return step;
}

function requireStep(record: VerificationRecord, stepId: StepId): StepState {
	const step = findStep(record, stepId);
	if (!step) throw new TypeError(`step ${stepId} vanished`);
	return step;
}

/** Constant-time comparison that does not reveal the expected length either. */
function sameText(given: string, expected: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}
