// npm run audit:verify on the new structure (issue 13 item 5): the journal of two verifications with
// signed outcomes and checkpoints is intact, and each way of breaking it, even by someone who re-chains
// everything after what they changed, is named at the first record it breaks.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventsHeadOf, type JournalRecord, recordHash } from '@vidverify/verifier';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutcomeSigner } from '../auth/OutcomeSigner.ts';
import { CHECKPOINT_FILE_NAME, EmbeddedCheckpointLog } from '../store/embedded/EmbeddedCheckpointLog.ts';
import { EmbeddedJournal, JOURNAL_FILE_NAME } from '../store/embedded/EmbeddedJournal.ts';
import { format1Records } from '../store/journalContract.ts';
import { Checkpoints } from './Checkpoints.ts';

const silent = pino({ level: 'silent' });
const auditScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/audit-verify.ts');
const privateKey = () =>
	generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyPem = privateKey();
const signer = new OutcomeSigner(keyPem);

let dataDir: string;
let journalFile: string;
let keyFile: string;

beforeEach(async () => {
	dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-audit-'));
	journalFile = path.join(dataDir, JOURNAL_FILE_NAME);
	keyFile = path.join(dataDir, 'outcome-key.json');
	await fs.writeFile(keyFile, JSON.stringify(signer.publicKey));
});

afterEach(async () => {
	await fs.rm(dataDir, { recursive: true, force: true });
});

function audit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		execFile(process.execPath, [auditScript, '--data-dir', dataDir, ...args], (error, stdout, stderr) => {
			resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
		});
	});
}

/** Two verifications; v1 decided with its outcome signed, a checkpoint at it (seq 6) and at the end (seq 9). */
async function writeJournal(sign = signer): Promise<void> {
	const journal = await EmbeddedJournal.open({ dataDir, logger: silent });
	const log = await EmbeddedCheckpointLog.open({ dataDir, logger: silent });
	const checkpoints = new Checkpoints({
		journal,
		log,
		sign: (checkpoint) => sign.signCheckpoint(checkpoint),
		intervalMs: 60_000,
		logger: silent,
	});
	const v1 = (type: string, data: Record<string, unknown> = {}) => journal.append({ type, verificationId: 'v1', data });
	await v1('verification.created', { purpose: 'c2c_video' });
	await journal.append({ type: 'verification.created', verificationId: 'v2', data: {} });
	await v1('verification.accepted', { agentId: 'a1', rev: '2.aa' });
	await journal.append({ type: 'agent.signedIn', data: {} });
	await v1('verification.decided', { state: 'rejected', rev: '3.bb' });
	const outcome = { verificationId: 'v1', state: 'rejected' };
	await v1('outcome.recorded', {
		outcome,
		signedOutcome: sign.sign(outcome, eventsHeadOf(await journal.readVerification('v1'))),
	});
	await checkpoints.checkpoint();
	await v1('webhook.enqueued', { eventId: 'v1.rejected' });
	await journal.append({ type: 'verification.consented', verificationId: 'v2', data: {} });
	await v1('webhook.delivered', { eventId: 'v1.rejected' });
	await checkpoints.checkpoint();
	await checkpoints.close();
	await log.close();
	await journal.close();
}

async function readRecords(): Promise<JournalRecord[]> {
	const text = await fs.readFile(journalFile, 'utf8');
	return text
		.split('\n')
		.slice(0, -1)
		.map((line) => JSON.parse(line) as JournalRecord);
}

/**
 * Writes `records` after changing the one at `index`, with everything from it on hashed and linked again
 * (the journal's and its verification's links), as someone with the file but not the key could.
 */
async function rewrite(records: JournalRecord[], index: number, change: Partial<JournalRecord>): Promise<void> {
	const result = records.slice(0, index);
	const heads = new Map<string, JournalRecord>();
	for (const record of result) if (record.verificationId) heads.set(record.verificationId, record);
	for (const [offset, original] of records.slice(index).entries()) {
		const record = { ...original, ...(offset === 0 ? change : {}), prevHash: result.at(-1)?.hash ?? '0'.repeat(64) };
		if (record.verificationId && offset !== 0) record.vprev = heads.get(record.verificationId)?.hash ?? '0'.repeat(64);
		const { hash: _hash, ...unhashed } = record;
		const rehashed = { ...unhashed, hash: recordHash(unhashed) };
		result.push(rehashed);
		if (rehashed.verificationId) heads.set(rehashed.verificationId, rehashed);
	}
	await fs.writeFile(journalFile, result.map((record) => `${JSON.stringify(record)}\n`).join(''));
}

describe('npm run audit:verify', () => {
	it('passes an intact journal: its chains, the outcome against its events, the checkpoints, and with --key every signature', async () => {
		await writeJournal();

		const unkeyed = await audit([]);
		expect(unkeyed).toMatchObject({ code: 0, stderr: '' });
		expect(unkeyed.stdout).toContain('ok: 9 records');
		expect(unkeyed.stdout).toContain('2 verifications, each chained from its first record to its last');
		expect(unkeyed.stdout).toContain('1 signed outcomes commit to the events before them');
		expect(unkeyed.stdout).toContain('2 checkpoints (');
		expect(unkeyed.stdout).toContain('signatures not checked: give --key to check them');

		const keyed = await audit(['--key', keyFile]);
		expect(keyed).toMatchObject({ code: 0 });
		expect(keyed.stdout).toContain(`every signature verifies with key ${signer.publicKey.kid}`);
		// The operator may give the service's own private key: its public half is used.
		await fs.writeFile(path.join(dataDir, 'private.pem'), keyPem);
		expect((await audit(['--key', path.join(dataDir, 'private.pem')])).code).toBe(0);
	});

	it("names a verification's record moved out of its place, even with the journal's chain made whole again", async () => {
		await writeJournal();
		await rewrite(await readRecords(), 4, { vseq: 4 });

		const result = await audit([]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('BROKEN at record seq 5 (line 5): vseq 4 where 3 was expected for verification v1');
	});

	it('names the outcome whose events were changed, even with every chain made whole again', async () => {
		await writeJournal();
		const records = await readRecords();
		await rewrite(records, 2, { data: { agentId: 'someone else', rev: '2.aa' } });

		const result = await audit([]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain(
			'BROKEN at record seq 6 (line 6): the 3 events journaled before the outcome are not those it was signed over: one was altered',
		);
	});

	it('names the record a checkpoint no longer matches when a record of nobody was changed and the chain made whole', async () => {
		await writeJournal();
		await rewrite(await readRecords(), 3, { data: { changed: true } });

		const result = await audit([]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain(
			"BROKEN at record seq 6 (line 6): checkpoint line 1 signs a head other than this record's hash: the journal changed after it was signed",
		);
	});

	it('names the missing records of a journal cut short after its checkpoints were signed', async () => {
		await writeJournal();
		const records = await readRecords();
		await fs.writeFile(
			journalFile,
			records
				.slice(0, 7)
				.map((record) => `${JSON.stringify(record)}\n`)
				.join(''),
		);

		const result = await audit([]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain(
			'BROKEN at record seq 8 (line 8): missing: checkpoint line 2 signs a journal of 9 records, but it ends after record 7',
		);
	});

	it('with --key, names an outcome or checkpoint signed by another key', async () => {
		await writeJournal(new OutcomeSigner(privateKey()));

		const result = await audit(['--key', keyFile]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/BROKEN at record seq unknown \(line 0\): checkpoint line 1: it names key .+, not /);
		await fs.rm(path.join(dataDir, CHECKPOINT_FILE_NAME));
		expect((await audit(['--key', keyFile])).stdout).toMatch(
			/BROKEN at record seq 6 \(line 6\): the signed outcome: it names key/,
		);
	});

	it('passes a journal written before per-verification chains as it did', async () => {
		const old = format1Records(5, (index) => (index === 3 ? undefined : `v${index % 2}`));
		await fs.writeFile(journalFile, old.map((record) => `${JSON.stringify(record)}\n`).join(''));

		const result = await audit([]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`ok: 5 records, last hash ${old[4]?.hash}`);
		expect(result.stdout).toContain('0 checkpoints');
	});
});
