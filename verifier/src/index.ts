// The offline verifier of vidverify's record, as a library: the journal's record formats and what
// their hashes cover.
export { canonicalJson, isPlainObject } from './canonicalJson.ts';
export {
	BOOKKEEPING_FIELDS,
	bodyOf,
	type EventsHead,
	eventsHeadOf,
	GENESIS_HASH,
	isHash,
	type JournalRecord,
	linkHash,
	NO_EVENTS,
	NO_SUBJECT,
	nextEventsHead,
	type ProofLink,
	proofLinkOf,
	RECORD_FORMAT,
	recordHash,
	recordShapeProblem,
	sha256Hex,
	subjectOf,
} from './records.ts';
