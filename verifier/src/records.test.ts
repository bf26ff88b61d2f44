import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	bodyOf,
	eventsHeadOf,
	GENESIS_HASH,
	type JournalRecord,
	linkHash,
	NO_EVENTS,
	nextEventsHead,
	proofLinkOf,
	recordHash,
	recordShapeProblem,
	subjectOf,
} from './records.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function record(change: Partial<JournalRecord> = {}): JournalRecord {
	const unhashed: Omit<JournalRecord, 'hash'> = {
		format: 2,
		seq: 7,
		at: '2026-01-02T03:04:05.000Z',
		type: 'step.marked',
		verificationId: 'v1',
		vseq: 3,
		vprev: 'a'.repeat(64),
		data: { stepId: 'consent', result: 'passed' },
		prevHash: 'b'.repeat(64),
		...change,
	};
	return { ...unhashed, hash: recordHash(unhashed) };
}

describe('recordHash', () => {
	it('hashes a format-2 record as its link: prevHash, subject and body, so a proof can step over it with two digests', () => {
		const value = record();
		expect(value.hash).toBe(linkHash(value.prevHash, subjectOf('v1'), bodyOf(value)));
		expect(proofLinkOf(value)).toEqual([sha256('verification\nv1'), bodyOf(value)]);
		const { verificationId: _id, vseq: _vseq, vprev: _vprev, ...ofNoVerification } = record();
		expect(proofLinkOf({ ...ofNoVerification, hash: recordHash(ofNoVerification) })[0]).toBe('-');
	});
});

describe('recordShapeProblem', () => {
	it.for([
		['a format other than 2', { format: 3 }, 'format is 3, not 2'],
		['a record of a verification without vseq', { vseq: undefined }, 'vseq is not a positive integer'],
		['a record of a verification without vprev', { vprev: 'zz' }, 'vprev is not a SHA-256 hex digest'],
	] as const)('names %s', ([, change, problem]) => {
		expect(recordShapeProblem({ ...record(), ...change })).toBe(problem);
	});

	it('refuses vseq and vprev on a record of no verification', () => {
		const { verificationId: _verificationId, ...ofNoVerification } = record();
		expect(recordShapeProblem(ofNoVerification)).toBe('vseq and vprev belong only to records of a verification');
	});

	it('accepts a format-1 record and refuses vseq on one', () => {
		const { format: _format, vseq: _vseq, vprev: _vprev, ...format1 } = record();
		expect(recordShapeProblem(format1)).toBeUndefined();
		expect(recordShapeProblem({ ...format1, vseq: 1 })).toBe('unexpected field "vseq"');
	});
});

describe('events head', () => {
	it('covers each event in order by type and data, leaving out the journal bookkeeping field rev', () => {
		const created = { type: 'verification.created', data: { purpose: 'c2c_video' } };
		const decided = { type: 'verification.decided', data: { state: 'approved' } };
		const head = eventsHeadOf([created, decided]);

		expect(head).toEqual(nextEventsHead(nextEventsHead(NO_EVENTS, created), decided));
		expect(head.count).toBe(2);
		expect(nextEventsHead(NO_EVENTS, created).hash).toBe(
			sha256(`${GENESIS_HASH}\n{"data":{"purpose":"c2c_video"},"type":"verification.created"}`),
		);
		expect(eventsHeadOf([created, { ...decided, data: { ...decided.data, rev: '3.abc' } }])).toEqual(head);
		expect(eventsHeadOf([decided, created]).hash).not.toBe(head.hash);
		expect(eventsHeadOf([created, { ...decided, data: { state: 'rejected' } }]).hash).not.toBe(head.hash);
	});
});
