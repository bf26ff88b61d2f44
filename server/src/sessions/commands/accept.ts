// An agent takes a waiting verification: the call starts and the agent becomes its participant.
import { AppError } from '../../errors.ts';
import { assertState } from '../lifecycle.ts';
import { ineligibilityOf } from '../routing.ts';
import type { AgentProfile } from '../types.ts';
import type { VerificationRecord } from '../VerificationRecord.ts';
import { participantsOf } from '../views.ts';
import { after, type CommandContext, type Decision, type Notice, notice } from './Decision.ts';

export type AcceptingAgent = AgentProfile & {
	/** The participant id of the connection that accepts. */
	participantId: string;
	/** Connections the agent has open now: the call starts with them. */
	connections: number;
};

export function accept(record: VerificationRecord, agent: AcceptingAgent, context: CommandContext): Decision {
	// Losing a race to another agent is told apart from a verification that is simply not waiting.
	if (record.state === 'in_call') {
		throw AppError.conflict('another agent has already taken this verification', 'takenByAnotherAgent');
	}
	assertState('accept', 'agent', record.state);
	const reason = ineligibilityOf(agent, record);
	if (reason) throw AppError.forbidden(`you may not take this verification: ${reason}`, 'notEligibleToTake');
	const at = context.now.toISOString();
	const decision: Decision = {
		events: [
			{
				type: 'verification.accepted',
				data: { at, agentId: agent.agentId, agentName: agent.displayName, participantId: agent.participantId },
			},
		],
		live: (next) => {
			if (next.agent) next.agent.connections = Math.max(1, agent.connections);
		},
		queue: 'leave',
		result: undefined,
	};
	const notices: Notice[] = [
		notice({ verificationId: record.id }, 'stateChanged', {
			verificationId: record.id,
			state: 'in_call',
			previousState: record.state,
			at,
		}),
	];
	const agentView = participantsOf(after(record, decision)).find((participant) => participant.role === 'agent');
	if (agentView)
		notices.push(notice({ verificationId: record.id }, 'participantJoined', { participant: agentView, resumed: false }));
	return { ...decision, notices };
}
