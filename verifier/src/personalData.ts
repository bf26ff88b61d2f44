// What a verified bundle says of its personal data, for the verifier's report: personal fields are
// journaled sealed under keys of their verification (`vvseal1.` strings, docs/audit.md), so a bundle
// proves they were recorded and never changed, not what they said; an erasure is a record of its own.
// Read only once the bundle verified: it describes, it does not check.

const SEALED = /^vvseal1\.(personal|document)\./;

export type PersonalDataSummary = {
	/** Fields whose value is sealed in the bundle's records. */
	sealedFields: number;
	/** When and why the verification's keys were destroyed; null while they live. */
	erased: { at: string; reason: string } | null;
};

export function personalDataOf(events: readonly { type: string; data: Record<string, unknown> }[]): PersonalDataSummary {
	let sealedFields = 0;
	const count = (value: unknown): void => {
		if (typeof value === 'string') sealedFields += SEALED.test(value) ? 1 : 0;
		else if (Array.isArray(value)) value.forEach(count);
		else if (value !== null && typeof value === 'object') Object.values(value).forEach(count);
	};
	let erased: PersonalDataSummary['erased'] = null;
	for (const event of events) {
		count(event.data);
		if (event.type === 'personal_data.erased' && erased === null) {
			erased = { at: String(event.data.at), reason: String(event.data.reason) };
		}
	}
	return { sealedFields, erased };
}

/** One line for the report. */
export function describePersonalData({ sealedFields, erased }: PersonalDataSummary): string {
	if (erased)
		return `personal data: erased at ${erased.at} (${erased.reason}); its ${sealedFields} sealed fields can no longer be opened`;
	return `personal data: ${sealedFields} fields sealed (the service holds their keys; the bundle proves them, not their values)`;
}
