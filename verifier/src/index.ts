// The offline verifier of vidverify's record, as a library: the journal's record formats and what
// their hashes cover, ES256 compact JWS, and the check of a verification bundle.

export { BUNDLE_FORMAT, type Bundle, type BundleReport, type CheckName, verifyBundle } from './bundle.ts';
export { canonicalJson, isPlainObject } from './canonicalJson.ts';
export { type PublicKey, publicKeyFromText, publicKeyOf, thumbprint, unverifiedPayload, verifyEs256 } from './jws.ts';
export { describePersonalData, type PersonalDataSummary, personalDataOf } from './personalData.ts';
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
export {
	CHECKPOINT_TYPE,
	type Checkpoint,
	OUTCOME_ISSUER,
	type SignedCheckpointPayload,
	type SignedOutcomePayload,
} from './signed.ts';
