// The host API's endpoints as data: method, path, the zod schemas of what goes in and out, and the
// errors each can answer. The router serves exactly this table and docs/protocol.md is generated
// from it, so the documentation cannot list an endpoint the server does not serve, or miss one.
import {
	agentTokenAnswerSchema,
	agentTokenBodySchema,
	createVerificationAnswerSchema,
	createVerificationBodySchema,
	type ErrorCode,
	journalRecordSchema,
	listVerificationsAnswerSchema,
	listVerificationsQuerySchema,
	verificationBundleSchema,
	verificationViewSchema,
} from '@vidverify/shared';
import { z } from 'zod';

export const API_PREFIX = '/api/v1';

export { journalRecordSchema };

export const verificationEventsAnswerSchema = z.strictObject({
	verificationId: z.string(),
	/**
	 * This verification's records of the service-wide chain, in order. Each record's hash covers its
	 * prevHash and contents (see verifier/src/records.ts); the records of other verifications sit
	 * between them, so prevHash links to the record before in the whole journal, and vprev to the
	 * record before in this list.
	 */
	events: z.array(journalRecordSchema),
});

export const outcomeKeyAnswerSchema = z.strictObject({
	alg: z.literal('ES256'),
	kid: z.string(),
	jwk: z.record(z.string(), z.unknown()),
	pem: z.string(),
});

export const revokeSignInAnswerSchema = z.strictObject({
	tokenId: z.string(),
	/** This sign-in's tokens (refreshed ones too) and media tickets no longer connect, from this moment. */
	revokedAt: z.iso.datetime({ offset: true }),
});

export const revokeAgentAnswerSchema = z.strictObject({
	agentId: z.string(),
	/** Tokens and media tickets of this agent issued up to this moment (to the second) no longer connect. */
	revokedAt: z.iso.datetime({ offset: true }),
});

export type Endpoint = {
	method: 'get' | 'post';
	/** Relative to API_PREFIX, in express syntax. */
	path: string;
	summary: string;
	/** False for the one public endpoint; every other needs `Authorization: Bearer <API key>`. */
	authenticated: boolean;
	params?: z.ZodType;
	query?: z.ZodType;
	body?: z.ZodType;
	status: number;
	answer: z.ZodType;
	errors: ErrorCode[];
};

const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const agentParams = z.strictObject({ agentId: z.string().min(1).max(100) });
const tokenParams = z.strictObject({ tokenId: z.string().min(1).max(100) });

export const HOST_API_ENDPOINTS = {
	createVerification: {
		method: 'post',
		path: '/verifications',
		summary:
			"Creates a verification and the applicant's join link. Eligibility the host already knows to fail (underage, unsupported region, C2C frozen) is refused at once with 409 INVALID_STATE and the reason in the message.",
		authenticated: true,
		body: createVerificationBodySchema,
		status: 201,
		answer: createVerificationAnswerSchema,
		errors: ['UNAUTHENTICATED', 'INVALID_PAYLOAD', 'INVALID_STATE', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED'],
	},
	listVerifications: {
		method: 'get',
		path: '/verifications',
		summary:
			'Lists verifications in the order they were created (oldest first), optionally by state and created at or after `since`; while nextCursor is not null, pass it as `cursor` for the next page.',
		authenticated: true,
		query: listVerificationsQuerySchema,
		status: 200,
		answer: listVerificationsAnswerSchema,
		errors: ['UNAUTHENTICATED', 'INVALID_PAYLOAD', 'RATE_LIMITED'],
	},
	getVerification: {
		method: 'get',
		path: '/verifications/:id',
		summary: 'One verification: its state and, once final, its outcome and the outcome signed as a compact JWS (ES256).',
		authenticated: true,
		params: idParams,
		status: 200,
		answer: verificationViewSchema,
		errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'RATE_LIMITED'],
	},
	getVerificationEvents: {
		method: 'get',
		path: '/verifications/:id/events',
		summary: "One verification's event log: its hash-chained journal records, in order.",
		authenticated: true,
		params: idParams,
		status: 200,
		answer: verificationEventsAnswerSchema,
		errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'RATE_LIMITED'],
	},
	getVerificationBundle: {
		method: 'get',
		path: '/verifications/:id/bundle',
		summary:
			"One verification's record as a self-contained bundle a host can prove offline with the outcome key alone (`npx vidverify-verify bundle.json --key outcome-key.json`, docs/audit.md): every journal record of the verification, each chained to the one before; the signed outcome, which commits to the events before it; a signed checkpoint of the whole journal at or after the last record; the proof from the last record to the checkpoint's head; and the public key (JWK). Tampering, omission and reordering all fail the check.",
		authenticated: true,
		params: idParams,
		status: 200,
		answer: verificationBundleSchema,
		errors: ['UNAUTHENTICATED', 'NOT_FOUND', 'RATE_LIMITED'],
	},
	createAgentToken: {
		method: 'post',
		path: '/agent-tokens',
		summary: "Mints a short-lived agent token for a member of the host's staff who has signed in on the host's side.",
		authenticated: true,
		body: agentTokenBodySchema,
		status: 201,
		answer: agentTokenAnswerSchema,
		errors: ['UNAUTHENTICATED', 'INVALID_PAYLOAD', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED'],
	},
	revokeAgent: {
		method: 'post',
		path: '/agents/:agentId/revoke',
		summary:
			"Revokes every sign-in of this agent begun so far, with every token refreshed from them (the staff member signed out or left): the agent's open connections are closed, and none of those tokens opens a new one on any process. A token minted afterwards works; one minted within the same second is refused too.",
		authenticated: true,
		params: agentParams,
		status: 200,
		answer: revokeAgentAnswerSchema,
		errors: ['UNAUTHENTICATED', 'INVALID_PAYLOAD', 'RATE_LIMITED'],
	},
	revokeAgentToken: {
		method: 'post',
		path: '/agent-tokens/:tokenId/revoke',
		summary:
			"Revokes one sign-in by the tokenId that minted it (that link leaked): its tokens, refreshed ones included, and its media tickets stop connecting on every process and its open connections are closed; the agent's other sign-ins go on. An unknown id is accepted (it revokes nothing that exists).",
		authenticated: true,
		params: tokenParams,
		status: 200,
		answer: revokeSignInAnswerSchema,
		errors: ['UNAUTHENTICATED', 'INVALID_PAYLOAD', 'RATE_LIMITED'],
	},
	getOutcomeKey: {
		method: 'get',
		path: '/outcome-key',
		summary:
			'The public key that verifies signed outcomes (ES256), as a JWK and as PEM; kid is its RFC 7638 thumbprint. Public: it holds no secret.',
		authenticated: false,
		status: 200,
		answer: outcomeKeyAnswerSchema,
		errors: ['RATE_LIMITED'],
	},
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof HOST_API_ENDPOINTS;
