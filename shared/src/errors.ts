// The closed set of error codes shared by HTTP answers and socket acknowledgements, with the HTTP
// status each maps to, so one error type serves both transports.
export const ErrorCode = {
	UNAUTHENTICATED: 'UNAUTHENTICATED',
	FORBIDDEN: 'FORBIDDEN',
	INVALID_PAYLOAD: 'INVALID_PAYLOAD',
	INVALID_STATE: 'INVALID_STATE',
	NOT_FOUND: 'NOT_FOUND',
	CONFLICT: 'CONFLICT',
	RATE_LIMITED: 'RATE_LIMITED',
	PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
	PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
	UNAVAILABLE: 'UNAVAILABLE',
	INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
	UNAUTHENTICATED: 401,
	FORBIDDEN: 403,
	INVALID_PAYLOAD: 400,
	INVALID_STATE: 409,
	NOT_FOUND: 404,
	CONFLICT: 409,
	RATE_LIMITED: 429,
	PAYLOAD_TOO_LARGE: 413,
	PROTOCOL_MISMATCH: 426,
	UNAVAILABLE: 503,
	INTERNAL: 500,
};

export type FieldError = { path: string; message: string };

/**
 * Why a request was refused, as a machine key the client translates (with `params` filled in): the
 * `message` beside it is English for logs and host developers, never shown to a person as is. Each
 * code has a reason of its own name for refusals that need no more detail.
 */
export const ERROR_REASONS = [
	// One per code.
	'unauthenticated',
	'forbidden',
	'invalidPayload',
	'invalidState',
	'notFound',
	'conflict',
	'rateLimited',
	'payloadTooLarge',
	'protocolMismatch',
	'unavailable',
	'internal',
	// Tokens, links and invitations.
	'tokenExpired',
	'tokenInvalid',
	'linkExpired',
	// An agent's sign-in reached its longest life: only a new link from the host platform opens the console.
	'signInEnded',
	'unknownVerification',
	'invitationInvalid',
	'invitationExpired',
	'invitationUsed',
	'removedFromCall',
	// Who may do what.
	'roleMayNotSend',
	'notAParticipant',
	'notYourVerification',
	'noVerificationAssigned',
	'notEligibleToTake',
	// Four-eyes review: the token has no review permission; the reviewer was this call's agent.
	'notAReviewer',
	'reviewOwnCall',
	// The state machine: one wording for every request refused in the state it finds (params: request, state).
	'notAllowedInState',
	// A verification that is over takes no new connection (params: state).
	'verificationEnded',
	// A participant's requests that add to the permanent record are bounded per verification.
	'tooManyChanges',
	'consentChanged',
	'alreadyInCall',
	'setAvailableFirst',
	'nothingToAccept',
	'takenByAnotherAgent',
	'noSuchStep',
	'stepNotApplicable',
	'promptStepFirst',
	'noInterpreterForStep',
	'interpreterNotDeclared',
	'typedAnswerNotMatched',
	'noChallengeWaiting',
	'challengeNotTyped',
	'challengeAlreadyAnswered',
	'challengeExpired',
	'interpreterAlreadyPresent',
	'noInterpreterPresent',
	'approvalNeedsRequiredSteps',
	// An approval with a step marked failed, required or not (params: steps).
	'approvalWithFailedStep',
	// A rejection names causes no failed step or recorded check of the call supports (params: reasons,
	// reason codes joined by commas), or causes only the agent saw, without a note saying what (same).
	'reasonsNotSupported',
	'reasonsNeedNote',
	// The approval names a document check that does not exist, or one that found another user's document.
	'noSuchDocumentCheck',
	'documentHeldByAnother',
	'notEligible',
	// The earlier verification given for an identity reset: unknown, still going, another user's, or
	// given for a purpose other than identity_reset.
	'earlierVerificationUnknown',
	'earlierVerificationNotOver',
	'earlierVerificationOtherUser',
	'earlierVerificationNotReset',
	// Concurrency and availability.
	'changedConcurrently',
	// Another reviewer decided the verification just before (params: state).
	'alreadyReviewed',
	'stillRecording',
	'serviceStarting',
	'serviceShuttingDown',
	'journalUnavailable',
	'requestTimedOut',
	'disconnected',
	// Media.
	'joinMediaFirst',
	'mediaServedElsewhere',
	'mediaRestarted',
	'mediaUnavailable',
	'callEnded',
	'alreadySending',
	'tooManyChecks',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

/** The reason of its own name for each code, used where a refusal names none more precise. */
export const DEFAULT_REASON_OF: Record<ErrorCode, ErrorReason> = {
	UNAUTHENTICATED: 'unauthenticated',
	FORBIDDEN: 'forbidden',
	INVALID_PAYLOAD: 'invalidPayload',
	INVALID_STATE: 'invalidState',
	NOT_FOUND: 'notFound',
	CONFLICT: 'conflict',
	RATE_LIMITED: 'rateLimited',
	PAYLOAD_TOO_LARGE: 'payloadTooLarge',
	PROTOCOL_MISMATCH: 'protocolMismatch',
	UNAVAILABLE: 'unavailable',
	INTERNAL: 'internal',
};

export function isErrorReason(value: unknown): value is ErrorReason {
	return typeof value === 'string' && (ERROR_REASONS as readonly string[]).includes(value);
}

/** Values a translated reason may interpolate: ids, states, counts. Never personal data. */
export type ReasonParams = Record<string, string | number>;

export type WireError = {
	code: ErrorCode;
	/** English, for logs and host developers. */
	message: string;
	/** What a person is shown, translated on the client. */
	reason: ErrorReason;
	params?: ReasonParams;
	fields?: FieldError[];
};
