// The agent checks whether the document read on camera is tied to another user's approved
// verification. Only a keyed hash of the number is kept, never the number; when the number was read
// from the machine-readable zone in the agent's browser, the zone's verdicts go with it, never its fields.
import type { DocumentCheckView } from '@vidverify/shared';
import { AppError } from '../../errors.ts';
import type { Actor } from '../types.ts';
import type { MrzVerdicts, VerificationEvent, VerificationRecord } from '../VerificationRecord.ts';
import { documentCheckView } from '../views.ts';
import { after, assertMayAct, assertWithinBound, type CommandContext, type Decision } from './Decision.ts';

export type DocumentCheckInput = {
	documentType: DocumentCheckView['documentType'];
	documentHash: string;
	/** The users whose approved verifications hold this document. */
	holders: readonly string[];
	/** The MRZ reading aid's verdicts, when the number came from it. */
	mrz?: MrzVerdicts | undefined;
};

export function checkDocument(
	record: VerificationRecord,
	actor: Actor,
	input: DocumentCheckInput,
	context: CommandContext,
): Decision<DocumentCheckView> {
	assertMayAct(record, actor, 'checkDocument');
	assertWithinBound(record);
	if (input.mrz && input.mrz.matchesDeclaration !== null && !record.declared) {
		// A comparison with nothing: the console compares only with what the host declared.
		throw AppError.invalidPayload('mrz.matchesDeclaration must be null: the host declared no identity', [
			{ path: 'mrz.matchesDeclaration', message: 'nothing was declared to compare with' },
		]);
	}
	const duplicate = input.holders.some((holder) => holder !== record.externalUserRef);
	const at = context.now.toISOString();
	const events: VerificationEvent[] = [
		{
			type: 'document.checked',
			data: {
				at,
				documentType: input.documentType,
				documentHash: input.documentHash,
				duplicate,
				...(input.mrz ? { mrz: { ...input.mrz } } : {}),
			},
		},
	];
	const checked = after(record, { events });
	const index = checked.documentChecks.length - 1;
	const check = checked.documentChecks[index];
	if (!check) throw new TypeError('the document check vanished');
	// Numbered in order, so the agent can name it in the decision without the number read.
	return { events, result: documentCheckView(checked, check, index) };
}
