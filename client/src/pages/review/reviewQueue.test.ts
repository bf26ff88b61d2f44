import type { ReviewQueueEntry } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { withEntry } from './reviewQueue.ts';

const entry = (verificationId: string, since: string): ReviewQueueEntry => ({
	verificationId,
	purpose: 'c2c_video',
	locale: 'en',
	since,
	agent: { agentId: 'a', displayName: 'A' },
	agentDecision: 'escalate',
	interpreter: false,
});

describe('withEntry', () => {
	it('keeps the longest waiting first, replaces an entry it has, and takes out one that left review', () => {
		const first = entry('v-1', '2026-12-01T10:00:00Z');
		const second = entry('v-2', '2026-12-01T10:05:00Z');
		expect(withEntry([second], 'v-1', first)).toEqual([first, second]);
		expect(withEntry([first, second], 'v-1', first)).toEqual([first, second]);
		expect(withEntry([first, second], 'v-1', null)).toEqual([second]);
	});
});
