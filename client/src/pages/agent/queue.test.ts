import type { AgentQueueView, QueueEntry } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import type { AgentProfile } from './agentToken.ts';
import { readAgentProfile } from './agentToken.ts';
import { formatDuration, ineligibilityOf, queueChange, waitingSecondsNow } from './queue.ts';

function entry(overrides: Partial<QueueEntry> = {}): QueueEntry {
	return {
		verificationId: 'v1',
		purpose: 'c2c_video',
		locale: 'en',
		interpreterNeeded: false,
		textOnlyChallenge: false,
		waitingSince: '2026-01-01T00:00:00.000Z',
		waitingSeconds: 10,
		eligible: true,
		next: true,
		...overrides,
	};
}

const view = (...items: QueueEntry[]): AgentQueueView => ({ availability: 'available', verificationId: null, items });

const profile: AgentProfile = {
	agentId: 'a',
	displayName: 'A',
	languages: ['en'],
	skills: [],
	reviewer: false,
	expiresAt: undefined,
};

describe('formatDuration', () => {
	it('writes minutes and seconds, and hours once there are any', () => {
		expect(formatDuration(0)).toBe('0:00');
		expect(formatDuration(42)).toBe('0:42');
		expect(formatDuration(725)).toBe('12:05');
		expect(formatDuration(3723)).toBe('1:02:03');
		expect(formatDuration(-5)).toBe('0:00');
	});
});

describe('waitingSecondsNow', () => {
	it('adds the whole seconds since the view arrived to the server count', () => {
		expect(waitingSecondsNow(entry({ waitingSeconds: 10 }), 1_000, 3_999)).toBe(12);
		expect(waitingSecondsNow(entry({ waitingSeconds: 10 }), 5_000, 4_000)).toBe(10);
	});
});

describe('ineligibilityOf', () => {
	it('is undefined for an eligible entry', () => {
		expect(ineligibilityOf(entry(), profile)).toBeUndefined();
	});

	it('blames the language when the call is in one the agent does not list', () => {
		expect(ineligibilityOf(entry({ eligible: false, locale: 'zh-CN' }), profile)).toBe('language');
		expect(ineligibilityOf(entry({ eligible: false, locale: 'zh-CN' }), { ...profile, languages: ['zh'] })).toBe('other');
	});

	it('treats an agent without languages as speaking English, as the server does', () => {
		expect(ineligibilityOf(entry({ eligible: false, locale: 'zh-CN' }), { ...profile, languages: [] })).toBe('language');
	});

	it('blames the missing sign-language skill for an interpreter call', () => {
		expect(ineligibilityOf(entry({ eligible: false, interpreterNeeded: true }), profile)).toBe('skill');
	});

	it('says "other" when it cannot tell', () => {
		expect(ineligibilityOf(entry({ eligible: false }), undefined)).toBe('other');
	});
});

describe('queueChange', () => {
	it('counts arrivals and departures', () => {
		const before = view(entry({ verificationId: 'a' }), entry({ verificationId: 'b' }));
		const after = view(
			entry({ verificationId: 'b' }),
			entry({ verificationId: 'c', eligible: false }),
			entry({ verificationId: 'd' }),
		);
		expect(queueChange(before, after)).toEqual({ arrived: 2, left: 1, waiting: 3, eligible: 2 });
	});

	it('is undefined when the same verifications are still waiting', () => {
		const items = [entry({ verificationId: 'a', waitingSeconds: 1 })];
		expect(queueChange(view(...items), view(entry({ verificationId: 'a', waitingSeconds: 9 })))).toBeUndefined();
	});

	it('reports the first view in full', () => {
		expect(queueChange(undefined, view())).toEqual({ arrived: 0, left: 0, waiting: 0, eligible: 0 });
	});
});

describe('readAgentProfile', () => {
	const encode = (value: unknown) =>
		btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
			.replace(/\+/g, '-')
			.replace(/\//g, '_')
			.replace(/=+$/, '');

	it('reads the profile of an agent token', () => {
		const token = `${encode({ alg: 'HS256' })}.${encode({
			role: 'agent',
			pid: 'agent-7',
			exp: 1_800_000_000,
			agent: { id: 'agent-7', name: '李娜 Li Na', languages: ['zh', 'en'], skills: ['sign_language'] },
		})}.sig`;
		expect(readAgentProfile(token)).toEqual({
			agentId: 'agent-7',
			displayName: '李娜 Li Na',
			languages: ['zh', 'en'],
			skills: ['sign_language'],
			reviewer: false,
			expiresAt: new Date(1_800_000_000_000),
		});
		const reviewer = `${encode({ alg: 'HS256' })}.${encode({
			role: 'agent',
			pid: 'r-1',
			agent: { id: 'r-1', name: 'R', languages: [], skills: [], perms: ['review'] },
		})}.sig`;
		expect(readAgentProfile(reviewer)?.reviewer).toBe(true);
	});

	it('refuses other roles and garbage', () => {
		expect(readAgentProfile(`x.${encode({ role: 'applicant', pid: 'p' })}.y`)).toBeUndefined();
		expect(readAgentProfile('not-a-token')).toBeUndefined();
		expect(readAgentProfile('a.%%%.b')).toBeUndefined();
	});
});
