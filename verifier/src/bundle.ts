// A verification bundle and its offline check. The bundle is what GET /api/v1/verifications/:id/bundle
// answers: every journal record of one verification, its signed outcome, a signed checkpoint of the
// whole journal and the proof that links the verification's last record to that checkpoint, with the
// public key. verifyBundle runs the checks in a fixed order and stops at the first that fails, naming
// it; a host that pins the key it trusts needs nothing else (no network, no other party).
import { isPlainObject } from './canonicalJson.ts';
import { publicKeyOf, type VerifiedJws, verifyEs256 } from './jws.ts';
import {
	eventsHeadOf,
	GENESIS_HASH,
	isHash,
	type JournalRecord,
	linkHash,
	NO_SUBJECT,
	type ProofLink,
	RECORD_FORMAT,
	recordHash,
	recordShapeProblem,
	subjectOf,
} from './records.ts';
import { CHECKPOINT_TYPE, type Checkpoint, OUTCOME_ISSUER } from './signed.ts';

export const BUNDLE_FORMAT = 'vidverify-bundle/1';

export type Bundle = {
	format: typeof BUNDLE_FORMAT;
	verificationId: string;
	/** The service's outcome key (public, ES256) as a JWK; kid is its RFC 7638 thumbprint. */
	key: Record<string, unknown>;
	/** The outcome as a compact JWS; null while the verification has none. */
	signedOutcome: string | null;
	/** Every journal record of the verification, in order. */
	events: JournalRecord[];
	/** A signed checkpoint (compact JWS) of a journal that already held the last event. */
	checkpoint: string;
	/** Subject and body of each journal record after the last event, up to the checkpoint's length. */
	proof: ProofLink[];
};

export type CheckName = 'bundle' | 'key' | 'events' | 'outcome' | 'checkpoint' | 'proof';

export type Passed = { check: CheckName; detail: string };

export type BundleReport =
	| { ok: true; verificationId: string; passed: Passed[]; keyPinned: boolean; outcome: Record<string, unknown> | null }
	| { ok: false; passed: Passed[]; failed: { check: CheckName; reason: string } };

export type VerifyOptions = {
	/** The kid (RFC 7638 thumbprint) of the key the host trusts; without it the bundle's own key is used. */
	trustedKid?: string;
};

class CheckFailed extends Error {
	readonly check: CheckName;
	constructor(check: CheckName, reason: string) {
		super(reason);
		this.check = check;
	}
}

/** Runs every check on a parsed bundle; stops at the first that fails. */
export function verifyBundle(value: unknown, options: VerifyOptions = {}): BundleReport {
	const passed: Passed[] = [];
	const pass = (check: CheckName, detail: string) => passed.push({ check, detail });
	try {
		const bundle = checkShape(value);
		pass('bundle', `${BUNDLE_FORMAT}, verification ${bundle.verificationId}`);

		const key = publicKeyOf(bundle.key);
		if ('error' in key) throw new CheckFailed('key', key.error);
		if (options.trustedKid !== undefined && options.trustedKid !== key.kid) {
			throw new CheckFailed('key', `the bundle's key is ${key.kid}, not the key you trust (${options.trustedKid})`);
		}
		const keyPinned = options.trustedKid !== undefined;
		pass(
			'key',
			keyPinned
				? `ES256 key ${key.kid}, the one you trust`
				: `ES256 key ${key.kid}, the bundle's own: compare it with the service's key you hold (--key or --kid)`,
		);
		const verify = (check: CheckName, what: string, token: unknown): VerifiedJws => {
			const verified = verifyEs256(token, key.key, key.kid);
			if ('error' in verified) throw new CheckFailed(check, `${what}: ${verified.error}`);
			return verified;
		};

		checkEvents(bundle);
		const last = bundle.events.at(-1) as JournalRecord;
		pass('events', `${bundle.events.length} records, each chained to the one before, from the first to seq ${last.seq}`);

		const outcome = checkOutcome(bundle, verify);
		pass('outcome', outcome.detail);

		const checkpoint = checkCheckpoint(bundle, last, verify);
		pass('checkpoint', `the journal held ${checkpoint.length} records at ${checkpoint.at} (signed)`);

		checkProof(bundle, last, checkpoint);
		pass(
			'proof',
			bundle.proof.length === 0
				? "the last record is the checkpoint's head"
				: `the last record leads to the checkpoint's head through ${bundle.proof.length} later records, none of them this verification's`,
		);
		return { ok: true, verificationId: bundle.verificationId, passed, keyPinned, outcome: outcome.payload };
	} catch (error) {
		if (!(error instanceof CheckFailed)) throw error;
		return { ok: false, passed, failed: { check: error.check, reason: error.message } };
	}
}

function checkShape(value: unknown): Bundle {
	const fail = (reason: string): never => {
		throw new CheckFailed('bundle', reason);
	};
	if (!isPlainObject(value)) return fail('not a JSON object');
	if (value.format !== BUNDLE_FORMAT) return fail(`format is ${JSON.stringify(value.format)}, not ${BUNDLE_FORMAT}`);
	if (typeof value.verificationId !== 'string' || value.verificationId.length === 0) return fail('verificationId is missing');
	if (!isPlainObject(value.key)) return fail('key is not a JWK object');
	if (value.signedOutcome !== null && typeof value.signedOutcome !== 'string')
		return fail('signedOutcome is not a string or null');
	if (!Array.isArray(value.events) || value.events.length === 0) return fail('events is not a non-empty list');
	if (typeof value.checkpoint !== 'string') return fail('checkpoint is not a compact JWS');
	if (!Array.isArray(value.proof)) return fail('proof is not a list');
	return value as Bundle;
}

function checkEvents(bundle: Bundle): void {
	let previous: JournalRecord | undefined;
	for (const [index, value] of bundle.events.entries()) {
		const number = index + 1;
		const fail = (reason: string): never => {
			throw new CheckFailed('events', `event ${number}${label}: ${reason}`);
		};
		let label = '';
		const problem = recordShapeProblem(value);
		if (problem !== undefined) fail(problem);
		const record = value as JournalRecord;
		label = ` (seq ${record.seq}, ${record.type})`;
		if (record.format !== RECORD_FORMAT) {
			fail('journaled before per-verification chains (it has no vseq and vprev), so it cannot be proven on its own');
		}
		if (record.verificationId !== bundle.verificationId) fail(`it belongs to verification ${record.verificationId}`);
		if (recordHash(record) !== record.hash) fail('its hash does not match its contents: it was altered');
		if (record.vseq !== number) {
			fail(
				`it is the verification's record ${record.vseq}, but number ${number} in the bundle: a record is missing or out of order`,
			);
		}
		if (record.vprev !== (previous?.hash ?? GENESIS_HASH)) {
			fail(previous === undefined ? 'vprev is not 64 zeros, as a first record has' : `vprev is not the hash of event ${index}`);
		}
		if (previous !== undefined && record.seq <= previous.seq) fail(`seq is not after event ${index}'s (${previous.seq})`);
		previous = record;
	}
}

function checkOutcome(
	bundle: Bundle,
	verify: (check: CheckName, what: string, token: unknown) => VerifiedJws,
): { detail: string; payload: Record<string, unknown> | null } {
	const fail = (reason: string): never => {
		throw new CheckFailed('outcome', reason);
	};
	const recordedAt = bundle.events.findLastIndex((event) => event.type === 'outcome.recorded');
	if (bundle.signedOutcome === null) {
		if (recordedAt !== -1) fail(`the bundle leaves out the signed outcome that event ${recordedAt + 1} records`);
		return { detail: 'none yet: the verification has not reached a final state', payload: null };
	}
	const { payload } = verify('outcome', 'the signed outcome', bundle.signedOutcome);
	if (payload.iss !== OUTCOME_ISSUER)
		fail(`the signed outcome's issuer is ${JSON.stringify(payload.iss)}, not ${OUTCOME_ISSUER}`);
	if (payload.sub !== bundle.verificationId)
		fail(`the signed outcome is about ${JSON.stringify(payload.sub)}, not this verification`);
	const outcome = payload.outcome;
	if (!isPlainObject(outcome)) return fail('the signed outcome holds no outcome');
	const committed = payload.events;
	if (!isPlainObject(committed) || !Number.isSafeInteger(committed.count) || !isHash(committed.hash)) {
		return fail('the signed outcome does not commit to the events before it (it was signed before per-verification proofs)');
	}
	const count = committed.count as number;
	const recorded = bundle.events[count];
	if (recorded?.type !== 'outcome.recorded' || recorded.data.signedOutcome !== bundle.signedOutcome) {
		fail(`event ${count + 1} is not the record of this signed outcome, which follows the ${count} events it was signed over`);
	}
	if (count !== recordedAt) fail(`event ${count + 1} records this outcome, but a later event ${recordedAt + 1} records another`);
	if (eventsHeadOf(bundle.events.slice(0, count)).hash !== committed.hash) {
		fail(`the ${count} events before the outcome are not those it was signed over: one was altered, added, removed or moved`);
	}
	const decision = typeof outcome.decision === 'string' ? outcome.decision : String(outcome.state);
	return { detail: `${decision}, signed, over the ${count} events before it`, payload: outcome };
}

function checkCheckpoint(
	bundle: Bundle,
	last: JournalRecord,
	verify: (check: CheckName, what: string, token: unknown) => VerifiedJws,
): Checkpoint {
	const fail = (reason: string): never => {
		throw new CheckFailed('checkpoint', reason);
	};
	const { header, payload } = verify('checkpoint', 'the checkpoint', bundle.checkpoint);
	if (header.typ !== CHECKPOINT_TYPE) fail(`the token is not a checkpoint (typ ${JSON.stringify(header.typ)})`);
	if (payload.iss !== OUTCOME_ISSUER) fail(`the checkpoint's issuer is ${JSON.stringify(payload.iss)}, not ${OUTCOME_ISSUER}`);
	const checkpoint = payload.checkpoint;
	if (
		!isPlainObject(checkpoint) ||
		!Number.isSafeInteger(checkpoint.length) ||
		!isHash(checkpoint.head) ||
		typeof checkpoint.at !== 'string'
	) {
		return fail('the checkpoint does not say a journal length, head hash and time');
	}
	const signed = checkpoint as Checkpoint;
	if (signed.length < last.seq) fail(`it covers the journal up to seq ${signed.length}, not the last event (seq ${last.seq})`);
	return signed;
}

function checkProof(bundle: Bundle, last: JournalRecord, checkpoint: Checkpoint): void {
	const fail = (reason: string): never => {
		throw new CheckFailed('proof', reason);
	};
	const needed = checkpoint.length - last.seq;
	if (bundle.proof.length !== needed) {
		fail(`it has ${bundle.proof.length} records where the checkpoint needs the ${needed} after seq ${last.seq}`);
	}
	const subject = subjectOf(bundle.verificationId);
	let hash = last.hash;
	for (const [index, link] of bundle.proof.entries()) {
		const seq = last.seq + index + 1;
		if (!Array.isArray(link) || link.length !== 2 || !(link[0] === NO_SUBJECT || isHash(link[0])) || !isHash(link[1])) {
			fail(`the record at seq ${seq} is not a subject and a body digest`);
		}
		const [linkSubject, body] = link;
		if (linkSubject === subject) fail(`the record at seq ${seq} belongs to this verification but is not among the events`);
		hash = linkHash(hash, linkSubject, body);
	}
	if (hash !== checkpoint.head) {
		fail(
			"the events and the records after them do not lead to the checkpoint's head: one differs from what the checkpoint signed",
		);
	}
}
