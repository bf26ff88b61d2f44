// The requests participants send, each as: find the verification, run its command in one change,
// answer. The command decides; the runtime writes, notifies and follows up (VerificationService.apply).
import { randomUUID } from 'node:crypto';
import {
	type CallQualitySummary,
	isCallOver,
	type VerificationRequestPayload,
	type VerificationResponses,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import { accept } from './commands/accept.ts';
import { answerChallenge, markStep, promptStep } from './commands/checklist.ts';
import { consent } from './commands/consent.ts';
import { assertMayAct, requireAgent } from './commands/Decision.ts';
import { decide } from './commands/decide.ts';
import { checkDocument } from './commands/documentCheck.ts';
import { cancel, expire, graceExpired, leave } from './commands/endings.ts';
import { declareInterpreter, inviteInterpreter, removeInterpreter } from './commands/interpreter.ts';
import type { WaitEstimator } from './routing.ts';
import type { DomainRuntime } from './runtime.ts';
import { deadlineOf, graceEndsAt, type Timer } from './timers.ts';
import type { Actor, InterpreterInvitation, RequestName } from './types.ts';
import type { VerificationRecord } from './VerificationRecord.ts';

type Handlers = {
	[N in RequestName]: (actor: Actor, payload: VerificationRequestPayload<N>) => Promise<VerificationResponses[N]>;
};

export class VerificationRequests {
	readonly #runtime: DomainRuntime;
	readonly #waits: WaitEstimator;
	readonly #hashDocument: (type: string, number: string) => string;
	readonly #interpreterLink: (invitation: InterpreterInvitation) => string;
	readonly #callQuality: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;

	constructor(
		runtime: DomainRuntime,
		deps: {
			waits: WaitEstimator;
			hashDocument: (type: string, number: string) => string;
			interpreterLink: (invitation: InterpreterInvitation) => string;
			callQuality: (verificationId: string) => CallQualitySummary | null | Promise<CallQualitySummary | null>;
		},
	) {
		this.#runtime = runtime;
		this.#waits = deps.waits;
		this.#hashDocument = deps.hashDocument;
		this.#interpreterLink = deps.interpreterLink;
		this.#callQuality = deps.callQuality;
	}

	handle<N extends RequestName>(
		name: N,
		actor: Actor,
		payload: VerificationRequestPayload<N>,
	): Promise<VerificationResponses[N]> {
		const handler = this.#handlers[name] as (
			actor: Actor,
			payload: VerificationRequestPayload<N>,
		) => Promise<VerificationResponses[N]>;
		return handler(actor, payload);
	}

	/** A due deadline or grace period of `record`; 'retry' while it is not due by this clock. */
	async timerDue(record: VerificationRecord, timer: Timer): Promise<'done' | 'retry'> {
		const { now } = this.#runtime.context();
		if (timer.kind === 'deadline') {
			const deadline = deadlineOf(record, this.#runtime.settings);
			if (deadline === undefined) return 'done';
			if (deadline > now.getTime()) return 'retry';
			await this.#runtime.apply(record.id, (current) => expire(current, this.#runtime.context()));
			return 'done';
		}
		if (graceEndsAt(timer.since, this.#runtime.settings) > now.getTime()) return 'retry';
		await this.#runtime.apply(record.id, (current) =>
			graceExpired(current, timer.role, timer.participantId, timer.since, this.#runtime.context()),
		);
		return 'done';
	}

	readonly #handlers: Handlers = {
		consent: async (actor, { consentVersion }) => {
			const id = await this.#runtime.verificationOf(actor);
			const { after } = await this.#runtime.apply(id, (record) =>
				consent(record, actor, consentVersion, this.#runtime.context()),
			);
			const what = actor.role === 'interpreter' ? 'interpreter consent given' : 'consent given; waiting for an agent';
			this.#runtime.logger.info({ verificationId: id, consentVersion }, what);
			return this.#runtime.snapshot(after, actor);
		},
		cancel: async (actor) => {
			const id = await this.#runtime.verificationOf(actor);
			await this.#runtime.apply(id, (record) => cancel(record, actor, this.#runtime.context()));
			return this.#runtime.snapshot(await this.#runtime.repository.load(id), actor);
		},
		leave: async (actor) => {
			const id = await this.#runtime.verificationOf(actor);
			await this.#runtime.apply(id, (record) => leave(record, actor, this.#runtime.context()));
			return {};
		},
		setAvailability: async (actor, { availability }) => {
			const profile = requireAgent(actor, 'setAvailability');
			const { desk } = this.#runtime;
			const agent = await desk.withAgent(profile.agentId, async () => {
				const stored = await desk.load(profile, actor.participantId);
				const next = { ...stored.value, availability };
				await desk.write(stored, next);
				return next;
			});
			this.#runtime.logger.info({ agentId: profile.agentId, availability }, 'agent availability changed');
			this.#runtime.queueMoved();
			return desk.queueViewFor(agent);
		},
		getQueue: async (actor) => {
			const profile = requireAgent(actor, 'getQueue');
			const stored = await this.#runtime.desk.load(profile, actor.participantId);
			return this.#runtime.desk.queueViewFor(stored.value);
		},
		accept: (actor, { verificationId }) => this.#accept(actor, verificationId),
		promptStep: async (actor, { stepId }) => {
			const id = await this.#runtime.verificationOf(actor);
			return (await this.#runtime.apply(id, (record) => promptStep(record, actor, stepId, this.#runtime.context()))).result;
		},
		markStep: async (actor, payload) => {
			const id = await this.#runtime.verificationOf(actor);
			return (await this.#runtime.apply(id, (record) => markStep(record, actor, payload, this.#runtime.context()))).result;
		},
		answerChallenge: async (actor, { answer }) => {
			const id = await this.#runtime.verificationOf(actor);
			return (await this.#runtime.apply(id, (record) => answerChallenge(record, actor, answer, this.#runtime.context()))).result;
		},
		inviteInterpreter: async (actor) => {
			const id = await this.#runtime.verificationOf(actor);
			const { now, settings } = this.#runtime.context();
			const invitation: InterpreterInvitation = {
				invitationId: randomUUID(),
				verificationId: id,
				participantId: randomUUID(),
				expiresAt: new Date(now.getTime() + settings.invitationTtlMs).toISOString(),
			};
			const url = this.#interpreterLink(invitation);
			const { after, result } = await this.#runtime.apply(id, (record) =>
				inviteInterpreter(record, actor, { invitation, url }, this.#runtime.context()),
			);
			if (result.reused) {
				// The open invitation again, with a link minted for it (links are not kept).
				const { invitationId, participantId, expiresAt } = result;
				return {
					invitationId,
					expiresAt,
					url: this.#interpreterLink({ invitationId, participantId, expiresAt, verificationId: id }),
				};
			}
			this.#runtime.logger.info(
				{ verificationId: id, invitationId: invitation.invitationId, by: actor.role },
				'interpreter invited',
			);
			// Whether an interpreter is needed shows in the agents' queue.
			if (after.state === 'waiting') this.#runtime.queueMoved();
			return { invitationId: invitation.invitationId, expiresAt: invitation.expiresAt, url };
		},
		removeInterpreter: async (actor) => {
			const id = await this.#runtime.verificationOf(actor);
			await this.#runtime.apply(id, (record) => removeInterpreter(record, actor, this.#runtime.context()));
			this.#runtime.logger.info({ verificationId: id }, 'interpreter removed');
			return {};
		},
		declareInterpreter: async (actor, payload) => {
			const id = await this.#runtime.verificationOf(actor);
			await this.#runtime.apply(id, (record) => declareInterpreter(record, actor, payload, this.#runtime.context()));
			return {};
		},
		checkDocument: async (actor, { documentType, documentNumber, mrz }) => {
			const id = await this.#runtime.verificationOf(actor);
			const documentHash = this.#hashDocument(documentType, documentNumber);
			const holders = await this.#runtime.repository.documentHolders(documentHash);
			const { result: check } = await this.#runtime.apply(id, (record) =>
				checkDocument(record, actor, { documentType, documentHash, holders, mrz }, this.#runtime.context()),
			);
			this.#runtime.logger.info({ verificationId: id, check: check.check, duplicate: check.duplicate }, 'document checked');
			return { duplicate: check.duplicate, check };
		},
		decide: async (actor, payload) => {
			const profile = requireAgent(actor, 'decide');
			const id = await this.#runtime.verificationOf(actor);
			// A poor connection supports connection_too_poor only as measured so far: read before the change.
			// A decision that may go to review keeps it too: the reviewer's evidence and outcome need it.
			const mayGoToReview = payload.decision === 'escalate' || this.#runtime.settings.reviewedApprovals.length > 0;
			const measured = payload.decision === 'reject' || mayGoToReview ? { callQuality: await this.#callQuality(id) } : undefined;
			const { after } = await this.#runtime.apply(id, (record) =>
				decide(record, actor, payload, this.#runtime.context(), measured),
			);
			this.#runtime.logger.info({ verificationId: id, state: after.state, agentId: profile.agentId }, 'verification decided');
			return this.#runtime.snapshot(await this.#runtime.repository.load(id), actor);
		},
		getState: async (actor) => {
			const record = await this.#runtime.repository.load(await this.#runtime.verificationOf(actor));
			assertMayAct(record, actor, 'getState');
			return this.#runtime.snapshot(record, actor);
		},
		sendChat: async (actor, { text }) => {
			const record = await this.#runtime.repository.load(await this.#runtime.verificationOf(actor));
			assertMayAct(record, actor, 'sendChat');
			// Chat is relayed, never stored: no journal record and no log line with its text.
			this.#runtime.notify({ verificationId: record.id }, 'chatMessageSent', {
				from: { participantId: actor.participantId, role: actor.role },
				text,
				at: this.#runtime.context().now.toISOString(),
			});
			return {};
		},
	};

	async #accept(actor: Actor, requested: string | undefined): Promise<VerificationResponses['accept']> {
		const profile = requireAgent(actor, 'accept');
		const { desk, repository } = this.#runtime;
		const now = this.#runtime.context().now;
		const after = await desk.withAgent(profile.agentId, async () => {
			const agent = await desk.load(profile, actor.participantId);
			const current = agent.value.verificationId;
			// An assignment can outlive its verification for a moment: the agent is released just after it ends.
			if (current && !isOver(await repository.find(current))) {
				throw AppError.invalidState('you are already in a call; decide it first', 'alreadyInCall');
			}
			if (agent.value.availability !== 'available') {
				throw AppError.invalidState('set yourself available before accepting', 'setAvailableFirst');
			}
			const id = requested ?? (await desk.nextFor(agent.value));
			if (id === undefined) throw AppError.invalidState('no verification you may take is waiting', 'nothingToAccept');
			const accepting = { ...profile, participantId: actor.participantId, connections: agent.value.connections };
			const changed = await this.#runtime.apply(
				id,
				(record) => accept(record, accepting, this.#runtime.context()),
				undefined,
				() => desk.write(agent, { ...agent.value, verificationId: id, participantId: actor.participantId }),
			);
			return changed.after;
		});
		if (after.consentedAt) this.#waits.record(now.getTime() - Date.parse(after.consentedAt));
		this.#runtime.logger.info({ verificationId: after.id, agentId: profile.agentId }, 'verification accepted');
		return this.#runtime.snapshot(after, actor);
	}
}

/** Whether the agent's call is over: the verification may still be in review, which no longer needs its agent. */
function isOver(record: VerificationRecord | undefined): boolean {
	return !record || isCallOver(record.state);
}
