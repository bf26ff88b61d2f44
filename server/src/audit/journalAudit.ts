// What `npm run audit:verify` checks of an embedded journal, read-only, in one pass: the journal's chain
// and every verification's chain (as the journal checks them when it opens), that each signed outcome
// commits to the events journaled before it, and that each checkpoint beside the journal names the
// journal's head at its length; with the outcome key, the signatures of outcomes and checkpoints too.
// The first problem is named by the record it is about, as the chain's own breaks are.
import fs from 'node:fs/promises';
import {
	CHECKPOINT_TYPE,
	type EventsHead,
	isPlainObject,
	NO_EVENTS,
	nextEventsHead,
	OUTCOME_ISSUER,
	type PublicKey,
	unverifiedPayload,
	verifyEs256,
} from '@vidverify/verifier';
import { parseStoredCheckpoint, type StoredCheckpoint } from '../store/CheckpointLog.ts';
import { verifyJournalFile } from '../store/embedded/EmbeddedJournal.ts';
import type { JournalRecord } from '../store/Journal.ts';

export type AuditProblem = { seq: number | null; line: number; reason: string };

export type AuditReport =
	| {
			ok: true;
			records: number;
			lastHash: string;
			verifications: number;
			/** Outcomes checked against the events before them, and those signed before they committed to any. */
			outcomes: { committed: number; uncommitted: number };
			checkpoints: number;
			/** The kid signatures were checked with, or undefined when no key was given. */
			signedBy: string | undefined;
	  }
	| { ok: false; records: number; firstBroken: AuditProblem };

type KeptCheckpoint = { line: number; checkpoint: StoredCheckpoint };

export async function auditJournalFile(options: {
	file: string;
	/** DATA_DIR/checkpoints.jsonl; a missing file holds no checkpoints. */
	checkpointFile: string;
	key?: PublicKey;
}): Promise<AuditReport> {
	const { key } = options;
	const kept = await readCheckpoints(options.checkpointFile, key);
	if ('problem' in kept) return { ok: false, records: 0, firstBroken: kept.problem };
	const atLength = new Map<number, KeptCheckpoint[]>();
	for (const entry of kept.checkpoints)
		atLength.set(entry.checkpoint.length, [...(atLength.get(entry.checkpoint.length) ?? []), entry]);

	const heads = new Map<string, EventsHead>();
	const outcomes = { committed: 0, uncommitted: 0 };
	let problem: AuditProblem | undefined;
	const chain = await verifyJournalFile(options.file, (record) => {
		if (problem !== undefined) return;
		problem = checkOutcome(record, heads, outcomes, key) ?? checkHead(record, atLength.get(record.seq) ?? []);
		if (record.verificationId !== undefined) {
			heads.set(record.verificationId, nextEventsHead(heads.get(record.verificationId) ?? NO_EVENTS, record));
		}
	});
	// The callback sees only records the chain accepted, so its problem comes before any break of the chain.
	if (problem !== undefined) return { ok: false, records: problem.line - 1, firstBroken: problem };
	if (!chain.ok) return chain;
	const beyond = kept.checkpoints.find((entry) => entry.checkpoint.length > chain.records);
	if (beyond !== undefined) {
		return {
			ok: false,
			records: chain.records,
			firstBroken: {
				seq: chain.records + 1,
				line: chain.records + 1,
				reason: `missing: checkpoint line ${beyond.line} signs a journal of ${beyond.checkpoint.length} records, but it ends after record ${chain.records}`,
			},
		};
	}
	return {
		ok: true,
		records: chain.records,
		lastHash: chain.lastHash,
		verifications: heads.size,
		outcomes,
		checkpoints: kept.checkpoints.length,
		signedBy: key?.kid,
	};
}

/** An outcome record's signed outcome against the head of its verification's records before it. */
function checkOutcome(
	record: JournalRecord,
	heads: Map<string, EventsHead>,
	outcomes: { committed: number; uncommitted: number },
	key: PublicKey | undefined,
): AuditProblem | undefined {
	if (record.type !== 'outcome.recorded' || record.verificationId === undefined) return undefined;
	const problem = (reason: string): AuditProblem => ({ seq: record.seq, line: record.seq, reason });
	const token = record.data.signedOutcome;
	let payload = unverifiedPayload(token);
	if (key !== undefined) {
		const verified = verifyEs256(token, key.key, key.kid);
		if ('error' in verified) return problem(`the signed outcome: ${verified.error}`);
		payload = verified.payload;
		if (payload.iss !== OUTCOME_ISSUER || payload.sub !== record.verificationId) {
			return problem("the signed outcome is not the service's outcome of this verification");
		}
	}
	if (payload === undefined) return problem('the signed outcome is not a compact JWS');
	const committed = payload.events;
	if (committed === undefined) {
		outcomes.uncommitted += 1;
		return undefined;
	}
	const head = heads.get(record.verificationId) ?? NO_EVENTS;
	if (!isPlainObject(committed) || committed.count !== head.count) {
		const count = isPlainObject(committed) ? String(committed.count) : 'no';
		return problem(`the signed outcome commits to ${count} events before it, but ${head.count} are journaled before it`);
	}
	if (committed.hash !== head.hash) {
		return problem(`the ${head.count} events journaled before the outcome are not those it was signed over: one was altered`);
	}
	outcomes.committed += 1;
	return undefined;
}

function checkHead(record: JournalRecord, checkpoints: KeptCheckpoint[]): AuditProblem | undefined {
	const wrong = checkpoints.find((entry) => entry.checkpoint.head !== record.hash);
	if (wrong === undefined) return undefined;
	return {
		seq: record.seq,
		line: record.seq,
		reason: `checkpoint line ${wrong.line} signs a head other than this record's hash: the journal changed after it was signed`,
	};
}

/** The checkpoints beside the journal, each checked on its own (and its signature, with a key). */
async function readCheckpoints(
	file: string,
	key: PublicKey | undefined,
): Promise<{ checkpoints: KeptCheckpoint[] } | { problem: AuditProblem }> {
	let text: string;
	try {
		text = await fs.readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [] };
		throw error;
	}
	const checkpoints: KeptCheckpoint[] = [];
	// What follows the last newline is empty, or a torn line a crash left (the service cuts it off).
	for (const [index, line] of text.split('\n').slice(0, -1).entries()) {
		const problem = (reason: string) => ({ problem: { seq: null, line: 0, reason: `checkpoint line ${index + 1}: ${reason}` } });
		let checkpoint: StoredCheckpoint | undefined;
		try {
			checkpoint = parseStoredCheckpoint(JSON.parse(line));
		} catch {
			checkpoint = undefined;
		}
		if (checkpoint === undefined) return problem('not a checkpoint');
		if (key !== undefined) {
			const verified = verifyEs256(checkpoint.jws, key.key, key.kid);
			if ('error' in verified) return problem(verified.error);
			const signed = verified.payload.checkpoint;
			if (
				verified.header.typ !== CHECKPOINT_TYPE ||
				!isPlainObject(signed) ||
				signed.length !== checkpoint.length ||
				signed.head !== checkpoint.head ||
				signed.at !== checkpoint.at
			) {
				return problem('its signature says something other than its line');
			}
		}
		checkpoints.push({ line: index + 1, checkpoint });
	}
	return { checkpoints };
}
