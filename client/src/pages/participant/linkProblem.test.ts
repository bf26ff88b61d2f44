import { describe, expect, it } from 'vitest';
import { RequestError } from '../../signalling/request.ts';
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
	it("recognises the server's refusals by reason, and by code where the reason is the code's own", () => {
		const cases: [ConstructorParameters<typeof RequestError>[0], string][] = [
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'tokenExpired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'linkExpired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'invitationExpired' }, 'expired'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'invitationUsed' }, 'used'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'removedFromCall' }, 'removed'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'invitationInvalid' }, 'ended'],
			[
				{ code: 'INVALID_STATE', message: 'x', reason: 'notAllowedInState', params: { request: 'join', state: 'approved' } },
				'ended',
			],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'tokenInvalid' }, 'invalid'],
			[{ code: 'UNAUTHENTICATED', message: 'x', reason: 'unknownVerification' }, 'invalid'],
			[{ code: 'PROTOCOL_MISMATCH', message: 'x', reason: 'protocolMismatch' }, 'outdated_page'],
			[{ code: 'UNAVAILABLE', message: 'x', reason: 'serviceShuttingDown' }, 'unavailable'],
			[{ code: 'UNAVAILABLE', message: 'x' }, 'unavailable'],
		];
		for (const [wire, kind] of cases) {
			const refusal = new RequestError(wire);
			expect(refusalProblem(refusal)).toEqual({ kind, refusal });
		}
	});
});
