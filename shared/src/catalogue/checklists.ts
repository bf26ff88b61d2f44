// The checklist templates: which steps a verification goes through, in order, for each purpose, with the
// interpreter's own steps added when an interpreter takes part.
import type { MessageKey } from './messages.en.ts';
import type { Purpose } from './purposes.ts';

export const APPLICANT_STEP_IDS = [
	'consent',
	'face',
	'document_front',
	'document_back',
	'confirm_details',
	'renewal_check',
	'security_features',
	'challenge',
	'head_turn',
] as const;

export const INTERPRETER_STEP_IDS = ['interpreter_declaration', 'interpreter_document', 'joint_presence'] as const;

export const STEP_IDS = [...APPLICANT_STEP_IDS, ...INTERPRETER_STEP_IDS] as const;
export type StepId = (typeof STEP_IDS)[number];

/**
 * How a step is carried out: `security_features` gets the server's random pick of features to check,
 * `challenge` a one-time number, `interpreter_declaration` records the interpreter's name and relation.
 */
export type StepKind = 'plain' | 'security_features' | 'challenge' | 'interpreter_declaration';
/** Who the prompt is addressed to; `both` is the applicant and the interpreter together. */
export type StepActor = 'applicant' | 'interpreter' | 'both';

export type StepDefinition = {
	id: StepId;
	kind: StepKind;
	actor: StepActor;
	/** An approval needs every required step passed. */
	required: boolean;
	promptKey: MessageKey;
	agentGuidanceKey: MessageKey;
};

type StepBase = Omit<StepDefinition, 'id' | 'required'>;

const STEPS: Record<StepId, StepBase> = {
	consent: { kind: 'plain', actor: 'applicant', promptKey: 'step.consent.prompt', agentGuidanceKey: 'step.consent.guidance' },
	face: { kind: 'plain', actor: 'applicant', promptKey: 'step.face.prompt', agentGuidanceKey: 'step.face.guidance' },
	document_front: {
		kind: 'plain',
		actor: 'applicant',
		promptKey: 'step.document_front.prompt',
		agentGuidanceKey: 'step.document_front.guidance',
	},
	document_back: {
		kind: 'plain',
		actor: 'applicant',
		promptKey: 'step.document_back.prompt',
		agentGuidanceKey: 'step.document_back.guidance',
	},
	confirm_details: {
		kind: 'plain',
		actor: 'applicant',
		promptKey: 'step.confirm_details.prompt',
		agentGuidanceKey: 'step.confirm_details.guidance',
	},
	renewal_check: {
		kind: 'plain',
		actor: 'applicant',
		promptKey: 'step.renewal_check.prompt',
		agentGuidanceKey: 'step.renewal_check.guidance',
	},
	security_features: {
		kind: 'security_features',
		actor: 'applicant',
		promptKey: 'step.security_features.prompt',
		agentGuidanceKey: 'step.security_features.guidance',
	},
	challenge: {
		kind: 'challenge',
		actor: 'applicant',
		promptKey: 'step.challenge.prompt',
		agentGuidanceKey: 'step.challenge.guidance',
	},
	head_turn: {
		kind: 'plain',
		actor: 'applicant',
		promptKey: 'step.head_turn.prompt',
		agentGuidanceKey: 'step.head_turn.guidance',
	},
	interpreter_declaration: {
		kind: 'interpreter_declaration',
		actor: 'interpreter',
		promptKey: 'step.interpreter_declaration.prompt',
		agentGuidanceKey: 'step.interpreter_declaration.guidance',
	},
	interpreter_document: {
		kind: 'plain',
		actor: 'interpreter',
		promptKey: 'step.interpreter_document.prompt',
		agentGuidanceKey: 'step.interpreter_document.guidance',
	},
	joint_presence: {
		kind: 'plain',
		actor: 'both',
		promptKey: 'step.joint_presence.prompt',
		agentGuidanceKey: 'step.joint_presence.guidance',
	},
};

type TemplateEntry = { id: StepId; required: boolean } & Partial<Pick<StepDefinition, 'promptKey' | 'agentGuidanceKey'>>;

// Consent always comes first: nothing may be looked at before the applicant has agreed on camera.
// The identity steps (face and document) come before the liveness steps (challenge, head turn) so the
// agent already knows whose face to watch while the applicant answers.
const TEMPLATES: Record<Purpose, readonly TemplateEntry[]> = {
	c2c_video: [
		{ id: 'consent', required: true },
		{ id: 'face', required: true },
		{ id: 'document_front', required: true },
		{ id: 'document_back', required: true },
		{ id: 'security_features', required: true },
		{ id: 'challenge', required: true },
		{ id: 'head_turn', required: true },
	],
	// The applicant was verified before; what is new is the document, so the document steps speak of the
	// new ID and the agent compares it with the earlier record. The challenge still proves a live person;
	// the head turn is left to the agent's judgement.
	identity_reset: [
		{ id: 'consent', required: true },
		{ id: 'face', required: true },
		{
			id: 'document_front',
			required: true,
			promptKey: 'step.document_front.prompt.renewed',
			agentGuidanceKey: 'step.document_front.guidance.renewed',
		},
		{ id: 'document_back', required: true },
		{ id: 'security_features', required: true },
		{ id: 'renewal_check', required: true },
		{ id: 'challenge', required: true },
		{ id: 'head_turn', required: false },
	],
	// The automatic check already failed once, so the agent reads the document in full before judging it.
	manual_review: [
		{ id: 'consent', required: true },
		{ id: 'face', required: true },
		{ id: 'document_front', required: true },
		{ id: 'document_back', required: true },
		{ id: 'confirm_details', required: true },
		{ id: 'security_features', required: true },
		{ id: 'challenge', required: true },
		{ id: 'head_turn', required: true },
	],
};

// After all of the applicant's steps: the applicant's identity is settled first, and the joint step
// closes the call with everyone and every document in view.
const INTERPRETER_ENTRIES: readonly TemplateEntry[] = [
	{ id: 'interpreter_declaration', required: true },
	{ id: 'interpreter_document', required: true },
	{ id: 'joint_presence', required: true },
];

export type ChecklistOptions = {
	/** An interpreter takes part: their own steps are added. */
	interpreter: boolean;
	/** The applicant types the challenge number instead of saying it. */
	textOnlyChallenge?: boolean;
};

/** The ordered steps of a new verification; a fresh array of fresh objects on every call. */
export function checklistFor(purpose: Purpose, options: ChecklistOptions): StepDefinition[] {
	const entries = options.interpreter ? [...TEMPLATES[purpose], ...INTERPRETER_ENTRIES] : TEMPLATES[purpose];
	return entries.map((entry) => {
		const step: StepDefinition = { id: entry.id, required: entry.required, ...STEPS[entry.id] };
		if (entry.promptKey) step.promptKey = entry.promptKey;
		if (entry.agentGuidanceKey) step.agentGuidanceKey = entry.agentGuidanceKey;
		if (step.kind === 'challenge' && options.textOnlyChallenge) step.promptKey = 'step.challenge.prompt.typed';
		return step;
	});
}

export function isInterpreterStep(id: StepId): boolean {
	return (INTERPRETER_STEP_IDS as readonly StepId[]).includes(id);
}
