// Which fields of which journal records are personal data, and so are sealed under their
// verification's key (envelope.ts) instead of being hashed in the clear. Everything else of a record
// (states, times, reason codes, step results, who decided) stays readable for good: it is what the record
// proves, and erasing a verification's personal data leaves it.
//
// Two kinds of key: `personal` for what identifies or describes the person (the host's user reference,
// the declared identity, the interpreter's name, the agent's and the reviewer's notes), `document` for the keyed document
// hashes, which the duplicate check needs only for DOCUMENT_HASH_RETENTION_DAYS and which are forgotten
// on their own schedule. The agent's name is staff data, not the applicant's, and is not sealed.
import type { KeyKind } from './envelope.ts';

/** A path into a record's data; '*' stands for every element of an array. */
export type FieldPath = readonly string[];
export type PersonalField = { path: FieldPath; kind: KeyKind };

const OUTCOME_FIELDS: PersonalField[] = [
	{ path: ['externalUserRef'], kind: 'personal' },
	{ path: ['note'], kind: 'personal' },
	{ path: ['steps', '*', 'note'], kind: 'personal' },
	{ path: ['interpreter', 'fullName'], kind: 'personal' },
	{ path: ['review', 'agent', 'note'], kind: 'personal' },
	{ path: ['review', 'reviewer', 'note'], kind: 'personal' },
];

const within = (prefix: string[], fields: PersonalField[]): PersonalField[] =>
	fields.map((field) => ({ ...field, path: [...prefix, ...field.path] }));

export const PERSONAL_FIELDS: Readonly<Record<string, readonly PersonalField[]>> = {
	'verification.created': [
		{ path: ['externalUserRef'], kind: 'personal' },
		{ path: ['declared', 'fullName'], kind: 'personal' },
		{ path: ['declared', 'dateOfBirth'], kind: 'personal' },
		{ path: ['earlier', 'documentHash'], kind: 'document' },
	],
	'step.marked': [{ path: ['note'], kind: 'personal' }],
	'verification.decided': [{ path: ['note'], kind: 'personal' }],
	'review.requested': [{ path: ['note'], kind: 'personal' }],
	'review.decided': [{ path: ['note'], kind: 'personal' }],
	'interpreter.declared': [{ path: ['fullName'], kind: 'personal' }],
	'document.checked': [{ path: ['documentHash'], kind: 'document' }],
	'outcome.recorded': within(['outcome'], OUTCOME_FIELDS),
	'webhook.enqueued': within(['payload', 'outcome'], OUTCOME_FIELDS),
};

/** The personal fields of a signed outcome, at the paths outcome.recorded holds them. */
export const SIGNED_OUTCOME_EVENT = 'outcome.recorded';
export const SIGNED_OUTCOME_PREFIX = ['outcome'];

export function hasPersonalFields(type: string): boolean {
	return Object.hasOwn(PERSONAL_FIELDS, type);
}

/**
 * Calls `visit` with every present, non-null value at a personal field of `data` (its concrete path,
 * dotted with array indices, and its kind) and puts back what it returns. `data` is copied, never changed.
 */
export async function mapPersonalFields(
	type: string,
	data: Record<string, unknown>,
	visit: (value: unknown, path: string, kind: KeyKind) => Promise<unknown> | unknown,
): Promise<Record<string, unknown>> {
	const fields = PERSONAL_FIELDS[type];
	if (!fields) return data;
	const copy = structuredClone(data);
	for (const field of fields) await mapAt(copy, field.path, [], field.kind, visit);
	return copy;
}

async function mapAt(
	holder: unknown,
	rest: FieldPath,
	done: string[],
	kind: KeyKind,
	visit: (value: unknown, path: string, kind: KeyKind) => Promise<unknown> | unknown,
): Promise<void> {
	if (holder === null || typeof holder !== 'object') return;
	const [head, ...tail] = rest;
	if (head === undefined) return;
	if (head === '*') {
		if (!Array.isArray(holder)) return;
		for (let index = 0; index < holder.length; index += 1) {
			if (tail.length === 0) continue;
			await mapAt(holder[index], tail, [...done, String(index)], kind, visit);
		}
		return;
	}
	const object = holder as Record<string, unknown>;
	if (!Object.hasOwn(object, head)) return;
	if (tail.length > 0) return mapAt(object[head], tail, [...done, head], kind, visit);
	const value = object[head];
	if (value === null || value === undefined) return;
	object[head] = await visit(value, [...done, head].join('.'), kind);
}
