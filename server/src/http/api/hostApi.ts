// The host platform's HTTP API under /api/v1: a thin layer that checks the API key, validates what
// comes in against the endpoint table's schemas, calls the domain and mints the participant tokens
// and links the domain's new participants need. Errors leave through the one mapper (toWireError).
import type {
	AgentTokenBody,
	CreateVerificationBody,
	ErrorCode,
	ListVerificationsQuery,
	VerificationBundle,
} from '@vidverify/shared';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { ApiKeys } from '../../auth/ApiKeys.ts';
import type { JoinLinks } from '../../auth/JoinLinks.ts';
import type { OutcomePublicKey } from '../../auth/OutcomeSigner.ts';
import type { ParticipantTokens } from '../../auth/ParticipantTokens.ts';
import { AppError, toWireError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ErasureAnswer } from '../../privacy/PersonalDataErasure.ts';
import type { VerificationService } from '../../sessions/VerificationService.ts';
import { type Endpoint, type EndpointName, HOST_API_ENDPOINTS } from './endpoints.ts';
import { createErasureApi } from './erasure.ts';
import { hostCalls } from './hostCalls.ts';
import { apiKeyOf, type HostRateLimitSettings, hostRateLimit, identifyApiKey } from './hostRateLimit.ts';

export type HostApiOptions = {
	verifications: Pick<VerificationService, 'createVerification' | 'getVerification' | 'listVerifications' | 'getEvents'>;
	tokens: ParticipantTokens;
	links: JoinLinks;
	apiKeys: ApiKeys;
	outcomeKey: OutcomePublicKey;
	/** A verification's bundle for offline proof (audit/bundle.ts); NOT_FOUND for an unknown one. */
	bundle: (verificationId: string) => Promise<VerificationBundle>;
	/** Erases a verification's personal data (DELETE .../personal-data, erasure.ts). */
	erasePersonalData: (verificationId: string) => Promise<ErasureAnswer>;
	/** Revokes the agent's tokens issued so far and closes its connections; resolves with the moment. */
	revokeAgent: (agentId: string) => Promise<Date>;
	/** Revokes one sign-in (the id of the agent token the host minted) and closes its connections. */
	revokeSignIn: (tokenId: string) => Promise<Date>;
	/**
	 * How long the applicant's token outlives the verification's join deadline: a call that starts just
	 * before the deadline must still be able to reconnect with the same token.
	 */
	applicantTokenOverrunMs: number;
	bodyLimitBytes: number;
	rateLimit: HostRateLimitSettings;
	logger: Logger;
	/** Told the code of every error answered (metrics). */
	countError?: (code: ErrorCode) => void;
};

type Parsed = { params: unknown; query: unknown; body: unknown };
type Handler = (input: Parsed) => Promise<unknown> | unknown;

export function createHostApi(options: HostApiOptions): Router {
	const { verifications } = options;
	const calls = hostCalls(options);

	const handlers: Record<EndpointName, Handler> = {
		createVerification: ({ body }) => calls.createVerification(body as CreateVerificationBody),
		listVerifications: ({ query }) => verifications.listVerifications(query as ListVerificationsQuery),
		getVerification: ({ params }) => verifications.getVerification((params as { id: string }).id),
		getVerificationEvents: async ({ params }) => {
			const { id } = params as { id: string };
			return { verificationId: id, events: await verifications.getEvents(id) };
		},
		getVerificationBundle: ({ params }) => options.bundle((params as { id: string }).id),
		createAgentToken: ({ body }) => calls.createAgentToken(body as AgentTokenBody),
		revokeAgent: async ({ params }) => {
			const { agentId } = params as { agentId: string };
			const revokedAt = await options.revokeAgent(agentId);
			return { agentId, revokedAt: revokedAt.toISOString() };
		},
		revokeAgentToken: async ({ params }) => {
			const { tokenId } = params as { tokenId: string };
			const revokedAt = await options.revokeSignIn(tokenId);
			return { tokenId, revokedAt: revokedAt.toISOString() };
		},
		getOutcomeKey: () => options.outcomeKey,
	};

	const router = express.Router();
	router.use(identifyApiKey(options.apiKeys), hostRateLimit(options.rateLimit));
	const parseJson = express.json({ limit: options.bodyLimitBytes, strict: true });
	// The key is checked before the body is read: a caller without one gets 401 for the price of a
	// header comparison, and learns nothing from how its body would have been parsed.
	const authenticate = (request: Request, response: Response, next: NextFunction) => {
		if (apiKeyOf(response)) return next();
		response.setHeader('WWW-Authenticate', 'Bearer');
		// The unread body is not worth keeping the connection for.
		if (hasBody(request)) response.setHeader('Connection', 'close');
		next(AppError.unauthenticated('a valid API key is required in Authorization: Bearer <key>'));
	};
	for (const [name, endpoint] of Object.entries(HOST_API_ENDPOINTS) as [EndpointName, Endpoint][]) {
		const handler = handlers[name];
		const before = endpoint.authenticated ? [authenticate, parseJson] : [parseJson];
		router[endpoint.method](endpoint.path, ...before, async (request: Request, response: Response) => {
			const input: Parsed = {
				params: parse(endpoint.params, request.params, 'path'),
				query: parse(endpoint.query, request.query, 'query'),
				body: parse(endpoint.body, request.body, 'body'),
			};
			const answer = await handler(input);
			response.status(endpoint.status).json(answer);
		});
	}
	router.use(createErasureApi({ erase: options.erasePersonalData }));
	router.use((request: Request) => {
		throw AppError.notFound(`no endpoint ${request.method} ${request.baseUrl}${request.path}`);
	});
	router.use(errorHandler(options.logger, 'host API', options.countError));
	return router;
}

function hasBody(request: Request): boolean {
	const length = request.get('content-length');
	return request.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

function parse(schema: z.ZodType | undefined, value: unknown, what: string): unknown {
	if (!schema) return undefined;
	const parsed = schema.safeParse(value ?? {});
	if (!parsed.success) throw AppError.fromZod(parsed.error, what);
	return parsed.data;
}

/**
 * body-parser marks its refusals with a type, and the router a path it cannot decode with a URIError;
 * both are the client's fault. Everything else is either an AppError or a bug.
 */
export function errorHandler(logger: Logger, api = 'host API', countError?: (code: ErrorCode) => void): ErrorRequestHandler {
	return (error: unknown, request: Request, response: Response, _next: NextFunction) => {
		const type = (error as { type?: unknown } | null)?.type;
		let mapped: unknown = error;
		if (type === 'entity.too.large') {
			mapped = new AppError('PAYLOAD_TOO_LARGE', 'the request body is too large');
		} else if (type === 'entity.parse.failed') {
			mapped = AppError.invalidPayload('the request body is not valid JSON');
		} else if (typeof type === 'string' && (type.startsWith('entity.') || type.endsWith('.unsupported'))) {
			mapped = AppError.invalidPayload('the request body could not be read');
		} else if (error instanceof URIError) {
			mapped = AppError.invalidPayload('the path is not valid percent-encoding');
		} else if (!(error instanceof AppError)) {
			logger.error({ err: error, method: request.method, path: request.path }, `${api} request failed`);
		}
		const wire = toWireError(mapped);
		countError?.(wire.code);
		response.status(mapped instanceof AppError ? mapped.status : 500).json({ error: wire });
	};
}
