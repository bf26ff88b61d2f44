// Why a join link cannot be used, in words a person can act on. The page checks what it can read in
// the token itself (present, well-formed, meant for this page, not past its expiry); the server's
// handshake refusal covers the rest. The server's reasons are English sentences under a few codes, so
// they are matched here once and turned into a kind the page translates; the server's own words stay
// visible as a detail for support.
import type { ErrorCode } from '@vidverify/shared';
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

export type LinkProblem = { kind: LinkProblemKind; detail?: string };

/** What the page can tell before connecting. */
export function checkLink(token: string | undefined, claims: TokenClaims | undefined, now: Date): LinkProblem | undefined {
	if (token === undefined) return { kind: 'missing' };
	if (!claims) return { kind: 'invalid' };
	if (claims.role === 'agent') return { kind: 'agent_link' };
	if (claims.expiresAt && claims.expiresAt.getTime() <= now.getTime()) return { kind: 'expired' };
	return undefined;
}

/** What the server's refusal of the handshake means for this person. */
export function refusalProblem(refusal: { code: ErrorCode; message: string }): LinkProblem {
	const { code, message } = refusal;
	const detail = message;
	if (code === 'PROTOCOL_MISMATCH') return { kind: 'outdated_page', detail };
	if (code === 'UNAVAILABLE' || code === 'RATE_LIMITED' || code === 'INTERNAL') return { kind: 'unavailable', detail };
	const text = message.toLowerCase();
	if (text.includes('expired')) return { kind: 'expired', detail };
	if (text.includes('already used')) return { kind: 'used', detail };
	if (text.includes('removed')) return { kind: 'removed', detail };
	if (code === 'INVALID_STATE' || text.includes('no longer valid')) return { kind: 'ended', detail };
	return { kind: 'invalid', detail };
}
