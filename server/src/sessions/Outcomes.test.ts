// The signed outcome commits to the events before it (issue 13 item 1): whatever path the events took
// into the journal, the head the outcome was signed over is the head of the verification's records
// before its outcome record, as a host recomputes it from the journal.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CONSENT_VERSION, ErrorCode } from '@vidverify/shared';
import { type EventsHead, eventsHeadOf } from '@vidverify/verifier';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentHasher } from '../auth/documentHash.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import type { Journal, JournalEntry } from '../store/Journal.ts';
import { MemoryLiveState } from '../store/memory/MemoryLiveState.ts';
import { type Actor, DEFAULT_DOMAIN_SETTINGS } from './types.ts';
import { VerificationService } from './VerificationService.ts';

const silent = pino({ level: 'silent' });

let dataDir: string;
let journal: EmbeddedJournal;
let service: VerificationService | undefined;
/** The appends it picks fail, as a full disk would fail them. */
let failAppend: ((entry: JournalEntry) => boolean) | undefined;

function failingDisk(real: Journal): Journal {
	return {
		append: (entry) => (failAppend?.(entry) ? Promise.reject(new Error('ENOSPC: no space left on device')) : real.append(entry)),
		readAll: () => real.readAll(),
		readVerification: (id) => real.readVerification(id),
		verify: () => real.verify(),
		close: () => real.close(),
	};
}

/** A service whose "signature" is the events head it was asked to sign, readable back. */
async function startService(sweepIntervalMs: number): Promise<VerificationService> {
	service = await VerificationService.create({
		journal: failingDisk(journal),
		liveState: new MemoryLiveState(),
		outbox: { enqueue: async () => {} },
		logger: silent,
		settings: { ...DEFAULT_DOMAIN_SETTINGS, graceMs: 60_000 },
		sweepIntervalMs,
		signOutcome: (outcome, events) => JSON.stringify({ verificationId: outcome.verificationId, events }),
		hashDocument: documentHasher('test-secret'),
		interpreterLink: (invitation) => `https://vidverify.test/join#${invitation.invitationId}`,
	});
	return service;
}

beforeEach(async () => {
	failAppend = undefined;
	dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-outcomes-'));
	journal = await EmbeddedJournal.open({ dataDir, logger: silent });
});

afterEach(async () => {
	await service?.close();
	service = undefined;
	await journal.close();
	await fs.rm(dataDir, { recursive: true, force: true });
});

async function inCall(verifications: VerificationService): Promise<{ id: string; agent: Actor }> {
	const { verification, applicantParticipantId } = await verifications.createVerification({
		externalUserRef: 'user-outcomes',
		purpose: 'c2c_video',
	});
	const applicant: Actor = { role: 'applicant', participantId: applicantParticipantId, verificationId: verification.id };
	await verifications.participantConnected(applicant);
	await verifications.handle('consent', applicant, { consentVersion: CONSENT_VERSION });
	const agent: Actor = {
		role: 'agent',
		participantId: 'participant-outcomes',
		verificationId: undefined,
		agent: { agentId: 'agent-outcomes', displayName: 'Agent', languages: ['en', 'zh'], skills: [] },
	};
	await verifications.participantConnected(agent);
	await verifications.handle('setAvailability', agent, { availability: 'available' });
	await verifications.handle('accept', agent, { verificationId: verification.id });
	return { id: verification.id, agent };
}

/** What the journal holds: the head the outcome record carries, and the head of the records before it. */
async function commitment(id: string): Promise<{ signed: EventsHead; journaled: EventsHead }> {
	const records = await journal.readVerification(id);
	const at = records.findIndex((record) => record.type === 'outcome.recorded');
	expect(at).toBeGreaterThan(0);
	const signed = JSON.parse(String(records[at]?.data.signedOutcome)) as { verificationId: string; events: EventsHead };
	expect(signed.verificationId).toBe(id);
	return { signed: signed.events, journaled: eventsHeadOf(records.slice(0, at)) };
}

describe('the signed outcome', () => {
	it('commits to the count and digest of every record of its verification journaled before the outcome record', async () => {
		const verifications = await startService(20);
		const { id, agent } = await inCall(verifications);
		await verifications.handle('promptStep', agent, { stepId: 'consent' });
		await verifications.handle('markStep', agent, { stepId: 'consent', result: 'passed', note: '本人 — in person' });
		await verifications.handle('decide', agent, {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});

		const { signed, journaled } = await commitment(id);
		expect(signed).toEqual(journaled);
		const records = await journal.readVerification(id);
		expect(records.at(-1)?.type).toBe('outcome.recorded');
		expect(signed.count).toBe(records.length - 1);
	});

	it('commits to events of an earlier change that were not journaled yet when it was signed', async () => {
		// No sweep: the failed change's events wait in the record until the decision journals them first.
		const verifications = await startService(60_000);
		const { id, agent } = await inCall(verifications);
		failAppend = (entry) => entry.type === 'step.prompted';
		await expect(verifications.handle('promptStep', agent, { stepId: 'consent' })).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});
		expect((await journal.readVerification(id)).map((record) => record.type)).not.toContain('step.prompted');

		failAppend = undefined;
		await verifications.handle('decide', agent, {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});

		const { signed, journaled } = await commitment(id);
		expect(signed).toEqual(journaled);
		expect((await journal.readVerification(id)).map((record) => record.type)).toContain('step.prompted');
	});

	it('commits to its own change even when none of it could be journaled then, once the sweep journals it', async () => {
		const verifications = await startService(20);
		const { id, agent } = await inCall(verifications);
		failAppend = () => true;
		await expect(
			verifications.handle('decide', agent, {
				decision: 'reject',
				reasonCodes: ['procedure_not_followed'],
				note: 'read the answers from a script',
			}),
		).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});

		failAppend = undefined;
		await vi.waitFor(async () => expect((await journal.readVerification(id)).at(-1)?.type).toBe('outcome.recorded'), {
			timeout: 10_000,
		});
		const { signed, journaled } = await commitment(id);
		expect(signed).toEqual(journaled);
	});
});
