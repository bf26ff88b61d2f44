// Participants joining and dropping: each connection counted on its verification (and, when processes
// share the live state, recorded under this process), the first join of an interpreter using its
// invitation once, and a participant's last connection dropping, which starts its grace period (the
// due-queue ends the call or the wait if it passes; see timers.ts and commands/endings.ts).
import { isCallOver } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { AgentRecord } from './AgentDesk.ts';
import { requireAgent } from './commands/Decision.ts';
import { interpreterJoinCheck, interpreterJoined } from './commands/interpreter.ts';
import {
	agentConnected,
	agentDisconnected,
	applicantConnected,
	participantDisconnected,
	presenceOf,
} from './commands/presence.ts';
import type { ConnectionRef } from './ProcessRegistry.ts';
import type { DomainRuntime } from './runtime.ts';
import type { Actor } from './types.ts';
import { mergeEffects } from './VerificationRepository.ts';
import { participantsOf } from './views.ts';

export class ParticipantPresence {
	readonly #runtime: DomainRuntime;

	constructor(runtime: DomainRuntime) {
		this.#runtime = runtime;
	}

	async connected(
		actor: Actor,
		connectionId?: string,
	): Promise<{ verificationId: string | undefined; connection: ConnectionRef | undefined }> {
		const runtime = this.#runtime;
		const connection = runtime.registry.connectionRef(actor, connectionId);
		if (actor.role === 'agent') return { ...(await this.#agentConnected(actor, connection)), connection };
		const id = await runtime.verificationOf(actor);
		if (!(await runtime.repository.find(id))) {
			throw AppError.unauthenticated('this token names no known verification', 'unknownVerification');
		}
		const { before, after, result } = await runtime.apply(
			id,
			async (record) => {
				const context = runtime.context();
				if (actor.role === 'applicant') return { ...applicantConnected(record, actor, context), result: false };
				const join = interpreterJoinCheck(record, actor, context);
				if (join.kind === 'first') {
					const claimed = await runtime.repository.claimInvitation(
						record.interpreter?.invitationId ?? '',
						join.remainingMs + runtime.settings.graceMs,
					);
					if (!claimed) throw AppError.unauthenticated('invitation already used', 'invitationUsed');
				}
				const joined = interpreterJoined(record, actor, join.kind === 'first', context);
				return { ...joined, result: joined.result.firstJoin };
			},
			runtime.registry.effects('add', connection),
		);
		const presence = presenceOf(before, actor);
		if ((presence?.connections ?? 0) === 0 && !isCallOver(after.state)) {
			const participant = participantsOf(after).find((candidate) => candidate.participantId === actor.participantId);
			if (participant) {
				runtime.notify({ verificationId: id }, 'participantJoined', {
					participant,
					resumed: presence?.joinedAt != null,
					revision: after.revision,
				});
			}
		}
		if (result) runtime.logger.info({ verificationId: id }, 'interpreter joined');
		// The queue shows whether an interpreter takes part: that changes every agent's view. A returning
		// applicant changes nobody's (it reads its own place in its snapshot): a handshake must not fan out.
		if (after.state === 'waiting' && result) runtime.queueMoved();
		return { verificationId: id, connection };
	}

	async disconnected(actor: Actor, connection?: ConnectionRef): Promise<void> {
		const runtime = this.#runtime;
		// Ended already: by another process that took this one for dead.
		if (connection && !(await runtime.registry.isRecorded(connection))) return;
		const recorded = runtime.registry.effects('remove', connection);
		if (actor.role === 'agent') {
			await this.#agentDisconnected(actor, recorded);
			return;
		}
		const id = await runtime.verificationOf(actor);
		await runtime.apply(id, () => participantDisconnected(actor, runtime.context()), recorded);
	}

	async #agentConnected(actor: Actor, connection: ConnectionRef | undefined): Promise<{ verificationId: string | undefined }> {
		const runtime = this.#runtime;
		const { desk, registry } = runtime;
		const profile = requireAgent(actor);
		const agent = await desk.withAgent(profile.agentId, async () => {
			const stored = await desk.load(profile, actor.participantId);
			const next: AgentRecord = {
				...stored.value,
				...profile,
				participantId: actor.participantId,
				connections: stored.value.connections + 1,
			};
			await desk.write(
				stored,
				next,
				mergeEffects(desk.onlineEffects(profile.agentId, true), registry.effects('add', connection)),
			);
			return next;
		});
		const id = agent.verificationId;
		if (id) {
			const { before, after } = await runtime.apply(id, () => agentConnected(profile.agentId, actor.participantId));
			const participant = participantsOf(after).find((candidate) => candidate.role === 'agent');
			if (participant && before.agent?.connections === 0) {
				runtime.notify({ verificationId: id }, 'participantJoined', { participant, resumed: true, revision: after.revision });
			}
		}
		runtime.notify({ participantId: actor.participantId }, 'queueUpdated', await desk.queueViewFor(agent));
		return { verificationId: id ?? undefined };
	}

	async #agentDisconnected(actor: Actor, recorded: ReturnType<DomainRuntime['registry']['effects']>): Promise<void> {
		const runtime = this.#runtime;
		const { desk } = runtime;
		const profile = requireAgent(actor);
		const agent = await desk.withAgent(profile.agentId, async () => {
			const stored = await desk.find(profile.agentId);
			if (!stored) return undefined;
			if (stored.value.connections === 0) {
				if (recorded) await desk.write(stored, stored.value, recorded);
				return undefined;
			}
			const next = { ...stored.value, connections: stored.value.connections - 1 };
			const offline = next.connections === 0 ? desk.onlineEffects(profile.agentId, false) : undefined;
			await desk.write(stored, next, mergeEffects(offline, recorded));
			return next;
		});
		if (!agent || agent.connections > 0) return;
		if (agent.availability === 'available') runtime.queueMoved();
		if (agent.verificationId) {
			await runtime.apply(agent.verificationId, () => agentDisconnected(profile.agentId, runtime.context()));
		}
	}
}
