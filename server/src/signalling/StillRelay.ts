// Relays the agent's full-resolution still from the applicant's connection to the agent's, chunk by
// chunk, without keeping it: each chunk is checked (the transfer it belongs to, its order, the bytes so
// far against the size announced) and emitted to the agent's socket at once; what stays in memory is
// the transfer's bookkeeping, never its bytes. One still per call at a time, between the two sockets
// that were connected when the agent asked: a reconnect of either ends it, as does the call ending or
// STILL_TRANSFER_MS passing. Nothing of it is journalled or logged beyond refusals' codes.
//
// Both sockets must be on this process: the chunks are emitted to the agent's socket directly, never
// through the adapter (in Redis mode, room broadcasts pass through Redis pub/sub).
import { randomUUID } from 'node:crypto';
import {
	mayTakeStillAt,
	STILL_CHUNK_BYTES,
	STILL_MAX_BYTES,
	STILL_TRANSFER_MS,
	type StepId,
	type StillFailure,
	type StillMediaType,
	type StillNotificationName,
	type StillNotifications,
	type stillRequestSchemas,
} from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Actor } from '../sessions/types.ts';
import type { VerificationService } from '../sessions/VerificationService.ts';
import type { RequestHandlers } from './dispatch.ts';

/** The little of a socket the relay needs: to tell it something. */
export type StillPeer = {
	id: string;
	emit: <N extends StillNotificationName>(name: N, payload: StillNotifications[N]) => unknown;
};

export type StillRelayOptions = {
	service: VerificationService;
	/** The connection of this participant on this process, if it has one. */
	localSocketOf: (participantId: string) => StillPeer | undefined;
	transferMs?: number;
};

type Transfer = {
	stillId: string;
	verificationId: string;
	stepId: StepId;
	agent: StillPeer;
	applicant: StillPeer;
	offered: { bytes: number } | undefined;
	nextIndex: number;
	received: number;
	/** Chunk events this transfer let past the connection's request budget. */
	admitted: number;
	timer: NodeJS.Timeout;
};

/** Chunks a transfer may bring past the request budget: a whole still at the largest size, and one more. */
const MOST_CHUNKS = Math.ceil(STILL_MAX_BYTES / STILL_CHUNK_BYTES) + 1;

/** Bytes that a base64 string (valid, as the schema checked) stands for. */
function decodedLength(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return (data.length / 4) * 3 - padding;
}

export class StillRelay {
	readonly #options: StillRelayOptions;
	readonly #byStill = new Map<string, Transfer>();
	readonly #byVerification = new Map<string, Transfer>();

	constructor(options: StillRelayOptions) {
		this.#options = options;
	}

	/** How many stills are on their way through this process. */
	get inFlight(): number {
		return this.#byStill.size;
	}

	/**
	 * Whether a chunk from this socket may skip the connection's request budget (a still is several
	 * hundred messages): only while it sends a still, and no more chunks than the largest still has.
	 */
	admitsChunk(socketId: string): boolean {
		for (const transfer of this.#byStill.values()) {
			if (transfer.applicant.id !== socketId) continue;
			transfer.admitted += 1;
			return transfer.admitted <= MOST_CHUNKS;
		}
		return false;
	}

	handlersFor(actor: Actor, socket: StillPeer): RequestHandlers<typeof stillRequestSchemas> {
		return {
			takeStill: () => this.#take(actor, socket),
			offerStill: ({ stillId, bytes, width, height, mediaType }) => {
				const transfer = this.#transferOf(stillId, socket);
				if (transfer.offered) throw AppError.conflict('this still was offered already');
				transfer.offered = { bytes };
				transfer.agent.emit('stillOffered', {
					stillId,
					stepId: transfer.stepId,
					bytes,
					width,
					height,
					mediaType: mediaType satisfies StillMediaType,
				});
				return {};
			},
			sendStillChunk: ({ stillId, index, data }) => {
				const transfer = this.#transferOf(stillId, socket);
				if (!transfer.offered) throw AppError.invalidState('offer the still (offerStill) before its chunks');
				if (index !== transfer.nextIndex) {
					this.#end(transfer, 'transfer_broken');
					throw AppError.invalidPayload(`chunk ${index} out of order: expected ${transfer.nextIndex}; the still is dropped`);
				}
				const length = decodedLength(data);
				if (transfer.received + length > transfer.offered.bytes) {
					this.#end(transfer, 'transfer_broken');
					throw AppError.invalidPayload('more bytes than the still was offered with; the still is dropped');
				}
				transfer.agent.emit('stillChunkRelayed', { stillId, index, data });
				transfer.received += length;
				transfer.nextIndex += 1;
				const { received } = transfer;
				if (received === transfer.offered.bytes) this.#end(transfer, null);
				return { received };
			},
			failStill: ({ stillId, reason }) => {
				this.#end(this.#transferOf(stillId, socket), reason);
				return {};
			},
		};
	}

	/** A connection closed: a still it was sending or receiving is over. */
	socketGone(socketId: string): void {
		for (const transfer of [...this.#byStill.values()]) {
			if (transfer.applicant.id === socketId) this.#end(transfer, 'applicant_left');
			else if (transfer.agent.id === socketId) this.#end(transfer, 'agent_left');
		}
	}

	callEnded(verificationId: string): void {
		const transfer = this.#byVerification.get(verificationId);
		if (transfer) this.#end(transfer, 'call_ended');
	}

	close(): void {
		for (const transfer of [...this.#byStill.values()]) this.#end(transfer, 'call_ended');
	}

	async #take(actor: Actor, agent: StillPeer): Promise<{ stillId: string }> {
		// The domain answers only the agent assigned to this call (noVerificationAssigned otherwise).
		const snapshot = await this.#options.service.handle('getState', actor, {});
		if (snapshot.state !== 'in_call') throw AppError.invalidState('a still can be taken only during the call', 'callEnded');
		const stepId = snapshot.currentStepId;
		if (!mayTakeStillAt(stepId) || stepId === null) {
			throw AppError.invalidState('a still can be taken only while a face or document step is prompted');
		}
		if (this.#byVerification.has(snapshot.verificationId)) throw AppError.conflict('a still of this call is on its way already');
		const applicantId = snapshot.participants.find((participant) => participant.role === 'applicant')?.participantId;
		const applicant = applicantId ? this.#options.localSocketOf(applicantId) : undefined;
		if (!applicant) {
			throw AppError.unavailable("the applicant's connection is not on this server now; try again when it is back");
		}
		const stillId = randomUUID();
		const transfer: Transfer = {
			stillId,
			verificationId: snapshot.verificationId,
			stepId,
			agent,
			applicant,
			offered: undefined,
			nextIndex: 0,
			received: 0,
			admitted: 0,
			timer: setTimeout(() => this.#end(transfer, 'timed_out'), this.#options.transferMs ?? STILL_TRANSFER_MS),
		};
		transfer.timer.unref();
		this.#byStill.set(stillId, transfer);
		this.#byVerification.set(snapshot.verificationId, transfer);
		applicant.emit('stillRequested', { stillId, maxBytes: STILL_MAX_BYTES, chunkBytes: STILL_CHUNK_BYTES });
		return { stillId };
	}

	/** The transfer this applicant's connection is sending; any other connection learns nothing of it. */
	#transferOf(stillId: string, socket: StillPeer): Transfer {
		const transfer = this.#byStill.get(stillId);
		if (!transfer || transfer.applicant.id !== socket.id) throw AppError.notFound('no such still is asked of this connection');
		return transfer;
	}

	#end(transfer: Transfer, reason: StillFailure | null): void {
		if (this.#byStill.get(transfer.stillId) !== transfer) return;
		clearTimeout(transfer.timer);
		this.#byStill.delete(transfer.stillId);
		this.#byVerification.delete(transfer.verificationId);
		const ended = { stillId: transfer.stillId, outcome: reason ? ('failed' as const) : ('delivered' as const), reason };
		transfer.agent.emit('stillEnded', ended);
		transfer.applicant.emit('stillEnded', ended);
	}
}
