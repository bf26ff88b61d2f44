import { describe, expect, it } from 'vitest';
import { APPLICANT_STEP_IDS, checklistFor, INTERPRETER_STEP_IDS, isInterpreterStep, STEP_IDS } from './checklists.ts';
import { PURPOSES } from './purposes.ts';

const IDENTITY_STEPS = ['face', 'document_front', 'document_back', 'confirm_details', 'renewal_check', 'security_features'];
const variants = PURPOSES.flatMap((purpose) =>
	[false, true].flatMap((interpreter) => [false, true].map((textOnlyChallenge) => ({ purpose, interpreter, textOnlyChallenge }))),
);

describe('checklistFor()', () => {
	it.each(variants)('gives unique step ids starting with consent for %o', (options) => {
		const ids = checklistFor(options.purpose, options).map((step) => step.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids[0]).toBe('consent');
	});

	it.each(PURPOSES)('checks face, both document sides, the security features and the challenge for %s', (purpose) => {
		const required = checklistFor(purpose, { interpreter: false })
			.filter((step) => step.required)
			.map((step) => step.id);
		expect(required).toEqual(
			expect.arrayContaining(['consent', 'face', 'document_front', 'document_back', 'security_features', 'challenge']),
		);
	});

	it.each(PURPOSES)('adds the interpreter steps to %s only when an interpreter takes part', (purpose) => {
		const without = checklistFor(purpose, { interpreter: false }).map((step) => step.id);
		const withInterpreter = checklistFor(purpose, { interpreter: true }).map((step) => step.id);
		expect(without.some(isInterpreterStep)).toBe(false);
		expect(withInterpreter.filter(isInterpreterStep)).toEqual([...INTERPRETER_STEP_IDS]);
		expect(withInterpreter.filter((id) => !isInterpreterStep(id))).toEqual(without);
	});

	it.each(PURPOSES)("puts the interpreter steps of %s after every one of the applicant's identity steps", (purpose) => {
		const ids = checklistFor(purpose, { interpreter: true }).map((step) => step.id);
		const lastIdentityStep = Math.max(...IDENTITY_STEPS.map((id) => ids.indexOf(id as (typeof ids)[number])));
		const firstInterpreterStep = Math.min(...INTERPRETER_STEP_IDS.map((id) => ids.indexOf(id)));
		expect(lastIdentityStep).toBeGreaterThan(0);
		expect(firstInterpreterStep).toBeGreaterThan(lastIdentityStep);
	});

	it('addresses the declaration and own-ID steps to the interpreter and the joint step to both', () => {
		const steps = checklistFor('c2c_video', { interpreter: true });
		const actorOf = (id: string) => steps.find((step) => step.id === id)?.actor;
		expect(actorOf('interpreter_declaration')).toBe('interpreter');
		expect(steps.find((step) => step.id === 'interpreter_declaration')?.kind).toBe('interpreter_declaration');
		expect(actorOf('interpreter_document')).toBe('interpreter');
		expect(actorOf('joint_presence')).toBe('both');
		expect(steps.filter((step) => !isInterpreterStep(step.id)).every((step) => step.actor === 'applicant')).toBe(true);
	});

	it('has exactly one security features step and one challenge step in every template', () => {
		for (const { purpose, interpreter } of variants) {
			const kinds = checklistFor(purpose, { interpreter }).map((step) => step.kind);
			expect(kinds.filter((kind) => kind === 'security_features')).toHaveLength(1);
			expect(kinds.filter((kind) => kind === 'challenge')).toHaveLength(1);
		}
	});

	it('asks for a typed answer to the challenge in text-only mode and a spoken one otherwise', () => {
		const promptOf = (textOnlyChallenge: boolean) =>
			checklistFor('c2c_video', { interpreter: true, textOnlyChallenge }).find((step) => step.kind === 'challenge')?.promptKey;
		expect(promptOf(false)).toBe('step.challenge.prompt');
		expect(promptOf(true)).toBe('step.challenge.prompt.typed');
	});

	it('speaks of the new document in an identity reset and asks the agent to compare it with the earlier record', () => {
		const steps = checklistFor('identity_reset', { interpreter: false });
		expect(steps.find((step) => step.id === 'document_front')?.promptKey).toBe('step.document_front.prompt.renewed');
		expect(steps.find((step) => step.id === 'renewal_check')?.required).toBe(true);
	});

	it('makes the agent read the details the automatic check missed in a manual review', () => {
		const ids = checklistFor('manual_review', { interpreter: false }).map((step) => step.id);
		expect(ids).toContain('confirm_details');
		expect(ids.indexOf('confirm_details')).toBeGreaterThan(ids.indexOf('document_back'));
	});

	it('returns fresh objects, so a caller changing its copy cannot change the template', () => {
		const first = checklistFor('c2c_video', { interpreter: false });
		const firstStep = first[0];
		if (firstStep) firstStep.required = false;
		first.pop();
		expect(checklistFor('c2c_video', { interpreter: false })[0]?.required).toBe(true);
		expect(checklistFor('c2c_video', { interpreter: false })).toHaveLength(first.length + 1);
	});

	it('uses every step id somewhere and lists every id once in STEP_IDS', () => {
		const used = new Set(variants.flatMap((options) => checklistFor(options.purpose, options).map((step) => step.id)));
		expect(new Set(STEP_IDS).size).toBe(STEP_IDS.length);
		expect([...used].sort()).toEqual([...STEP_IDS].sort());
		expect(STEP_IDS).toEqual([...APPLICANT_STEP_IDS, ...INTERPRETER_STEP_IDS]);
	});
});
