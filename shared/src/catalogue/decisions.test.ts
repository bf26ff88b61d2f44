import { describe, expect, it } from 'vitest';
import { STEP_IDS } from './checklists.ts';
import {
	CHECK_REASONS,
	type DecisionEvidence,
	NOTE_EXPLAINED_REASONS,
	POOR_CONNECTION,
	poorConnectionMeasured,
	preselectedReasons,
	proposedReasons,
	STEP_FAILURE_REASONS,
	unsupportedReasons,
} from './decisions.ts';
import { REASON_CODE_INFO, REASON_CODES } from './reasonCodes.ts';

const nothing: DecisionEvidence = {
	failedSteps: [],
	duplicateFound: false,
	typedChallengeMismatched: false,
	poorConnection: false,
	applicantGone: false,
};

describe('what supports a reason code', () => {
	it('names for every step the reason codes its failure supports, each a known code once', () => {
		expect(Object.keys(STEP_FAILURE_REASONS).sort()).toEqual([...STEP_IDS].sort());
		for (const codes of [...Object.values(STEP_FAILURE_REASONS), ...Object.values(CHECK_REASONS)]) {
			expect(codes.length).toBeGreaterThan(0);
			expect(new Set(codes).size).toBe(codes.length);
			for (const code of codes) expect(REASON_CODES).toContain(code);
		}
	});

	it('lets only procedure-type causes and a poor connection rest on a note', () => {
		expect([...NOTE_EXPLAINED_REASONS].sort()).toEqual([
			'connection_too_poor',
			'procedure_not_followed',
			'someone_else_answered',
		]);
		for (const code of NOTE_EXPLAINED_REASONS) expect(['procedure', 'technical']).toContain(REASON_CODE_INFO[code].group);
	});

	it('proposes what failed steps and checks support, in catalogue order, with their sources', () => {
		const proposed = proposedReasons({ ...nothing, failedSteps: ['renewal_check', 'face'], duplicateFound: true });
		expect(proposed.map((entry) => entry.code)).toEqual(['document_expired', 'face_mismatch', 'duplicate_identity']);
		expect(proposed.find((entry) => entry.code === 'face_mismatch')?.sources).toEqual([
			{ step: 'renewal_check' },
			{ step: 'face' },
		]);
		expect(proposed.find((entry) => entry.code === 'duplicate_identity')?.sources).toEqual([
			{ step: 'renewal_check' },
			{ check: 'duplicateFound' },
		]);
		expect(proposedReasons(nothing)).toEqual([]);
	});

	it('ticks in advance only the causes a source has alone', () => {
		expect(preselectedReasons({ ...nothing, failedSteps: ['document_front'] })).toEqual([]);
		expect(
			preselectedReasons({
				...nothing,
				failedSteps: ['document_front', 'face'],
				duplicateFound: true,
				poorConnection: true,
			}),
		).toEqual(['face_mismatch', 'duplicate_identity', 'connection_too_poor']);
	});

	it('sorts a rejection’s unsupported codes into those needing a step and those a note would explain', () => {
		const evidence = { ...nothing, failedSteps: ['document_front'] } as const;
		expect(unsupportedReasons(['document_expired'], evidence, false)).toEqual({ unsupported: [], needNote: [] });
		expect(unsupportedReasons(['face_mismatch', 'procedure_not_followed', 'document_expired'], evidence, false)).toEqual({
			unsupported: ['face_mismatch'],
			needNote: ['procedure_not_followed'],
		});
		expect(unsupportedReasons(['procedure_not_followed'], evidence, true)).toEqual({ unsupported: [], needNote: [] });
	});
});

describe('poorConnectionMeasured()', () => {
	const quality = (role: string, loss: number | null, roundTrip: number | null, kbps: number | null) => ({
		role,
		worstPacketLossPercent: loss,
		averageRoundTripMs: roundTrip,
		averageVideoKbps: kbps,
	});

	it('finds a poor connection at the limits the console calls poor, for the applicant or interpreter only', () => {
		expect(poorConnectionMeasured([quality('applicant', 1, 80, 1500)])).toBe(false);
		expect(poorConnectionMeasured([quality('applicant', POOR_CONNECTION.packetLossPercent, 80, 1500)])).toBe(true);
		expect(poorConnectionMeasured([quality('interpreter', 0, POOR_CONNECTION.roundTripMs, 1500)])).toBe(true);
		expect(poorConnectionMeasured([quality('applicant', 0, 80, POOR_CONNECTION.videoKbps - 1)])).toBe(true);
		expect(poorConnectionMeasured([quality('agent', 40, 900, 10)])).toBe(false);
		expect(poorConnectionMeasured([quality('applicant', null, null, null)])).toBe(false);
	});
});
