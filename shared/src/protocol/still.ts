// The agent's full-resolution still of the applicant's camera, served on the verification namespace.
// The agent asks for one (takeStill) during a face or document step; the server passes the request to
// the applicant's current connection only; the applicant's browser takes one photo at the camera's
// highest resolution, announces its size (offerStill) and sends it in chunks (sendStillChunk), each of
// which the server hands to the agent's connection as it arrives and forgets. A signalling message is
// capped at 64 KiB, hence the chunks. Nothing of the picture is kept by the server: not in memory past
// one chunk, not on disk, not in a log, the journal or Redis; the agent's browser shows it from memory
// and drops it when dismissed or when the call ends.
import { z } from 'zod';
import { STEP_IDS, type StepId } from '../catalogue/checklists.ts';
import { id } from './media.ts';
import type { RequestEvents } from './requests.ts';
import type { Role } from './verification.ts';

/** The steps in which the agent may take a still: the face and the document held to the camera. */
export const STILL_STEP_IDS = [
	'face',
	'document_front',
	'document_back',
	'security_features',
] as const satisfies readonly StepId[];

export function mayTakeStillAt(stepId: StepId | null): boolean {
	return stepId !== null && (STILL_STEP_IDS as readonly StepId[]).includes(stepId);
}

/** The largest still the server relays: a phone's 12 MP JPEG fits; anything larger is re-encoded or refused. */
export const STILL_MAX_BYTES = 8 * 1024 * 1024;
/** Bytes of picture per chunk; as base64 with its envelope it stays well under the 64 KiB message cap. */
export const STILL_CHUNK_BYTES = 32 * 1024;
/** How long a still may take from the agent's request to its last chunk before the server gives up on it. */
export const STILL_TRANSFER_MS = 60_000;

const STILL_CHUNK_CHARACTERS = Math.ceil(STILL_CHUNK_BYTES / 3) * 4;

/** Why a still did not arrive: the applicant's browser could not take it, or the call changed under it. */
export const STILL_FAILURES = [
	'camera_unavailable',
	'capture_failed',
	'too_large',
	'applicant_left',
	'agent_left',
	'call_ended',
	'transfer_broken',
	'timed_out',
] as const;
export type StillFailure = (typeof STILL_FAILURES)[number];

/** What the applicant's browser may say it could not do. */
export const STILL_CAPTURE_FAILURES = [
	'camera_unavailable',
	'capture_failed',
	'too_large',
] as const satisfies readonly StillFailure[];

const stillId = id;
const chunkData = z
	.base64()
	.min(4)
	.max(STILL_CHUNK_CHARACTERS)
	.describe(`base64 of at most ${STILL_CHUNK_BYTES} bytes of the image`);
/** JPEG as phones' cameras take it; PNG where the browser's photo is lossless and small enough. */
export const STILL_MEDIA_TYPES = ['image/jpeg', 'image/png'] as const;
export type StillMediaType = (typeof STILL_MEDIA_TYPES)[number];
const stillMediaType = z.enum(STILL_MEDIA_TYPES);
const dimension = z.number().int().min(1).max(20_000);

export const stillRequestSchemas = {
	/** Agent: asks the applicant's camera for one full-resolution photo. */
	takeStill: z.strictObject({}),
	/** Applicant: the photo asked for is taken; this is its size. Chunks follow. */
	offerStill: z.strictObject({
		stillId,
		bytes: z.number().int().min(1).max(STILL_MAX_BYTES),
		width: dimension,
		height: dimension,
		mediaType: stillMediaType,
	}),
	/** Applicant: the next piece of the photo, in order from index 0. */
	sendStillChunk: z.strictObject({ stillId, index: z.number().int().min(0).max(STILL_MAX_BYTES), data: chunkData }),
	/** Applicant: the photo could not be taken. */
	failStill: z.strictObject({ stillId, reason: z.enum(STILL_CAPTURE_FAILURES) }),
};
export type StillRequestName = keyof typeof stillRequestSchemas;

const empty = z.strictObject({});

export const stillResponseSchemas = {
	takeStill: z.strictObject({ stillId }),
	offerStill: empty,
	/** How many bytes of the photo have reached the agent's connection so far. */
	sendStillChunk: z.strictObject({ received: z.number().int().nonnegative() }),
	failStill: empty,
} satisfies Record<StillRequestName, z.ZodType>;
export type StillResponses = { [K in StillRequestName]: z.infer<(typeof stillResponseSchemas)[K]> };

export const STILL_REQUEST_ROLES = {
	takeStill: ['agent'],
	offerStill: ['applicant'],
	sendStillChunk: ['applicant'],
	failStill: ['applicant'],
} as const satisfies Record<StillRequestName, readonly Role[]>;

export const stillNotificationSchemas = {
	/** To the applicant's current connection: take one photo and send it. */
	stillRequested: z.strictObject({ stillId, maxBytes: z.number().int().positive(), chunkBytes: z.number().int().positive() }),
	/** To the agent's connection that asked: the photo's size; its chunks follow. */
	stillOffered: z.strictObject({
		stillId,
		stepId: z.enum(STEP_IDS),
		bytes: z.number().int().positive(),
		width: dimension,
		height: dimension,
		mediaType: stillMediaType,
	}),
	/** To the agent's connection that asked: the next piece of the photo, as the applicant sent it. */
	stillChunkRelayed: z.strictObject({ stillId, index: z.number().int().nonnegative(), data: chunkData }),
	/** To both: the still is over, delivered whole or not. */
	stillEnded: z.strictObject({
		stillId,
		outcome: z.enum(['delivered', 'failed']),
		reason: z.enum(STILL_FAILURES).nullable(),
	}),
};
export type StillNotificationName = keyof typeof stillNotificationSchemas;
export type StillNotifications = { [K in StillNotificationName]: z.infer<(typeof stillNotificationSchemas)[K]> };

export type StillClientToServerEvents = RequestEvents<typeof stillRequestSchemas, StillResponses>;
export type StillServerToClientEvents = { [K in StillNotificationName]: (payload: StillNotifications[K]) => void };
