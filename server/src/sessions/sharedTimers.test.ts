// Deadlines and grace periods when several processes share one live state (Redis): a timer outlives
// the process that set it, because every process sweeps the shared timer set; and when many processes
// find the same timers due at once, each verification still changes once (a claim picks one handler,
// and the handler changes the record by compare-and-set). Likewise the events of a change whose journal
// append failed are journaled by another process once the one that wrote them is gone.
import { CONSENT_VERSION, DEFAULT_LOCALE } from '@vidverify/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { documentHasher } from '../auth/documentHash.ts';
import type { Journal, JournalEntry, JournalRecord } from '../store/Journal.ts';
import { RedisJournal } from '../store/redis/RedisJournal.ts';
import { RedisLiveState } from '../store/redis/RedisLiveState.ts';
import { deleteKeys, silentLogger, uniqueKeyPrefix } from '../store/redis/testSupport.ts';
import type { WebhookEvent } from '../webhooks/webhookAttempt.ts';
import { type Actor, DEFAULT_DOMAIN_SETTINGS, type DomainSettings } from './types.ts';
import { VerificationService } from './VerificationService.ts';

const redisUrl = inject('redisUrl');

type Process = { service: VerificationService; journal: RedisJournal; live: RedisLiveState };

let keyPrefix = '';
const processes: Process[] = [];
const enqueued: WebhookEvent[] = [];

afterEach(async () => {
	for (const process of processes.splice(0)) await stop(process);
	await deleteKeys(redisUrl, keyPrefix);
	enqueued.length = 0;
});

/** One server process's domain: its own Redis connections to the shared journal and live state. */
async function startProcess(
	settings: Partial<DomainSettings>,
	options: { clock?: () => Date; failAppend?: (entry: JournalEntry) => boolean } = {},
): Promise<Process> {
	const journal = await RedisJournal.open({ url: redisUrl, keyPrefix, logger: silentLogger });
	const live = await RedisLiveState.open({ url: redisUrl, keyPrefix, logger: silentLogger });
	const { failAppend } = options;
	// The appends it picks fail as if Redis went away between the live write and the journal.
	const serviceJournal: Journal = failAppend
		? {
				append: (entry) => (failAppend(entry) ? Promise.reject(new Error('Connection is closed.')) : journal.append(entry)),
				readAll: () => journal.readAll(),
				readVerification: (id) => journal.readVerification(id),
				verify: () => journal.verify(),
				close: () => journal.close(),
			}
		: journal;
	const service = await VerificationService.create({
		journal: serviceJournal,
		liveState: live,
		clock: options.clock,
		outbox: { enqueue: async (event) => void enqueued.push(event) },
		logger: silentLogger,
		settings: { ...DEFAULT_DOMAIN_SETTINGS, ...settings },
		sweepIntervalMs: 25,
		signOutcome: (outcome) => `signed:${outcome.verificationId}`,
		hashDocument: documentHasher('test-secret'),
		interpreterLink: (invitation) => `https://vidverify.test/join#${invitation.invitationId}`,
	});
	const process = { service, journal, live };
	processes.push(process);
	return process;
}

async function stop(process: Process): Promise<void> {
	await process.service.close();
	await process.journal.close();
	await process.live.close();
}

async function waitingApplicant(service: VerificationService): Promise<Actor> {
	const { verification, applicantParticipantId } = await service.createVerification({
		externalUserRef: `user-${Math.random().toString(36).slice(2)}`,
		purpose: 'c2c_video',
		locale: DEFAULT_LOCALE,
	});
	const applicant: Actor = { role: 'applicant', participantId: applicantParticipantId, verificationId: verification.id };
	await service.participantConnected(applicant);
	await service.handle('consent', applicant, { consentVersion: CONSENT_VERSION });
	return applicant;
}

async function until(check: () => Promise<boolean>): Promise<void> {
	while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

const ofType = (records: JournalRecord[], type: string) => records.filter((record) => record.type === type);

describe('timers shared through Redis', () => {
	it('end a call when the process that started its grace period stopped before it passed', async () => {
		keyPrefix = uniqueKeyPrefix('timers');
		const first = await startProcess({ graceMs: 300 });
		const second = await startProcess({ graceMs: 300 });
		const applicant = await waitingApplicant(first.service);
		const agent: Actor = {
			role: 'agent',
			participantId: 'agent-participant',
			verificationId: undefined,
			agent: { agentId: 'agent-1', displayName: 'Agent One', languages: ['en', 'zh'], skills: [] },
		};
		await first.service.participantConnected(agent);
		await first.service.handle('setAvailability', agent, { availability: 'available' });
		await first.service.handle('accept', agent, { verificationId: applicant.verificationId });

		await first.service.participantDisconnected(applicant);
		// The process that holds the grace period's own timer goes away before it fires.
		processes.splice(processes.indexOf(first), 1);
		await stop(first);

		const id = applicant.verificationId ?? '';
		// The live record changes first and the journal right after it: the outcome closes the change.
		await until(async () => ofType(await second.journal.readVerification(id), 'outcome.recorded').length > 0);
		// Its webhook is queued right after the outcome is journaled.
		await until(async () => enqueued.some((event) => event.verificationId === id));
		expect((await second.service.getVerification(id)).state).toBe('interrupted');
		const records = await second.journal.readVerification(id);
		expect(ofType(records, 'verification.ended')).toHaveLength(1);
		expect(ofType(records, 'verification.ended')[0]?.data).toMatchObject({
			state: 'interrupted',
			reasonCodes: ['applicant_left'],
		});
		expect(ofType(records, 'outcome.recorded')).toHaveLength(1);
		expect(enqueued.filter((event) => event.verificationId === id)).toHaveLength(1);
	});

	it('change each verification once when five processes find the same deadlines due at the same moment', async () => {
		keyPrefix = uniqueKeyPrefix('timers');
		const all = [];
		for (let index = 0; index < 5; index += 1) all.push(await startProcess({ maxWaitMs: 400 }));
		const ids: string[] = [];
		for (let index = 0; index < 12; index += 1) {
			const applicant = await waitingApplicant((all[index % all.length] as Process).service);
			ids.push(applicant.verificationId ?? '');
		}
		const reader = all[0] as Process;
		await until(async () => {
			const journaled = await Promise.all(ids.map(async (id) => await reader.journal.readVerification(id)));
			return journaled.every((records) => ofType(records, 'outcome.recorded').length > 0);
		});
		await until(async () => ids.every((id) => enqueued.some((event) => event.verificationId === id)));
		for (const id of ids) expect((await reader.service.getVerification(id)).state).toBe('expired');
		// Every process keeps sweeping; a few more sweeps change nothing.
		await new Promise((resolve) => setTimeout(resolve, 200));
		for (const id of ids) {
			const records = await reader.journal.readVerification(id);
			expect(ofType(records, 'verification.ended'), id).toHaveLength(1);
			expect(ofType(records, 'outcome.recorded'), id).toHaveLength(1);
			expect(enqueued.filter((event) => event.verificationId === id)).toHaveLength(1);
		}
		expect(await reader.live.size('timers')).toBe(0);
	});
});

describe('a change the journal missed, with the live state in Redis', () => {
	it('is journaled once by another process when the one that applied it is gone', async () => {
		keyPrefix = uniqueKeyPrefix('unjournaled');
		const first = await startProcess({}, { failAppend: (entry) => entry.type === 'outcome.recorded' });
		const applicant = await waitingApplicant(first.service);
		const id = applicant.verificationId ?? '';
		const agent: Actor = {
			role: 'agent',
			participantId: 'agent-participant',
			verificationId: undefined,
			agent: { agentId: 'agent-1', displayName: 'Agent One', languages: ['en', 'zh'], skills: [] },
		};
		await first.service.participantConnected(agent);
		await first.service.handle('setAvailability', agent, { availability: 'available' });
		await first.service.handle('accept', agent, { verificationId: id });
		await expect(
			first.service.handle('decide', agent, {
				decision: 'reject',
				reasonCodes: ['procedure_not_followed'],
				note: 'read the answers from a script',
			}),
		).rejects.toMatchObject({
			code: 'UNAVAILABLE',
		});
		expect(ofType(await first.journal.readVerification(id), 'outcome.recorded')).toHaveLength(0);
		expect(await first.live.size('unjournaled')).toBe(1);
		processes.splice(processes.indexOf(first), 1);
		await stop(first);

		// Its clock is past the time the first process had to journal them: they are stale to it.
		const second = await startProcess({}, { clock: () => new Date(Date.now() + 10_000) });
		await until(async () => (await second.live.size('unjournaled')) === 0);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const records = await second.journal.readVerification(id);
		expect(ofType(records, 'verification.decided')).toHaveLength(1);
		expect(ofType(records, 'outcome.recorded')).toHaveLength(1);
		expect((await second.service.getVerification(id)).outcome).toMatchObject({ state: 'rejected' });
		// The outbox dedupes by event id; this one only records what it was asked.
		const webhooks = enqueued.filter((event) => event.verificationId === id);
		expect(webhooks.length).toBeGreaterThan(0);
		expect(new Set(webhooks.map((event) => event.eventId))).toEqual(new Set([`${id}.rejected`]));
		expect((await second.journal.verify()).ok).toBe(true);
	});
});
