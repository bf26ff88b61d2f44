// Why a join link cannot be used, in words a person can act on. The page checks what it can read in
// the token itself (present, well-formed, meant for this page, not past its expiry); the server's
// handshake refusal covers the rest: its reason key picks the kind of problem the page explains, and
// the refusal itself stays beside it so its translated reason can be shown too.
import type { ErrorReason } from '@vidverify/shared';
import type { RequestError } from '../../signalling/request.ts';
import type { TokenClaims } from '../../signalling/token.ts';

export type LinkProblemKind =
	| 'missing'
	| 'invalid'
	| 'agent_link'
	| 'expired'
	| 'used'
	| 'removed'
	| 'ended'
	| 'outdated_page'
	| 'unavailable';

export type LinkProblem = { kind: LinkProblemKind; refusal?: RequestError };

/** What the page can tell before connecting. */
export function checkLink(token: string | undefined, claims: TokenClaims | undefined, now: Date): LinkProblem | undefined {
	if (token === undefined) return { kind: 'missing' };
	if (!claims) return { kind: 'invalid' };
	if (claims.role === 'agent') return { kind: 'agent_link' };
	if (claims.expiresAt && claims.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
	return undefined;
}

const KIND_OF_REASON: Partial<Record<ErrorReason, LinkProblemKind>> = {
	tokenExpired: 'expired',
	linkExpired: 'expired',
	invitationExpired: 'expired',
	invitationUsed: 'used',
	removedFromCall: 'removed',
	invitationInvalid: 'ended',
	callEnded: 'ended',
	protocolMismatch: 'outdated_page',
};

/** What the server's refusal of the handshake means for this person. */
export function refusalProblem(refusal: RequestError): LinkProblem {
	const { code, reason } = refusal;
	const kind =
		KIND_OF_REASON[reason] ??
		(code === 'PROTOCOL_MISMATCH'
			? 'outdated_page'
			: code === 'UNAVAILABLE' || code === 'RATE_LIMITED' || code === 'INTERNAL'
				? 'unavailable'
				: code === 'INVALID_STATE'
					? 'ended'
					: 'invalid');
	return { kind, refusal };
}
