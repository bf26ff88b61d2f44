// The duplicate check with the MRZ reading aid's verdicts, and the declared identity they are compared
// with: what the record, the agent's views and the outcome keep of them (verdicts, never the fields).
import {
	createVerificationBodySchema,
	ErrorCode,
	outcomeSchema,
	verificationRequestSchemas,
	verificationSnapshotSchema,
} from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { parseVerificationEvent } from '../events.ts';
import { applyEvent, applyEvents, type VerificationRecord } from '../VerificationRecord.ts';
import { buildOutcome, snapshotFor } from '../views.ts';
import { after } from './Decision.ts';
import { checkDocument } from './documentCheck.ts';
import { actors, at, contextAt, created, eventsTo } from './fixtures.ts';

const DECLARED = { fullName: 'Alex Sample', dateOfBirth: '1990-04-01' };
const VALID = { checkDigits: 'valid', expired: false, matchesDeclaration: true } as const;

/** A call in progress whose verification was created with the host's declared identity. */
function declaredInCall(): VerificationRecord {
	const plain = created();
	const first = {
		type: 'verification.created',
		data: { ...creationData(plain), declared: { ...DECLARED, rev: '1.ab' } },
	} as const;
	return applyEvents(applyEvent(undefined, first, plain.id), eventsTo('in_call'));
}

function creationData(record: VerificationRecord) {
	return {
		at: record.createdAt,
		externalUserRef: record.externalUserRef,
		purpose: record.purpose,
		locale: record.locale,
		accessibility: record.accessibility,
		expiresAt: record.expiresAt,
		applicantParticipantId: record.applicant.participantId,
		checklist: record.checklist.map(({ id, kind, actor, required, promptKey, agentGuidanceKey }) => ({
			id,
			kind,
			actor,
			required,
			promptKey,
			agentGuidanceKey,
		})),
	};
}

const input = { documentType: 'passport', documentHash: 'h', holders: [] } as const;

describe('checkDocument() with MRZ verdicts', () => {
	it('records the verdicts in the document.checked event, the check and the agent’s view of it', () => {
		const record = declaredInCall();
		const decision = checkDocument(record, actors.agent, { ...input, mrz: VALID }, contextAt());
		expect(decision.events).toEqual([
			{ type: 'document.checked', data: { at: at(), documentType: 'passport', documentHash: 'h', duplicate: false, mrz: VALID } },
		]);
		expect(decision.result).toEqual({ check: 1, documentType: 'passport', duplicate: false, at: at(), mrz: VALID });
		const checked = after(record, decision);
		expect(checked.documentChecks[0]?.mrz).toEqual(VALID);
		const snapshot = snapshotFor(checked, { participantId: actors.agent.participantId, role: 'agent' }, null, new Date());
		expect(verificationSnapshotSchema.parse(snapshot).documentChecks?.[0]?.mrz).toEqual(VALID);
	});

	it('records no verdicts for a number the agent typed', () => {
		const decision = checkDocument(declaredInCall(), actors.agent, input, contextAt());
		expect(decision.events[0]?.data).not.toHaveProperty('mrz');
		expect(decision.result).not.toHaveProperty('mrz');
	});

	it('refuses a comparison with a declaration when the host declared nothing, and takes null', () => {
		const record = applyEvents(created(), eventsTo('in_call'));
		expect(() => checkDocument(record, actors.agent, { ...input, mrz: VALID }, contextAt())).toThrow(
			expect.objectContaining({ code: ErrorCode.INVALID_PAYLOAD }),
		);
		const none = checkDocument(record, actors.agent, { ...input, mrz: { ...VALID, matchesDeclaration: null } }, contextAt());
		expect(none.result.mrz).toEqual({ checkDigits: 'valid', expired: false, matchesDeclaration: null });
	});

	it('puts each check’s verdicts in the outcome by check number, and neither the declaration nor any field', () => {
		let record = declaredInCall();
		record = after(record, checkDocument(record, actors.agent, input, contextAt()));
		const expired = { checkDigits: 'invalid', expired: true, matchesDeclaration: false } as const;
		record = after(record, checkDocument(record, actors.agent, { ...input, mrz: expired }, contextAt()));
		const decided = applyEvents(record, [
			{
				type: 'verification.decided',
				data: { at: at(5000), state: 'rejected', reasonCodes: ['document_expired'], note: null, agentId: 'a', agentName: 'A' },
			},
		]);
		const outcome = outcomeSchema.parse(buildOutcome(decided));
		expect(outcome.documentChecks).toEqual({ count: 2, duplicateFound: false, mrz: [{ check: 2, ...expired }] });
		const text = JSON.stringify(outcome);
		expect(text).not.toContain(DECLARED.fullName);
		expect(text).not.toContain(DECLARED.dateOfBirth);
	});

	it('keeps the verdicts through the journal: the event parses, extra fields dropped', () => {
		const parsed = parseVerificationEvent('document.checked', {
			at: at(),
			documentType: 'passport',
			documentHash: 'h',
			duplicate: false,
			mrz: { ...VALID, documentNumber: 'L898902C3' },
			rev: '2.cd',
		});
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		const folded = applyEvents(applyEvents(created(), eventsTo('in_call')), [parsed.event]);
		expect(folded.documentChecks[0]?.mrz).toEqual(VALID);
	});
});

describe('the declared identity', () => {
	it('is kept in the record from the created event, picked field by field', () => {
		expect(declaredInCall().declared).toEqual(DECLARED);
		expect(created().declared).toBeUndefined();
	});

	it('is shown to the agent and to no other role', () => {
		const record = declaredInCall();
		const agent = snapshotFor(record, { participantId: actors.agent.participantId, role: 'agent' }, null, new Date());
		expect(verificationSnapshotSchema.parse(agent).declared).toEqual(DECLARED);
		const applicant = snapshotFor(record, { participantId: actors.applicant.participantId, role: 'applicant' }, null, new Date());
		expect(applicant).not.toHaveProperty('declared');
	});

	it('is validated at creation: a date of birth as YYYY-MM-DD, a name of reasonable length, nothing else', () => {
		const body = { externalUserRef: 'user-1', purpose: 'c2c_video' } as const;
		expect(createVerificationBodySchema.safeParse({ ...body, declared: DECLARED }).success).toBe(true);
		expect(createVerificationBodySchema.safeParse({ ...body, declared: { dateOfBirth: '01/04/1990' } }).success).toBe(false);
		expect(createVerificationBodySchema.safeParse({ ...body, declared: { dateOfBirth: '1990-02-30' } }).success).toBe(false);
		expect(createVerificationBodySchema.safeParse({ ...body, declared: { fullName: 'x'.repeat(201) } }).success).toBe(false);
		expect(createVerificationBodySchema.safeParse({ ...body, declared: { nationality: 'UTO' } }).success).toBe(false);
	});
});

describe('the checkDocument request', () => {
	const schema = verificationRequestSchemas.checkDocument;
	const base = { documentType: 'passport', documentNumber: 'L898902C3' };

	it('takes verdicts only: a field of the zone in them is refused', () => {
		expect(schema.safeParse({ ...base, mrz: VALID }).success).toBe(true);
		expect(schema.safeParse({ ...base, mrz: { ...VALID, surname: 'SAMPLE' } }).success).toBe(false);
		expect(schema.safeParse({ ...base, mrz: { ...VALID, checkDigits: 'partly' } }).success).toBe(false);
		expect(schema.safeParse({ ...base, mrz: { checkDigits: 'valid', expired: false } }).success).toBe(false);
	});
});
