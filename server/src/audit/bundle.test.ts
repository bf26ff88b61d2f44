// Bundles built from a real journal and checkpoints, then checked with the offline verifier as a host
// would, untouched and after every kind of tampering a host must catch: each names the check that fails.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type VerificationBundle, verificationBundleSchema } from '@vidverify/shared';
import { type BundleReport, eventsHeadOf, type JournalRecord, recordHash, verifyBundle } from '@vidverify/verifier';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutcomeSigner } from '../auth/OutcomeSigner.ts';
import { EmbeddedCheckpointLog } from '../store/embedded/EmbeddedCheckpointLog.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import { buildBundle } from './bundle.ts';
import { Checkpoints } from './Checkpoints.ts';

const silent = pino({ level: 'silent' });
const newKey = () =>
	generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const signer = new OutcomeSigner(newKey());
const otherSigner = new OutcomeSigner(newKey());

let dataDir: string;
let journal: EmbeddedJournal;
let log: EmbeddedCheckpointLog;
let checkpoints: Checkpoints;

beforeEach(async () => {
	dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-bundle-'));
	journal = await EmbeddedJournal.open({ dataDir, logger: silent });
	log = await EmbeddedCheckpointLog.open({ dataDir, logger: silent });
	checkpoints = new Checkpoints({
		journal,
		log,
		sign: (checkpoint) => signer.signCheckpoint(checkpoint),
		intervalMs: 60_000,
		logger: silent,
	});
});

afterEach(async () => {
	await checkpoints.close();
	await log.close();
	await journal.close();
	await fs.rm(dataDir, { recursive: true, force: true });
});

const outcome = { verificationId: 'v1', state: 'approved', decision: 'approved', reasonCodes: [] };

/**
 * Verification v1 from creation to its delivered webhook, among records of v2 and of no verification,
 * with its outcome signed over the events before it, and a checkpoint at the outcome. Records of
 * others follow its last one, so its proof steps over some.
 */
async function journalOfTwoVerifications(): Promise<void> {
	const v1 = (type: string, data: Record<string, unknown> = {}) => journal.append({ type, verificationId: 'v1', data });
	const v2 = (type: string) => journal.append({ type, verificationId: 'v2', data: { of: 'v2' } });
	await v1('verification.created', { purpose: 'c2c_video' });
	await v2('verification.created');
	await v1('verification.consented', { rev: '2.aa' });
	await journal.append({ type: 'agent.signedIn', data: {} });
	await v1('verification.accepted', { agentId: 'a1', rev: '3.bb' });
	await v2('verification.consented');
	await v1('verification.decided', { state: 'approved', rev: '4.cc' });
	const head = eventsHeadOf(await journal.readVerification('v1'));
	await v1('outcome.recorded', { outcome, signedOutcome: signer.sign(outcome, head), rev: '4.cc' });
	await checkpoints.checkpoint();
	await v1('webhook.enqueued', { eventId: 'v1.approved' });
	await v2('verification.accepted');
	await v1('webhook.delivered', { eventId: 'v1.approved' });
	await v2('verification.decided');
	await journal.append({ type: 'webhook.sweep', data: {} });
	await checkpoints.checkpoint();
}

async function bundleOf(verificationId: string): Promise<VerificationBundle> {
	return buildBundle(
		{ journal, checkpoints, key: signer.publicKey.jwk },
		verificationId,
		await journal.readVerification(verificationId),
	);
}

/** What a forger does after changing records: recompute each one's hash and the links of those after it. */
function rechained(events: JournalRecord[], from: number): JournalRecord[] {
	const result = events.slice(0, from);
	for (const event of events.slice(from)) {
		const { hash: _hash, ...rest } = { ...event, vseq: result.length + 1, vprev: result.at(-1)?.hash ?? '0'.repeat(64) };
		result.push({ ...rest, hash: recordHash(rest) });
	}
	return result;
}

function failure(report: BundleReport): { check: string; reason: string } | undefined {
	return report.ok ? undefined : report.failed;
}

describe('a bundle', () => {
	it('of an intact journal verifies offline, every check passing, with the key pinned', async () => {
		await journalOfTwoVerifications();
		const bundle = await bundleOf('v1');

		expect(verificationBundleSchema.parse(bundle)).toEqual(bundle);
		expect(bundle.events.map((event) => event.type)).toEqual([
			'verification.created',
			'verification.consented',
			'verification.accepted',
			'verification.decided',
			'outcome.recorded',
			'webhook.enqueued',
			'webhook.delivered',
		]);
		// Its last record is seq 11; the checkpoint after it is of seq 13.
		expect(bundle.proof).toHaveLength(2);
		const report = verifyBundle(bundle, { trustedKid: signer.publicKey.kid });
		expect(report).toMatchObject({ ok: true, verificationId: 'v1', keyPinned: true, outcome });
		expect(report.passed.map((passed) => passed.check)).toEqual(['bundle', 'key', 'events', 'outcome', 'checkpoint', 'proof']);
	});

	it('whose last record is the checkpoint head needs no proof, and one without an outcome says so', async () => {
		await journal.append({ type: 'verification.created', verificationId: 'v3', data: {} });
		await journal.append({ type: 'verification.consented', verificationId: 'v3', data: {} });
		const bundle = await bundleOf('v3');

		expect(bundle).toMatchObject({ signedOutcome: null, proof: [] });
		const report = verifyBundle(bundle, { trustedKid: signer.publicKey.kid });
		expect(report.ok).toBe(true);
		expect(report.passed.find((passed) => passed.check === 'outcome')?.detail).toMatch(/none yet/);
	});

	describe('fails, naming the check, when', () => {
		let bundle: VerificationBundle;
		const events = () => bundle.events as JournalRecord[];
		const check = (changed: Partial<VerificationBundle>, trustedKid = signer.publicKey.kid) =>
			failure(verifyBundle({ ...bundle, ...changed }, { trustedKid }));

		beforeEach(async () => {
			await journalOfTwoVerifications();
			bundle = await bundleOf('v1');
		});

		it("an event's contents were changed", () => {
			const tampered = events().with(2, { ...(events()[2] as JournalRecord), data: { agentId: 'someone else' } });
			expect(check({ events: tampered })).toEqual({
				check: 'events',
				reason: 'event 3 (seq 5, verification.accepted): its hash does not match its contents: it was altered',
			});
		});

		it("an event was changed and its hash recomputed, but not the next one's link", () => {
			const changed = { ...(events()[2] as JournalRecord), data: { agentId: 'someone else' } };
			const { hash: _hash, ...rest } = changed;
			const tampered = events().with(2, { ...rest, hash: recordHash(rest) });
			expect(check({ events: tampered })).toEqual({
				check: 'events',
				reason: 'event 4 (seq 7, verification.decided): vprev is not the hash of event 3',
			});
		});

		it('an event before the outcome was changed and everything after it chained again', () => {
			const tampered = rechained(events().with(2, { ...(events()[2] as JournalRecord), data: { agentId: 'someone else' } }), 2);
			expect(check({ events: tampered })).toEqual({
				check: 'outcome',
				reason: 'the 4 events before the outcome are not those it was signed over: one was altered, added, removed or moved',
			});
		});

		it('an event after the outcome was changed and chained again', () => {
			const tampered = rechained(events().with(6, { ...(events()[6] as JournalRecord), data: { eventId: 'forged' } }), 6);
			expect(check({ events: tampered })).toMatchObject({
				check: 'proof',
				reason: expect.stringMatching(/do not lead to the checkpoint's head/),
			});
		});

		it('an event in the middle was left out', () => {
			expect(check({ events: events().toSpliced(1, 1) })).toEqual({
				check: 'events',
				reason:
					"event 2 (seq 5, verification.accepted): it is the verification's record 3, but number 2 in the bundle: a record is missing or out of order",
			});
		});

		it('events were reordered', () => {
			const [second, third] = [events()[1] as JournalRecord, events()[2] as JournalRecord];
			expect(check({ events: events().with(1, third).with(2, second) })).toMatchObject({
				check: 'events',
				reason: expect.stringMatching(/^event 2 \(seq 5, verification\.accepted\): it is the verification's record 3/),
			});
		});

		it('the last events were cut off, with the proof left as it was', () => {
			expect(check({ events: events().slice(0, -1) })).toEqual({
				check: 'proof',
				reason: 'it has 2 records where the checkpoint needs the 4 after seq 9',
			});
		});

		it('the last event was cut off and the proof made to match', async () => {
			const truncated = await buildBundle(
				{ journal, checkpoints, key: signer.publicKey.jwk },
				'v1',
				(await journal.readVerification('v1')).slice(0, -1),
			);
			expect(failure(verifyBundle(truncated, { trustedKid: signer.publicKey.kid }))).toEqual({
				check: 'proof',
				reason: 'the record at seq 11 belongs to this verification but is not among the events',
			});
		});

		it("an event was replaced by another verification's", async () => {
			const [other] = await journal.readVerification('v2');
			expect(check({ events: events().with(1, other as JournalRecord) })).toEqual({
				check: 'events',
				reason: 'event 2 (seq 2, verification.created): it belongs to verification v2',
			});
		});

		it('the outcome was signed again with another key', () => {
			const resigned = otherSigner.sign(outcome, eventsHeadOf(events().slice(0, 4)));
			expect(check({ signedOutcome: resigned })).toMatchObject({
				check: 'outcome',
				reason: expect.stringMatching(/^the signed outcome: it names key .+, not /),
			});
		});

		it('the checkpoint was signed again with another key', () => {
			const checkpoint = JSON.parse(Buffer.from(bundle.checkpoint.split('.')[1] as string, 'base64url').toString()).checkpoint;
			expect(check({ checkpoint: otherSigner.signCheckpoint(checkpoint) })).toMatchObject({ check: 'checkpoint' });
		});

		it('everything was signed again with another key, carried in the bundle, which the host does not trust', () => {
			expect(check({ key: otherSigner.publicKey.jwk })).toEqual({
				check: 'key',
				reason: `the bundle's key is ${otherSigner.publicKey.kid}, not the key you trust (${signer.publicKey.kid})`,
			});
		});

		it('the signed outcome was left out', () => {
			expect(check({ signedOutcome: null })).toEqual({
				check: 'outcome',
				reason: 'the bundle leaves out the signed outcome that event 5 records',
			});
		});

		it('an outcome token stands in for the checkpoint', () => {
			expect(check({ checkpoint: bundle.signedOutcome as string })).toEqual({
				check: 'checkpoint',
				reason: 'the token is not a checkpoint (typ "JWT")',
			});
		});

		it('the checkpoint is older than the last event', async () => {
			const early = await log.firstCovering(1);
			expect(check({ checkpoint: early?.jws })).toEqual({
				check: 'checkpoint',
				reason: 'it covers the journal up to seq 8, not the last event (seq 11)',
			});
		});
	});
});
