// What a final state owes in the embedded mode, where the live state is memory and cannot fail but
// the journal's disk can: a decision whose webhook could not be journaled, or whose own events could
// not, is paid in full by the running process's sweeps once the disk works again (no restart), with
// the webhook journaled and delivered once and the agent released.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONSENT_VERSION, ErrorCode, type ReviewRequestPayload } from '@vidverify/shared';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentHasher } from '../auth/documentHash.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import type { Journal, JournalEntry, JournalRecord } from '../store/Journal.ts';
import { MemoryLiveState } from '../store/memory/MemoryLiveState.ts';
import { type Receiver, startReceiver } from '../webhooks/testSupport.ts';
import { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import { type Actor, DEFAULT_DOMAIN_SETTINGS } from './types.ts';
import { VerificationService } from './VerificationService.ts';

const silent = pino({ level: 'silent' });

let dataDir: string;
let journal: EmbeddedJournal;
let live: MemoryLiveState;
let outbox: WebhookOutbox;
let service: VerificationService;
let receiver: Receiver;
/** The appends it picks fail, as a full or failing disk would fail them. */
let failAppend: ((entry: JournalEntry) => boolean) | undefined;

/** The journal as the service and the outbox see it: the real one, but for failAppend. */
function failingDisk(real: Journal): Journal {
	return {
		append: (entry) =>
			failAppend?.(entry) ? Promise.reject(new Error('ENOSPC: no space left on device, write')) : real.append(entry),
		readAll: () => real.readAll(),
		readVerification: (id) => real.readVerification(id),
		verify: () => real.verify(),
		close: () => real.close(),
	};
}

beforeEach(async () => {
	failAppend = undefined;
	dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-final-tail-'));
	journal = await EmbeddedJournal.open({ dataDir, logger: silent });
	live = new MemoryLiveState();
	receiver = await startReceiver(() => ({ status: 204 }));
	const disk = failingDisk(journal);
	outbox = await WebhookOutbox.create({ journal: disk, live, url: receiver.url, secret: 'whsec-final-tail', logger: silent });
	service = await VerificationService.create({
		journal: disk,
		liveState: live,
		outbox,
		logger: silent,
		settings: { ...DEFAULT_DOMAIN_SETTINGS, graceMs: 60_000 },
		sweepIntervalMs: 20,
		signOutcome: (outcome) => `signed:${outcome.verificationId}:${outcome.state}`,
		hashDocument: documentHasher('test-secret'),
		interpreterLink: (invitation) => `https://vidverify.test/join#${invitation.invitationId}`,
	});
});

afterEach(async () => {
	await service.close();
	await outbox.close();
	await journal.close();
	await receiver.stop();
	await fs.rm(dataDir, { recursive: true, force: true });
});

async function inCall(): Promise<{ id: string; agent: Actor; agentId: string }> {
	const { verification, applicantParticipantId } = await service.createVerification({
		externalUserRef: 'user-final-tail',
		purpose: 'c2c_video',
	});
	const applicant: Actor = { role: 'applicant', participantId: applicantParticipantId, verificationId: verification.id };
	await service.participantConnected(applicant);
	await service.handle('consent', applicant, { consentVersion: CONSENT_VERSION });
	const agentId = 'agent-final-tail';
	const agent: Actor = {
		role: 'agent',
		participantId: 'participant-final-tail',
		verificationId: undefined,
		agent: { agentId, displayName: 'Agent', languages: ['en', 'zh'], skills: [] },
	};
	await service.participantConnected(agent);
	await service.handle('setAvailability', agent, { availability: 'available' });
	await service.handle('accept', agent, { verificationId: verification.id });
	return { id: verification.id, agent, agentId };
}

const ofType = (records: JournalRecord[], type: string) => records.filter((record) => record.type === type);

/**
 * Once the tail is paid: one webhook journaled and delivered for the event, nothing left owed or due,
 * and the outcome recorded once (none for a verification in review).
 */
async function paidOnce(id: string, eventId: string, outcomes = 1): Promise<void> {
	await vi.waitFor(
		async () => {
			expect(await live.size('final-tails')).toBe(0);
			expect(await outbox.countPending()).toBe(0);
		},
		{ timeout: 10_000, interval: 20 },
	);
	const records = await journal.readVerification(id);
	expect(ofType(records, 'webhook.enqueued').map((record) => record.data.eventId)).toEqual([eventId]);
	expect(ofType(records, 'webhook.delivered')).toHaveLength(1);
	expect(ofType(records, 'outcome.recorded')).toHaveLength(outcomes);
	expect(receiver.requests.map((request) => request.headers['vidverify-event-id'])).toEqual([eventId]);
	expect((await journal.verify()).ok).toBe(true);
}

describe('what a final state owes, in the embedded mode with a failing disk', () => {
	it('a decision whose webhook could not be journaled is answered, and the sweep journals and delivers it once the disk works', async () => {
		const { id, agent, agentId } = await inCall();
		failAppend = (entry) => entry.type === 'webhook.enqueued';

		const decided = await service.handle('decide', agent, {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});

		expect(decided.state).toBe('rejected');
		expect(await service.desk.assignment(agentId)).toBeNull();
		// Owed, and kept owed while the disk refuses: nothing is journaled or sent in the meantime.
		await vi.waitFor(async () => expect(await live.size('final-tails')).toBe(1));
		expect(ofType(await journal.readVerification(id), 'webhook.enqueued')).toHaveLength(0);
		expect(receiver.requests).toHaveLength(0);

		failAppend = undefined;
		await paidOnce(id, `${id}.rejected`);
	});

	it('a decision none of whose events could be journaled frees its agent, and its outcome and webhook follow in order once the disk works', async () => {
		const { id, agent, agentId } = await inCall();
		failAppend = () => true;

		await expect(
			service.handle('decide', agent, { decision: 'reject', reasonCodes: ['procedure_not_followed'], note: 'disk full' }),
		).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });

		await vi.waitFor(async () => expect(await service.desk.assignment(agentId)).toBeNull(), { timeout: 10_000 });
		expect(ofType(await journal.readVerification(id), 'verification.decided')).toHaveLength(0);
		expect(receiver.requests).toHaveLength(0);

		failAppend = undefined;
		await paidOnce(id, `${id}.rejected`);
		const types = (await journal.readVerification(id)).map((record) => record.type);
		expect(types.slice(-4)).toEqual(['verification.decided', 'outcome.recorded', 'webhook.enqueued', 'webhook.delivered']);
	});

	it('a reviewer’s decision none of whose events could be journaled is recorded with its outcome and both webhooks once the disk works', async () => {
		const { id, agent } = await inCall();
		await service.handle('decide', agent, { decision: 'escalate', note: 'second look' });
		await paidOnce(id, `${id}.in_review`, 0);
		const reviewer: Actor = {
			role: 'agent',
			participantId: 'participant-reviewer',
			verificationId: undefined,
			agent: { agentId: 'reviewer-final-tail', displayName: 'Reviewer', languages: ['en'], skills: [], permissions: ['review'] },
		};
		failAppend = () => true;
		const decision: ReviewRequestPayload<'decideReview'> = {
			verificationId: id,
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'disk full',
		};
		await expect(service.handleReview('decideReview', reviewer, decision)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
		expect((await service.getVerification(id)).state).toBe('rejected');
		failAppend = undefined;
		await vi.waitFor(
			async () => {
				expect(await live.size('final-tails')).toBe(0);
				expect(receiver.requests.map((request) => request.headers['vidverify-event-id'])).toEqual([
					`${id}.in_review`,
					`${id}.rejected`,
				]);
			},
			{ timeout: 10_000, interval: 20 },
		);
		const types = (await journal.readVerification(id)).map((record) => record.type);
		expect(types.filter((type) => type === 'review.decided' || type === 'outcome.recorded')).toEqual([
			'review.decided',
			'outcome.recorded',
		]);
		expect((await journal.verify()).ok).toBe(true);
	});

	it('an escalation none of whose events could be journaled frees its agent, and the review webhook follows once the disk works', async () => {
		const { id, agent, agentId } = await inCall();
		failAppend = () => true;

		await expect(service.handle('decide', agent, { decision: 'escalate', note: 'disk full' })).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});

		await vi.waitFor(async () => expect(await service.desk.assignment(agentId)).toBeNull(), { timeout: 10_000 });
		expect((await service.getVerification(id)).state).toBe('in_review');
		expect(receiver.requests).toHaveLength(0);

		failAppend = undefined;
		// In review there is no outcome yet: that is the reviewer's decision's.
		await paidOnce(id, `${id}.in_review`, 0);
		const types = (await journal.readVerification(id)).map((record) => record.type);
		expect(types.slice(-3)).toEqual(['review.requested', 'webhook.enqueued', 'webhook.delivered']);
	});
});
