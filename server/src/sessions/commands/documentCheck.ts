// The agent checks whether the document read on camera is tied to another user's approved
// verification. Only a keyed hash of the number is kept, never the number.
import type { Actor } from '../types.ts';
import type { VerificationRecord } from '../VerificationRecord.ts';
import { assertMayAct, assertWithinBound, type CommandContext, type Decision } from './Decision.ts';

export type DocumentCheckInput = {
	documentType: string;
	documentHash: string;
	/** The users whose approved verifications hold this document. */
	holders: readonly string[];
};

export function checkDocument(
	record: VerificationRecord,
	actor: Actor,
	input: DocumentCheckInput,
	context: CommandContext,
): Decision<boolean> {
	assertMayAct(record, actor, 'checkDocument');
	assertWithinBound(record);
	const duplicate = input.holders.some((holder) => holder !== record.externalUserRef);
	return {
		events: [
			{
				type: 'document.checked',
				data: {
					at: context.now.toISOString(),
					documentType: input.documentType,
					documentHash: input.documentHash,
					duplicate,
				},
			},
		],
		result: duplicate,
	};
}
