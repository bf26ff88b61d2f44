import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHECKPOINT_TYPE, publicKeyOf, verifyEs256 } from '@vidverify/verifier';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutcomeSigner } from '../auth/OutcomeSigner.ts';
import type { StoredCheckpoint } from '../store/CheckpointLog.ts';
import { EmbeddedCheckpointLog } from '../store/embedded/EmbeddedCheckpointLog.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import { Checkpoints, checkpointAtOutcomes } from './Checkpoints.ts';

const silent = pino({ level: 'silent' });
const signer = new OutcomeSigner(
	generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
);

let dataDir: string;
let journal: EmbeddedJournal;
let log: EmbeddedCheckpointLog;
let checkpoints: Checkpoints;

function open(intervalMs = 60_000): Checkpoints {
	checkpoints = new Checkpoints({
		journal,
		log,
		sign: (checkpoint) => signer.signCheckpoint(checkpoint),
		intervalMs,
		logger: silent,
	});
	return checkpoints;
}

async function kept(): Promise<StoredCheckpoint[]> {
	const all: StoredCheckpoint[] = [];
	for await (const stored of log.readAll()) all.push(stored);
	return all;
}

async function append(count: number, type = 'test.appended') {
	let last = await journal.append({ type, verificationId: 'v1', data: {} });
	for (let index = 1; index < count; index += 1) last = await journal.append({ type, verificationId: 'v1', data: {} });
	return last;
}

beforeEach(async () => {
	dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-checkpoints-'));
	journal = await EmbeddedJournal.open({ dataDir, logger: silent });
	log = await EmbeddedCheckpointLog.open({ dataDir, logger: silent });
});

afterEach(async () => {
	await checkpoints?.close();
	await log.close();
	await journal.close();
	await fs.rm(dataDir, { recursive: true, force: true });
});

describe('Checkpoints', () => {
	it("checkpoint() signs the journal's length and head hash with the outcome key, as a token typed a checkpoint", async () => {
		const last = await append(3);
		const stored = await open().checkpoint();

		expect(stored).toMatchObject({ length: 3, head: last.hash });
		const key = publicKeyOf(signer.publicKey.jwk);
		if ('error' in key) throw new Error(key.error);
		const verified = verifyEs256(stored?.jws, key.key, key.kid);
		if ('error' in verified) throw new Error(verified.error);
		expect(verified.header.typ).toBe(CHECKPOINT_TYPE);
		expect(verified.payload).toMatchObject({ iss: 'vidverify', checkpoint: { length: 3, head: last.hash, at: stored?.at } });
	});

	it('signs nothing for an empty journal, nor again while the journal has not grown', async () => {
		const signing = open();
		expect(await signing.checkpoint()).toBeUndefined();
		await append(2);
		const first = await signing.checkpoint();
		expect(await signing.checkpoint()).toEqual(first);
		expect(await kept()).toEqual([first]);
	});

	it('covering() answers the earliest checkpoint holding a record, and signs one when none does yet', async () => {
		const signing = open();
		await append(2);
		const early = await signing.checkpoint();
		await append(3);
		const late = await signing.checkpoint();
		const newest = await append(1);

		expect(await signing.covering(1)).toEqual(early);
		expect(await signing.covering(3)).toEqual(late);
		expect(await signing.covering(newest.seq)).toMatchObject({ length: newest.seq, head: newest.hash });
		expect((await kept()).map((stored) => stored.length)).toEqual([2, 5, 6]);
	});

	it('a journal that records an outcome asks for a checkpoint, and requests made meanwhile share it', async () => {
		const signing = open();
		const outcomes = checkpointAtOutcomes(journal, signing);
		await append(2);
		const recorded = await Promise.all(
			Array.from({ length: 5 }, () => outcomes.append({ type: 'outcome.recorded', verificationId: 'v1', data: {} })),
		);

		await vi.waitFor(async () => expect((await log.latest())?.length).toBe(recorded.at(-1)?.seq), { timeout: 10_000 });
		expect((await kept()).length).toBeLessThanOrEqual(2);
	});

	it('start() signs a grown journal every interval, and nothing while it stays as it is', async () => {
		await append(1);
		open(100).start();
		await vi.waitFor(async () => expect((await log.latest())?.length).toBe(1), { timeout: 10_000 });
		await append(2);
		await vi.waitFor(async () => expect((await log.latest())?.length).toBe(3), { timeout: 10_000 });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await kept()).map((stored) => stored.length)).toEqual([1, 3]);
	});
});
