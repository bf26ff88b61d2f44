// How an interpreter may be related to the applicant they interpret for; declared on joining and on camera.
import type { MessageKey } from './messages.en.ts';

// Interpreters are family members (or a guardian) of a deaf or mute applicant, not professionals; a
// relation outside this list is declared as other_relative and explained in the agent's note.
export const RELATIONS = [
	'parent',
	'child',
	'spouse_or_partner',
	'sibling',
	'grandparent',
	'grandchild',
	'other_relative',
	'legal_guardian',
] as const;
export type Relation = (typeof RELATIONS)[number];

export const RELATION_LABEL_KEYS: Record<Relation, MessageKey> = {
	parent: 'relation.parent',
	child: 'relation.child',
	spouse_or_partner: 'relation.spouse_or_partner',
	sibling: 'relation.sibling',
	grandparent: 'relation.grandparent',
	grandchild: 'relation.grandchild',
	other_relative: 'relation.other_relative',
	legal_guardian: 'relation.legal_guardian',
};
