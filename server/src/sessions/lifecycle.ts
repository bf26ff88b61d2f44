// The verification's state machine as data: which states each request may be made in (by role, where
// roles differ), which state each request and each ending leads to, and the one refusal for a request
// made in a state that does not allow it. Commands call assertState() before anything else they check,
// so "which states allow markStep" is answered here and nowhere else.
import {
	CALL_STATES,
	type CallDecisionState,
	type DecidedState,
	type FinalState,
	isFinalState,
	type ReviewDecisionState,
	type ReviewRequestName,
	type Role,
	VERIFICATION_STATES,
	type VerificationRequestName,
	type VerificationState,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';

/**
 * Every state the call can still change in: participants join, speak and are waited for. Past them a
 * verification in review changes only by a reviewer's decision.
 */
export const LIVE_STATES = CALL_STATES;
export type LiveStateName = (typeof LIVE_STATES)[number];

/**
 * The requests that act on a verification (the agent's availability and queue act on the agent, the
 * review queue on every verification in review).
 */
export type VerificationScopedRequest =
	| Exclude<VerificationRequestName, 'setAvailability' | 'getQueue'>
	| Exclude<ReviewRequestName, 'getReviewQueue'>;

type States = readonly VerificationState[];
/** The states a request may be made in: one list for every role, or one per role that may send it. */
type Allowed = States | Partial<Record<Role, States>>;

export const REQUEST_STATES = {
	consent: { applicant: ['created'], interpreter: LIVE_STATES },
	cancel: ['created', 'waiting'],
	// Leaving a verification that is over changes nothing and is not refused (a page closing late).
	leave: VERIFICATION_STATES,
	accept: ['waiting'],
	promptStep: ['in_call'],
	markStep: ['in_call'],
	answerChallenge: ['in_call'],
	inviteInterpreter: LIVE_STATES,
	removeInterpreter: ['in_call'],
	declareInterpreter: LIVE_STATES,
	checkDocument: ['in_call'],
	decide: ['in_call'],
	getState: VERIFICATION_STATES,
	sendChat: LIVE_STATES,
	// A reviewer reads and decides a verification in review only.
	getReviewCase: ['in_review'],
	decideReview: ['in_review'],
} as const satisfies Record<VerificationScopedRequest, Allowed>;

/**
 * The states a participant's connection may join a verification in: only while it can still change. A
 * verification that is over takes no new connection; its participants were told its end while connected,
 * and can read it with the host. (An agent's console connects to the agent's queue, not to a verification.)
 */
export const JOIN_STATES = {
	applicant: LIVE_STATES,
	interpreter: LIVE_STATES,
} as const satisfies Partial<Record<Role, States>>;

/** Where the requests that move a verification take it. */
export const TRANSITIONS = {
	consent: { from: 'created', to: 'waiting' },
	accept: { from: 'waiting', to: 'in_call' },
	decide: { from: 'in_call', to: ['approved', 'rejected', 'in_review'] },
	decideReview: { from: 'in_review', to: ['approved', 'rejected'] },
} as const satisfies Partial<
	Record<
		VerificationScopedRequest,
		{
			from: VerificationState;
			to: VerificationState | readonly (DecidedState | CallDecisionState | ReviewDecisionState)[];
		}
	>
>;

export type Ending = Exclude<FinalState, DecidedState>;

/**
 * The undecided endings and the states each may end: the applicant giving up or leaving before the
 * call (abandoned), the call breaking (interrupted), a deadline passing (expired).
 */
export const ENDING_STATES = {
	abandoned: ['created', 'waiting'],
	interrupted: ['in_call'],
	expired: ['created', 'waiting'],
} as const satisfies Record<Ending, States>;

/** The states `request` may be made in by `role`. */
export function allowedStates(request: VerificationScopedRequest, role: Role): States {
	const allowed: Allowed = REQUEST_STATES[request];
	if (isStateList(allowed)) return allowed;
	return allowed[role] ?? [];
}

export function isAllowed(request: VerificationScopedRequest, role: Role, state: VerificationState): boolean {
	return allowedStates(request, role).includes(state);
}

/** Refuses a request made in a state that does not allow it, always with the same reason and wording. */
export function assertState(request: VerificationScopedRequest, role: Role, state: VerificationState): void {
	if (isAllowed(request, role, state)) return;
	throw AppError.invalidState(`${request} is not possible while the verification is ${state}`, 'notAllowedInState', {
		request,
		state,
	});
}

export function assertMayJoin(role: keyof typeof JOIN_STATES, state: VerificationState): void {
	if ((JOIN_STATES[role] as States).includes(state)) return;
	throw AppError.invalidState(`the verification is ${state}: it takes no new connection`, 'verificationEnded', { state });
}

/**
 * Whether a change from `before` to `after` leaves something owed (FinalTail): entering review (the
 * agent released, the host told) or a final state (the agent released, the outcome, its webhook).
 */
export function owesTail(before: VerificationState, after: VerificationState): boolean {
	return before !== after && (after === 'in_review' || isFinalState(after));
}

export function mayEnd(ending: Ending, state: VerificationState): boolean {
	return (ENDING_STATES[ending] as States).includes(state);
}

function isStateList(allowed: Allowed): allowed is States {
	return Array.isArray(allowed);
}
