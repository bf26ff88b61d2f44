// The host API's two creating calls apart from HTTP: create a verification and mint its applicant's
// token and link; mint an agent's token and link. The host API serves them, and the development try
// endpoint calls the very same ones, so a tried verification is made exactly as a host's would be.
import type { AgentTokenAnswer, AgentTokenBody, CreateVerificationAnswer, CreateVerificationBody } from '@vidverify/shared';
import type { JoinLinks } from '../../auth/JoinLinks.ts';
import type { ParticipantTokens } from '../../auth/ParticipantTokens.ts';
import type { VerificationService } from '../../sessions/VerificationService.ts';

export type HostCallsOptions = {
	verifications: Pick<VerificationService, 'createVerification'>;
	tokens: ParticipantTokens;
	links: JoinLinks;
	/**
	 * How long the applicant's token outlives the verification's join deadline: a call that starts just
	 * before the deadline must still be able to reconnect with the same token.
	 */
	applicantTokenOverrunMs: number;
};

export type HostCalls = {
	createVerification(body: CreateVerificationBody): Promise<CreateVerificationAnswer>;
	createAgentToken(body: AgentTokenBody): AgentTokenAnswer;
};

export function hostCalls({ verifications, tokens, links, applicantTokenOverrunMs }: HostCallsOptions): HostCalls {
	return {
		async createVerification(body) {
			const { verification, applicantParticipantId } = await verifications.createVerification(body);
			const joinDeadline = new Date(verification.expiresAt);
			const issued = tokens.issueApplicant(
				verification.id,
				applicantParticipantId,
				new Date(joinDeadline.getTime() + applicantTokenOverrunMs),
			);
			return {
				id: verification.id,
				state: verification.state,
				applicantUrl: links.applicant(issued.token),
				applicantToken: issued.token,
				expiresAt: joinDeadline.toISOString(),
			};
		},
		createAgentToken(body) {
			const issued = tokens.issueAgent({
				agentId: body.agentId,
				displayName: body.displayName,
				languages: body.languages ?? [],
				skills: body.skills ?? [],
				...(body.permissions?.length ? { permissions: [...new Set(body.permissions)] } : {}),
			});
			return {
				token: issued.token,
				tokenId: issued.tokenId,
				agentUrl: links.agent(issued.token),
				expiresAt: issued.expiresAt.toISOString(),
			};
		},
	};
}
