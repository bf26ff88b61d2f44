// Renders docs/protocol.md from the protocol's own sources: the zod schemas and REQUEST_ROLES in
// shared, the host API's endpoint table and the error codes. The tables below hold only prose; they
// are typed against the request, notification and error names, so a new one without its words here
// does not compile, and the test comparing the rendered text with docs/protocol.md fails when stale.
import {
	agentQueueViewSchema,
	CALL_REQUEST_ROLES,
	type CallNotificationName,
	type CallRequestName,
	callNotificationSchemas,
	callRequestSchemas,
	callResponseSchemas,
	challengeViewSchema,
	ErrorCode,
	HTTP_STATUS_OF,
	handshakeAuthSchema,
	inReviewWebhookPayloadSchema,
	interpreterViewSchema,
	MEDIA_NAMESPACE,
	outcomeSchema,
	outcomeWebhookPayloadSchema,
	PROTOCOL_VERSION,
	participantViewSchema,
	queueEntrySchema,
	queueStatusSchema,
	REQUEST_ROLES,
	REVIEW_QUEUE_LIMIT,
	REVIEW_REQUEST_ROLES,
	type ReviewNotificationName,
	type ReviewRequestName,
	reasonCodeSchema,
	recordedDecisionSchema,
	relationSchema,
	reviewNotificationSchemas,
	reviewQueueEntrySchema,
	reviewRequestSchemas,
	reviewResponseSchemas,
	SESSION_REQUEST_ROLES,
	type SessionRequestName,
	STILL_REQUEST_ROLES,
	type StillNotificationName,
	type StillRequestName,
	sessionRequestSchemas,
	sessionResponseSchemas,
	stepViewSchema,
	stillNotificationSchemas,
	stillRequestSchemas,
	stillResponseSchemas,
	VERIFICATION_NAMESPACE,
	type VerificationNotificationName,
	type VerificationRequestName,
	verificationNotificationSchemas,
	verificationRequestSchemas,
	verificationResponseSchemas,
	verificationSnapshotSchema,
	verificationStateSchema,
	verificationViewSchema,
	WEBHOOK_EVENT_TYPES,
} from '@vidverify/shared';
import { z } from 'zod';
import { API_PREFIX, type Endpoint, HOST_API_ENDPOINTS, journalRecordSchema } from '../src/http/api/endpoints.ts';
import { MAX_SOCKET_MESSAGE_BYTES } from '../src/Service.ts';
import { SIGNATURE_HEADER } from '../src/webhooks/signature.ts';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER } from '../src/webhooks/webhookAttempt.ts';

const REQUEST_SUMMARIES = {
	consent: 'Accepts the consent text of the given version and joins the waiting queue (`created` → `waiting`).',
	cancel: 'Gives up before an agent took the call (→ `abandoned`).',
	leave: 'Leaves the call. An applicant leaving mid-call interrupts it; an interpreter just goes.',
	setAvailability: 'Marks the agent available for calls, or away.',
	getQueue: "The agent's live queue view.",
	accept:
		'Takes a waiting verification; without an id, the longest-waiting one the agent is eligible for. Atomic: of two agents accepting the same verification, one wins and the other gets `CONFLICT`.',
	promptStep:
		"Shows a step's prompt to everyone in the call (again, if already prompted). Prompting the challenge step issues a new random number: the applicant's notification holds it, the agent's answer holds the expected value.",
	markStep: "Records a step's result (passed or failed) with an optional note.",
	answerChallenge: 'Text-only mode: the applicant types the number shown; single use.',
	inviteInterpreter:
		"Asks for a one-time interpreter link (the answer carries it; so does the applicant's `interpreterInvited`).",
	removeInterpreter: 'Sends the interpreter away; its unmarked steps become not applicable.',
	declareInterpreter: 'The interpreter states their full name and relation to the applicant (recorded).',
	checkDocument:
		"Checks whether the document read on camera is tied to another user's approved verification. Only a keyed hash of the number is kept.",
	decide:
		"The call's decision: approve (every required step passed), reject (reason codes), or escalate (note required). Approve and reject are final, unless the purpose's approvals need a reviewer (APPROVALS_NEED_REVIEW); an escalation, and such an approval, end the call and put the verification `in_review`.",
	getState: "The current snapshot of the caller's verification.",
	sendChat: 'A text message to the others in the call; never stored.',
} as const satisfies Record<VerificationRequestName, string>;

const NOTIFICATION_AUDIENCES = {
	stateChanged: 'Everyone in the verification.',
	queueUpdated:
		'Each connected agent: its own view of the queue, with eligibility; at most one per QUEUE_UPDATE_INTERVAL_MS, the latest state.',
	queuePositionChanged:
		'The waiting applicant, when its position or estimated wait changed from what it last saw (queueLength alone is no news).',
	stepPrompted:
		"Everyone in the call; only the applicant's copy holds the challenge number, only the agent's the security features.",
	stepMarked: "Everyone in the call; the note only in the agent's copy.",
	challengeAnswered: 'The agent: whether the typed answer matched (never the answer).',
	checklistChanged: 'Everyone in the call, when steps join or drop out (interpreter joined or removed).',
	participantJoined: 'Everyone in the verification; `resumed` when it came back within the grace period.',
	participantLeft: 'Everyone in the verification.',
	participantReconnecting: 'Everyone in the verification, when a participant dropped and its grace period runs.',
	interpreterInvited: "Everyone in the verification; the applicant's copy carries the link to hand to the interpreter.",
	interpreterDeclared: 'Everyone in the verification.',
	interpreterRemoved: 'Everyone in the verification.',
	decided: "Everyone in the verification; the note only in the agent's copy.",
	connectionReplaced: "A participant's older connection, when a newer one of the same participant arrived; it is closed next.",
	signedOut:
		"An agent's connection whose token ran out unrefreshed or whose agent or sign-in the host revoked; it is closed next.",
	chatMessageSent: 'Everyone in the call.',
} as const satisfies Record<VerificationNotificationName, string>;

const REVIEW_REQUEST_SUMMARIES = {
	getReviewQueue: `The verifications in review, longest waiting first (at most ${REVIEW_QUEUE_LIMIT}; \`total\` counts them all).`,
	getReviewCase:
		"One verification in review with its whole recorded evidence. Refused with `reviewOwnCall` (`FORBIDDEN`) to the call's own agent.",
	decideReview:
		"The final decision of a verification in review (→ `approved` or `rejected`), by the agent's rules: an approval needs every required step passed and none failed; a rejection names reasons the record supports (failed steps, recorded checks, the quality measured when the call ended) or, for causes only a person saw, a note. Refused to the call's own agent (`reviewOwnCall`); of two reviewers deciding at once, one wins and the other gets `CONFLICT` with `alreadyReviewed`.",
} as const satisfies Record<ReviewRequestName, string>;

const REVIEW_NOTIFICATION_AUDIENCES = {
	reviewQueueChanged:
		'Every connected reviewer: a verification entered review (`entry` set) or left it with its decision (`entry` null).',
} as const satisfies Record<ReviewNotificationName, string>;

const CALL_REQUEST_SUMMARIES = {
	getMediaEndpoint:
		"Where the call's media is served: `url` null means on this connection; otherwise open the `/media` namespace at `url` with `auth: { token: ticket, protocolVersion }` and send the media requests there.",
	getMediaCapabilities: "The call router's RTP capabilities, to load the mediasoup-client Device.",
	joinMedia:
		"Creates this participant's send and receive transports (again after a reconnect: the old ones close); the answer lists consumers of what the others already send, created paused.",
	connectTransport: "Completes a transport's DTLS setup with the browser's DTLS parameters.",
	produce: 'Starts sending the camera (video) or the microphone (audio); the others get `consumerCreated`.',
	resumeConsumer: 'Starts a paused consumer once the page can show it; a video consumer also asks for a key frame.',
	restartIce: "Restarts ICE on one of the participant's transports; answers the new ICE parameters.",
	reportSendStats: 'What only the browser knows of its own camera (resolution, frame rate), for the quality panel and summary.',
	requestHighQuality: "Asks an applicant's or interpreter's camera for its sharpest picture, to read a document.",
	standBy:
		'An available agent in no call: creates its standby receive transport (on a router of its own) and an idle data channel that gets it connected; nothing is forwarded there before the agent accepts a call. A new one replaces the last; it closes when the browser lets it go.',
	connectStandby: "Connects the standby's receive transport (DTLS), with the RTP capabilities the call's consumers will use.",
	leaveStandby: 'Closes the standby (the agent is no longer available).',
} as const satisfies Record<CallRequestName, string>;

const STILL_REQUEST_SUMMARIES = {
	takeStill:
		"Asks the applicant's current connection for one photo at its camera's highest resolution; only while a face or document step is prompted, one still per call at a time (`CONFLICT` while one is on its way), and only while the applicant is connected to the same server process as the agent (`UNAVAILABLE` otherwise).",
	offerStill:
		'The photo asked for is taken: its size in bytes, its pixels and its type. The agent gets `stillOffered`; chunks follow.',
	sendStillChunk:
		"The next piece of the photo, in order from 0. Relayed to the agent's connection at once and not kept. A chunk out of order, or bytes past the size offered, drops the still (`INVALID_PAYLOAD`, both told `stillEnded`). While a still is asked of it, a connection's chunks are not counted against its request rate, up to as many as the largest still has.",
	failStill: 'The photo could not be taken (no camera, the capture failed, too large even re-encoded).',
} as const satisfies Record<StillRequestName, string>;

const STILL_NOTIFICATION_AUDIENCES = {
	stillRequested:
		"The applicant's current connection: take one photo and send it in chunks of at most `chunkBytes`, `maxBytes` in all.",
	stillOffered: 'The agent connection that asked: the size of the photo on its way and the step it was taken at.',
	stillChunkRelayed: 'The agent connection that asked: the next chunk, as the applicant sent it.',
	stillEnded:
		'The agent connection that asked and the applicant connection that sends: the still arrived whole (`delivered`) or why not (either connection closed, the call ended, a broken chunk, 60 s passed).',
} as const satisfies Record<StillNotificationName, string>;

const SESSION_REQUEST_SUMMARIES = {
	refreshToken:
		"A fresh agent token for this sign-in, to present at the next reconnect; the connection now expires with it. Refused with `signInEnded` once the sign-in's longest life (AGENT_SIGN_IN_MAX_MS) is near, and for a revoked sign-in.",
} as const satisfies Record<SessionRequestName, string>;

const CALL_NOTIFICATION_AUDIENCES = {
	consumerCreated: "The participant that receives it: someone else's camera or microphone, paused until `resumeConsumer`.",
	consumerClosed: 'The participant that received it, when the sender left or replaced its transports.',
	highQualityRequested: 'The applicant or interpreter whose picture the agent wants sharper.',
	callQualitySampled:
		"The call's agent, every few seconds: each participant's bitrate, loss, jitter, round trip, resolution, frame rate.",
	mediaRestartRequired: 'Everyone in the call, when the media server under it restarted: call `joinMedia` again.',
} as const satisfies Record<CallNotificationName, string>;

const ERROR_MEANINGS = {
	UNAUTHENTICATED: 'No valid API key or participant token (missing, malformed, expired, or already used).',
	FORBIDDEN: "The caller's role may not send this request, or may not act on this verification.",
	INVALID_PAYLOAD: 'Unknown request, or a payload or body that does not match its schema (see `fields`).',
	INVALID_STATE: "Not possible in the verification's current state (or the host's eligibility facts refuse it).",
	NOT_FOUND: 'No such verification or endpoint.',
	CONFLICT: 'Someone else got there first (e.g. another agent accepted the verification).',
	RATE_LIMITED: 'Too many requests on this connection; slow down. Continued flooding closes the connection.',
	PAYLOAD_TOO_LARGE: 'The HTTP body is over the size limit.',
	PROTOCOL_MISMATCH: 'The client speaks another protocol version; reload to get a matching client.',
	UNAVAILABLE: 'Temporarily unable to serve; try again shortly.',
	INTERNAL: 'A bug on our side; the details are in the server log, never in the answer.',
} as const satisfies Record<ErrorCode, string>;

/** Schemas referenced by name wherever they appear, and described once under "Types". */
const NAMED_TYPES: [string, z.ZodType][] = [
	['VerificationState', verificationStateSchema],
	['ReasonCode', reasonCodeSchema],
	['Relation', relationSchema],
	['StepView', stepViewSchema],
	['ParticipantView', participantViewSchema],
	['QueueStatus', queueStatusSchema],
	['QueueEntry', queueEntrySchema],
	['AgentQueueView', agentQueueViewSchema],
	['ChallengeView', challengeViewSchema],
	['ReviewQueueEntry', reviewQueueEntrySchema],
	['RecordedDecision', recordedDecisionSchema],
	['InterpreterView', interpreterViewSchema],
	['VerificationSnapshot', verificationSnapshotSchema],
	['Outcome', outcomeSchema],
	['VerificationView', verificationViewSchema],
	['JournalRecord', journalRecordSchema],
];

type JsonSchema = { [key: string]: unknown };

function registryOf(): z.core.$ZodRegistry<{ id: string }> {
	const registry = z.registry<{ id: string }>();
	for (const [id, schema] of NAMED_TYPES) registry.add(schema, { id });
	return registry;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
	return z.toJSONSchema(schema, { metadata: registryOf(), io, unrepresentable: 'any' }) as JsonSchema;
}

function namedDefinitions(): Record<string, JsonSchema> {
	const all = z.toJSONSchema(registryOf(), { io: 'output', unrepresentable: 'any', uri: (id) => `#/$defs/${id}` });
	return all.schemas as Record<string, JsonSchema>;
}

const comment = (parts: string[]) => (parts.length > 0 ? ` /* ${parts.join(', ')} */` : '');

function range(min: unknown, max: unknown, unit: string): string | undefined {
	if (min !== undefined && max !== undefined) return min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`;
	if (min !== undefined) return `at least ${min} ${unit}`;
	if (max !== undefined) return `at most ${max} ${unit}`;
	return undefined;
}

/** A TypeScript-like rendering of a JSON Schema: easier to read than the schema, with its limits as comments. */
function typeText(schema: JsonSchema, indent = ''): string {
	if (typeof schema.$ref === 'string') return schema.$ref.replace('#/$defs/', '');
	if (schema.const !== undefined) return JSON.stringify(schema.const);
	if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
	const union = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
	if (union) {
		// Multi-line members (objects) each start a line; short ones (null, literals) follow on the same line.
		return union
			.map((member) => typeText(member, indent))
			.reduce((text, member) => (member.includes('\n') ? `${text}\n${indent}| ${member}` : `${text} | ${member}`));
	}
	// A nullable primitive (z.boolean().nullable()) is one schema with a list of types.
	if (Array.isArray(schema.type)) return schema.type.map((type) => typeText({ ...schema, type }, indent)).join(' | ');
	switch (schema.type) {
		case 'object':
			return objectText(schema, indent);
		case 'array': {
			const items = typeText((schema.items as JsonSchema | undefined) ?? {}, indent);
			const limits = range(schema.minItems, schema.maxItems, 'items');
			return `${items.includes(' | ') && !items.includes('\n') ? `(${items})` : items}[]${comment(limits ? [limits] : [])}`;
		}
		case 'string': {
			const notes: string[] = [];
			if (typeof schema.format === 'string') notes.push(schema.format === 'date-time' ? 'ISO-8601 time' : schema.format);
			const length = range(schema.minLength, schema.maxLength, 'chars');
			if (length) notes.push(length);
			if (typeof schema.pattern === 'string' && schema.format === undefined) notes.push(`/${schema.pattern}/`);
			return `string${comment(notes)}`;
		}
		case 'integer':
		case 'number': {
			const notes: string[] = [];
			if (schema.exclusiveMinimum !== undefined) notes.push(`> ${schema.exclusiveMinimum}`);
			// zod states the safe-integer range on every integer; only real limits are worth a note.
			if (schema.minimum !== undefined && schema.minimum !== Number.MIN_SAFE_INTEGER) notes.push(`≥ ${schema.minimum}`);
			if (schema.maximum !== undefined && schema.maximum !== Number.MAX_SAFE_INTEGER) notes.push(`≤ ${schema.maximum}`);
			return `${schema.type}${comment(notes)}`;
		}
		case 'boolean':
		case 'null':
			return schema.type;
		default:
			return 'unknown';
	}
}

function objectText(schema: JsonSchema, indent: string): string {
	const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
	const required = new Set((schema.required ?? []) as string[]);
	const names = Object.keys(properties);
	if (names.length === 0) {
		const values = schema.additionalProperties;
		return typeof values === 'object' && values !== null ? `Record<string, ${typeText(values as JsonSchema, indent)}>` : '{}';
	}
	const inner = `${indent}  `;
	const lines = names.map((name) => {
		const property = properties[name] as JsonSchema;
		return `${inner}${name}${required.has(name) ? '' : '?'}: ${typeText(property, inner)};`;
	});
	return `{\n${lines.join('\n')}\n${indent}}`;
}

function block(schema: z.ZodType, io: 'input' | 'output'): string {
	return ['```ts', typeText(jsonSchema(schema, io)), '```'].join('\n');
}

type RequestGroup = {
	title: string;
	intro: string;
	schemas: Record<string, z.ZodType>;
	responses: Record<string, z.ZodType>;
	roles: Record<string, readonly string[]>;
	summaries: Record<string, string>;
};

const REQUEST_GROUPS: RequestGroup[] = [
	{
		title: 'Requests',
		intro: 'The verification itself: consent, queue, checklist, interpreter, decision.',
		schemas: verificationRequestSchemas,
		responses: verificationResponseSchemas,
		roles: REQUEST_ROLES,
		summaries: REQUEST_SUMMARIES,
	},
	{
		title: 'Review requests',
		intro:
			'Four-eyes review, by agents whose token has the `review` permission (POST /agent-tokens with `permissions: ["review"]`; others are refused with `notAReviewer`). A reviewer decides a verification in review from its recorded evidence alone, and never one whose call it took as the agent.',
		schemas: reviewRequestSchemas,
		responses: reviewResponseSchemas,
		roles: REVIEW_REQUEST_ROLES,
		summaries: REVIEW_REQUEST_SUMMARIES,
	},
	{
		title: 'Call media requests',
		intro:
			"The call's audio and video (mediasoup). Only participants of a verification in `in_call` may join its media, and its applicant while `waiting` (pre-connected: its producers stay paused and nothing is forwarded to anyone until the call begins); every other media request needs `joinMedia` first. An available agent in no call may prepare its receive path (`standBy`): the call it accepts next sends the applicant's media there, and its `joinMedia` answers with that transport and its consumers.",
		schemas: callRequestSchemas,
		responses: callResponseSchemas,
		roles: CALL_REQUEST_ROLES,
		summaries: CALL_REQUEST_SUMMARIES,
	},
	{
		title: 'Still requests',
		intro:
			"The agent's full-resolution still of the applicant's camera, sent in chunks through the server (a message is capped at 64 KiB) to the agent's connection only, in memory: the server keeps none of it, on disk, in a log, the journal or Redis.",
		schemas: stillRequestSchemas,
		responses: stillResponseSchemas,
		roles: STILL_REQUEST_ROLES,
		summaries: STILL_REQUEST_SUMMARIES,
	},
	{
		title: 'Sign-in requests',
		intro: "The connection's own sign-in, answered by the signalling layer rather than the verification.",
		schemas: sessionRequestSchemas,
		responses: sessionResponseSchemas,
		roles: SESSION_REQUEST_ROLES,
		summaries: SESSION_REQUEST_SUMMARIES,
	},
];

function requestsSection(group: RequestGroup): string[] {
	const names = Object.keys(group.schemas);
	const lines = [`## ${group.title}`, '', group.intro, '', '| Request | Who may send it |', '| --- | --- |'];
	for (const name of names) lines.push(`| [\`${name}\`](#${name.toLowerCase()}) | ${(group.roles[name] ?? []).join(', ')} |`);
	for (const name of names) {
		lines.push(
			'',
			`### \`${name}\``,
			'',
			group.summaries[name] ?? '',
			'',
			`Who may send it: ${(group.roles[name] ?? []).map((role) => `\`${role}\``).join(', ')}.`,
			'',
			'Payload:',
			'',
			block(group.schemas[name] as z.ZodType, 'input'),
			'',
			'Answer `data`:',
			'',
			block(group.responses[name] as z.ZodType, 'output'),
		);
	}
	return lines;
}

function notificationsSection(): string[] {
	const lines = ['## Notifications', '', 'Sent by the server, named in the past tense; never acknowledged.'];
	const groups: [Record<string, z.ZodType>, Record<string, string>][] = [
		[verificationNotificationSchemas, NOTIFICATION_AUDIENCES],
		[reviewNotificationSchemas, REVIEW_NOTIFICATION_AUDIENCES],
		[callNotificationSchemas, CALL_NOTIFICATION_AUDIENCES],
		[stillNotificationSchemas, STILL_NOTIFICATION_AUDIENCES],
	];
	for (const [schemas, audiences] of groups) {
		for (const name of Object.keys(schemas)) {
			lines.push('', `### \`${name}\``, '', `To: ${audiences[name]}`, '', block(schemas[name] as z.ZodType, 'output'));
		}
	}
	return lines;
}

function typesSection(): string[] {
	const lines = ['## Types', '', 'Named shapes used above (as sent by the server).'];
	for (const [name, definition] of Object.entries(namedDefinitions())) {
		lines.push('', `### ${name}`, '', '```ts', typeText(definition), '```');
	}
	return lines;
}

function endpointSection(endpoint: Endpoint): string[] {
	const lines = [
		'',
		`### \`${endpoint.method.toUpperCase()} ${API_PREFIX}${endpoint.path}\``,
		'',
		endpoint.summary,
		'',
		endpoint.authenticated ? 'Needs `Authorization: Bearer <API key>`.' : 'Public: no API key.',
	];
	for (const [label, schema] of [
		['Path parameters', endpoint.params],
		['Query', endpoint.query],
		['Body (JSON)', endpoint.body],
	] as const) {
		if (schema) lines.push('', `${label}:`, '', block(schema, 'input'));
	}
	lines.push('', `Answer \`${endpoint.status}\`:`, '', block(endpoint.answer, 'output'));
	if (endpoint.errors.length > 0) {
		const errors = endpoint.errors.map((code) => `\`${HTTP_STATUS_OF[code]} ${code}\``).join(', ');
		lines.push('', `Errors: ${errors}.`);
	}
	return lines;
}

export function renderProtocolDoc(): string {
	const lines: string[] = [
		'# vidverify protocol',
		'',
		'<!-- Generated by `node scripts/protocol-doc.ts` from the zod schemas in shared/ and the host API endpoint table; do not edit by hand. -->',
		'',
		`Protocol version: **${PROTOCOL_VERSION}**. Types below are written TypeScript-style; \`/* … */\` notes the limits the server enforces.`,
		'',
		'## Errors',
		'',
		'Socket answers carry errors as `{ ok: false, error: { code, message, fields? } }`; HTTP answers as `{ error: { code, message, fields? } }` with the status below. `fields` lists `{ path, message }` for payloads that do not match their schema. Messages are for people; match on `code`.',
		'',
		'| Code | HTTP status | Meaning |',
		'| --- | --- | --- |',
		...(Object.values(ErrorCode) as ErrorCode[]).map(
			(code) => `| \`${code}\` | ${HTTP_STATUS_OF[code]} | ${ERROR_MEANINGS[code]} |`,
		),
		'',
		'## Signalling (socket.io)',
		'',
		`Namespace \`${VERIFICATION_NAMESPACE}\`. Every request is an event with one payload object and an acknowledgement callback, answered \`{ ok: true, data }\` or \`{ ok: false, error }\`.`,
		'',
		'### Handshake',
		'',
		'The client puts its participant token and the protocol version it speaks in the socket.io handshake `auth`:',
		'',
		block(handshakeAuthSchema, 'input'),
		'',
		'Before any request handler runs, the server refuses the connection with a `connect_error` whose `data` is `{ code, message }`:',
		'',
		`- \`PROTOCOL_MISMATCH\` when \`protocolVersion\` is not ${PROTOCOL_VERSION};`,
		'- `UNAUTHENTICATED` when the token is missing, not signed by this service, or expired;',
		"- the domain's refusal (e.g. `CONFLICT` or `UNAUTHENTICATED`) when the token is valid but cannot join: a second use of an interpreter invitation, a verification that has ended.",
		'',
		"Tokens are HS256 JWTs issued by this service: `role` (`applicant`, `agent`, `interpreter`), `vid` (the verification; not in agent tokens), `pid` (the participant), `jti`, `exp`; agent tokens add the agent's profile. Applicants and interpreters get theirs in a link (`/join#<token>`), agents from the host (`/agent#<token>`); the token sits in the URL fragment, which browsers never send to a server.",
		'',
		"A newer connection of the same participant replaces an older one. When a connection drops, the participant's grace period (`GRACE_PERIOD_MS`) starts; reconnecting with the same token within it resumes its place.",
		'',
		`With several server processes (Redis mode) a call's media is served by one of them. \`getMediaEndpoint\` names it: when its \`url\` is not null, the client opens namespace \`${MEDIA_NAMESPACE}\` at that URL with \`auth: { token: <ticket>, protocolVersion }\` and sends the call media requests (\`getMediaCapabilities\` … \`reportSendStats\`) there; the call notifications arrive on that connection too. The ticket is a JWT for the audience \`vidverify:media\`, valid for two minutes at the handshake; a refused or lost media connection is followed by a new \`getMediaEndpoint\`. Verification requests always go to \`${VERIFICATION_NAMESPACE}\`.`,
		'',
		'### Every request, in this order',
		'',
		'1. Rate limit per connection (token bucket: `SOCKET_RATE_PER_SECOND`, burst `SOCKET_RATE_BURST`): over it, `RATE_LIMITED`; after `SOCKET_FLOOD_DISCONNECT_AFTER` refusals in a row the server closes the connection.',
		'2. Unknown event name: `INVALID_PAYLOAD`.',
		"3. The sender's role is not allowed to send it (table below): `FORBIDDEN`, before the payload is looked at.",
		'4. The payload does not match its schema: `INVALID_PAYLOAD` with `fields`.',
		'5. The domain: `INVALID_STATE`, `NOT_FOUND`, `CONFLICT`, `FORBIDDEN` (e.g. an agent acting on a verification it is not assigned to).',
		'',
		`A message over ${MAX_SOCKET_MESSAGE_BYTES / 1024} KiB is not answered: the server drops the connection (the client sees a \`transport close\` or \`transport error\` disconnect).`,
		'',
		...REQUEST_GROUPS.flatMap((group) => ['', ...requestsSection(group)]),
		'',
		...notificationsSection(),
		'',
		'## Host API (HTTP)',
		'',
		`Under \`${API_PREFIX}\`, JSON in and out. Bodies are limited to \`HTTP_BODY_LIMIT_BYTES\`; CORS headers are sent only to the origins in \`CORS_ORIGINS\`. Any endpoint may also answer \`500 INTERNAL\`; an unknown path answers \`404 NOT_FOUND\`.`,
		...Object.values(HOST_API_ENDPOINTS).flatMap((endpoint) => endpointSection(endpoint)),
		'',
		'## Webhooks',
		'',
		'When a verification enters review (`verification.in_review`) and on every final state (approved, rejected, abandoned, interrupted, expired; `escalated` in records from before review) the server POSTs one event to `WEBHOOK_URL`, from a durable outbox: retried with exponential backoff and jitter until a 2xx answer, across restarts. Delivery is at least once and not ordered: deduplicate on the event id, and take `verification.decided` as final even if `verification.in_review` arrives after it. The verifications awaiting a reviewer are listed with `GET /api/v1/verifications?state=in_review`.',
		'',
		`- \`${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex>\`: HMAC-SHA256 with \`WEBHOOK_SECRET\` over \`<t>.<raw body>\`. Check it on the raw bytes before parsing, and refuse a \`t\` far from now.`,
		`- \`${EVENT_ID_HEADER}\`: the event id (also in the body); \`${EVENT_TYPE_HEADER}\`: the event type.`,
		'',
		'Body:',
		'',
		block(
			z.strictObject({
				eventId: z.string(),
				type: z.enum(WEBHOOK_EVENT_TYPES),
				verificationId: z.string(),
				occurredAt: z.iso.datetime({ offset: true }),
				/** `verification.in_review`: the first; every final event: the second. */
				payload: z.union([inReviewWebhookPayloadSchema, outcomeWebhookPayloadSchema]),
			}),
			'output',
		),
		'',
		`\`signedOutcome\` is a compact JWS (ES256) whose payload is \`{ outcome, events: { count, hash }, iss: "vidverify", sub: <verification id>, iat }\`, \`events\` being the count and digest of the verification's events before the outcome (docs/audit.md); verify it with the key from \`GET ${API_PREFIX}/outcome-key\` (match \`kid\`), and keep it: \`GET ${API_PREFIX}/verifications/:id/bundle\` proves the whole record against it.`,
		'',
		...typesSection(),
		'',
	];
	return lines.join('\n');
}
