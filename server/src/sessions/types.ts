// The types the transport shares with the verification domain: who is acting, where notifications
// go, and the domain's settings.
import type {
	AgentPermission,
	Purpose,
	ReviewNotifications,
	Role,
	VerificationNotifications,
	VerificationRequestName,
} from '@vidverify/shared';

export type AgentProfile = {
	agentId: string;
	displayName: string;
	languages: string[];
	skills: string[];
	/** What the token allows beyond calls (`review`); absent in tokens minted before permissions. */
	permissions?: AgentPermission[];
};

/** The authenticated sender of a request, as the transport read it from the token. */
export type Actor = {
	role: Role;
	participantId: string;
	/** Applicants and interpreters: their verification. Agents: undefined (the domain knows their assignment). */
	verificationId: string | undefined;
	/** Present for agents. */
	agent?: AgentProfile;
};

/**
 * Who a notification is for: everyone in a verification (optionally only some roles), one participant
 * (e.g. an agent's own queue view, an applicant's queue position), or every connected reviewer.
 */
export type Audience = { verificationId: string; roles?: Role[] } | { participantId: string } | { reviewers: true };

/** Everything the domain tells: the verification's notifications and the reviewers' queue. */
export type DomainNotifications = VerificationNotifications & ReviewNotifications;

export type Notification<N extends keyof DomainNotifications = keyof DomainNotifications> = {
	audience: Audience;
	name: N;
	payload: DomainNotifications[N];
};

/** What the domain hands back for an interpreter invitation; the transport turns it into a token and link. */
export type InterpreterInvitation = {
	invitationId: string;
	verificationId: string;
	/** The interpreter's participant id: the token's subject. */
	participantId: string;
	expiresAt: string;
};

export type DomainSettings = {
	/** From creation, how long the applicant's link is valid for joining and consenting. */
	joinWindowMs: number;
	/** From consent, how long an applicant may wait for an agent before the verification expires. */
	maxWaitMs: number;
	/** How long a dropped participant keeps its place; past it a call is interrupted, a wait abandoned. */
	graceMs: number;
	/** How long a challenge number is valid after it is shown. */
	challengeTtlMs: number;
	/** How long an interpreter invitation can be used. */
	invitationTtlMs: number;
	/** The estimated wait per queue position before any wait has been measured. */
	defaultWaitEstimateMs: number;
	/** How many recent waits the rolling estimate averages. */
	waitSamples: number;
	/** Region codes (upper case) the service is not offered in; a host stating one is refused at creation. */
	unsupportedRegions: string[];
	/** How many security features the tilt step asks for. */
	securityFeatureCount: number;
	/** The purposes whose approvals a reviewer confirms (four-eyes): the agent's approval sends them to review. */
	reviewedApprovals: Purpose[];
};

export const DEFAULT_DOMAIN_SETTINGS: DomainSettings = {
	joinWindowMs: 24 * 60 * 60_000,
	maxWaitMs: 30 * 60_000,
	graceMs: 30_000,
	challengeTtlMs: 120_000,
	invitationTtlMs: 15 * 60_000,
	defaultWaitEstimateMs: 120_000,
	waitSamples: 20,
	unsupportedRegions: [],
	securityFeatureCount: 3,
	reviewedApprovals: [],
};

export type RequestName = VerificationRequestName;
