import { describe, expect, it } from 'vitest';
import { checkLink, refusalProblem } from './linkProblem.ts';

const now = new Date('2026-11-02T10:00:00Z');
const claims = (role: 'applicant' | 'agent' | 'interpreter', expiresAt?: string) => ({
	role,
	verificationId: 'v1',
	participantId: 'p1',
	expiresAt: expiresAt ? new Date(expiresAt) : undefined,
});

describe('checkLink()', () => {
	it('reports a missing token, an unreadable one and an agent link opened as a join link', () => {
		expect(checkLink(undefined, undefined, now)).toEqual({ kind: 'missing' });
		expect(checkLink('garbage', undefined, now)).toEqual({ kind: 'invalid' });
		expect(checkLink('t', claims('agent'), now)).toEqual({ kind: 'agent_link' });
	});

	it('reports a token past its expiry before connecting', () => {
		expect(checkLink('t', claims('applicant', '2026-11-02T09:59:59Z'), now)).toEqual({ kind: 'expired' });
	});

	it('lets a valid applicant or interpreter token through', () => {
		expect(checkLink('t', claims('applicant', '2026-11-02T11:00:00Z'), now)).toBeUndefined();
		expect(checkLink('t', claims('interpreter'), now)).toBeUndefined();
	});
});

describe('refusalProblem()', () => {
	it("recognises the server's refusals by code and reason", () => {
		const cases: [Parameters<typeof refusalProblem>[0], string][] = [
			[{ code: 'UNAUTHENTICATED', message: 'the token has expired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'this verification link has expired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'this invitation has expired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'invitation already used' }, 'used'],
			[{ code: 'UNAUTHENTICATED', message: 'you were removed from this call' }, 'removed'],
			[{ code: 'UNAUTHENTICATED', message: 'this invitation is no longer valid' }, 'ended'],
			[{ code: 'INVALID_STATE', message: 'the verification is already approved' }, 'ended'],
			[{ code: 'UNAUTHENTICATED', message: 'the token is not valid' }, 'invalid'],
			[{ code: 'UNAUTHENTICATED', message: 'this token names no known verification' }, 'invalid'],
			[{ code: 'PROTOCOL_MISMATCH', message: 'reload the page' }, 'outdated_page'],
			[{ code: 'UNAVAILABLE', message: 'the service is shutting down' }, 'unavailable'],
		];
		for (const [refusal, kind] of cases) expect(refusalProblem(refusal)).toEqual({ kind, detail: refusal.message });
	});
});
