// Reads what a page needs from its join token without trusting it: the server verifies the token;
// the page only uses its claims to pick a screen. Tokens come in the URL fragment, which browsers
// never send to servers or in Referer headers.
import type { Role } from '@vidverify/shared';

export type TokenClaims = { role: Role; verificationId: string | undefined; participantId: string; expiresAt: Date | undefined };

export function tokenFromLocation(location: Pick<Location, 'hash'> = window.location): string | undefined {
	const token = location.hash.replace(/^#/, '').trim();
	return token.length > 0 ? decodeURIComponent(token) : undefined;
}

export function readClaims(token: string): TokenClaims | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
		const role = json.role;
		if (role !== 'applicant' && role !== 'agent' && role !== 'interpreter') return undefined;
		return {
			role,
			verificationId: typeof json.vid === 'string' ? json.vid : undefined,
			participantId: typeof json.pid === 'string' ? json.pid : '',
			expiresAt: typeof json.exp === 'number' ? new Date(json.exp * 1000) : undefined,
		};
	} catch {
		return undefined;
	}
}
