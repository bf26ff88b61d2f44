// Every live call's media, by verification id: creates a call's room when its first participant joins
// the media, samples its quality for the agent every few seconds, tells participants to rejoin when
// the worker under their call died, and ends the room when the verification ends. An ended call's
// quality summary is kept for a bounded time, for an outcome recorded late (the outcome is normally
// built from the live room, just before the final state ends it), then forgotten: memory stays flat.
import { EventEmitter } from 'node:events';
import type { CallNotificationName, CallNotifications, CallQualitySummary, IceServer } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CallRoom } from './CallRoom.ts';
import { type StandbyAnswer, StandbyReceiver } from './StandbyReceiver.ts';
import type { WebRtcListenSettings } from './transportOptions.ts';
import { type TurnSettings, turnIceServers } from './turnCredentials.ts';
import type { WorkerPool } from './WorkerPool.ts';

export type CallAudience =
	| { participantId: string }
	| { verificationId: string; roles?: ('applicant' | 'agent' | 'interpreter')[] };

export type CallNotification = {
	[N in CallNotificationName]: { audience: CallAudience; name: N; payload: CallNotifications[N] };
}[CallNotificationName];

export type CallRoomsSettings = {
	pool: WorkerPool;
	listen: WebRtcListenSettings;
	logger: Logger;
	/** How often each call's quality is sampled and sent to its agent. */
	qualitySampleMs: number;
	/**
	 * Called with a call's quality summary after each sample and when its media ends, for a process that
	 * records the outcome without serving the media (Redis mode) to read.
	 */
	publishSummary?: (verificationId: string, summary: CallQualitySummary) => void;
	/** The TURN relay handed to participants with their transports; none when undefined. */
	turn?: TurnSettings;
	/** How long an ended call's quality summary is kept; SUMMARY_RETENTION_MS unless given. */
	summaryRetentionMs?: number;
};

/**
 * Long enough for an outcome recorded after its final state (a repair sweep after a failed journal
 * write runs within seconds to minutes); a process serving other processes' calls also publishes the
 * summary to the shared store, which keeps it longer.
 */
const SUMMARY_RETENTION_MS = 10 * 60_000;

type Entry = { room: CallRoom; sampler: NodeJS.Timeout };
type KeptSummary = { summary: CallQualitySummary; expiry: NodeJS.Timeout };

export class CallRooms extends EventEmitter<{ notification: [CallNotification] }> {
	readonly #settings: CallRoomsSettings;
	readonly #entries = new Map<string, Entry>();
	readonly #creating = new Map<string, Promise<CallRoom>>();
	/** Summaries of calls that ended, each until its retention runs out. */
	readonly #summaries = new Map<string, KeptSummary>();
	/** Participants whose joinMedia is under way. */
	readonly #joining = new Set<string>();
	/** Available agents' receive paths, by participant id. */
	readonly #standbys = new Map<string, { standby: StandbyReceiver }>();
	#closed = false;

	constructor(settings: CallRoomsSettings) {
		super();
		this.#settings = settings;
	}

	/** The ICE servers (a TURN relay with a credential of its own) for one participant's transports. */
	iceServersFor(participantId: string): IceServer[] {
		return turnIceServers(this.#settings.turn, participantId);
	}

	/** The calls whose media this process serves now. */
	get live(): CallRoom[] {
		return [...this.#entries.values()].flatMap((entry) => (entry.room.closed ? [] : [entry.room]));
	}

	get(verificationId: string): CallRoom | undefined {
		const entry = this.#entries.get(verificationId);
		return entry && !entry.room.closed ? entry.room : undefined;
	}

	/** The call's room, created on first use (concurrent callers share one creation). */
	async roomFor(verificationId: string): Promise<CallRoom> {
		if (this.#closed) throw new Error('the media service is closed');
		const existing = this.get(verificationId);
		if (existing) return existing;
		let creating = this.#creating.get(verificationId);
		if (!creating) {
			creating = this.#create(verificationId).finally(() => this.#creating.delete(verificationId));
			this.#creating.set(verificationId, creating);
		}
		return creating;
	}

	/**
	 * Runs a participant's joinMedia, refusing another one of the same participant (from this or any
	 * other of its connections) until it is answered: marked before the first await, so concurrent
	 * joins cannot each build a pair of transports.
	 */
	async joinOnce<T>(participantId: string, join: () => Promise<T>): Promise<T> {
		if (this.#joining.has(participantId)) {
			throw AppError.invalidState('your joinMedia is already under way; wait for its answer');
		}
		this.#joining.add(participantId);
		try {
			return await join();
		} finally {
			this.#joining.delete(participantId);
		}
	}

	/** The verification's call began (an agent accepted): its room, if the applicant joined while waiting, forwards now. */
	callStarted(verificationId: string): void {
		this.get(verificationId)?.start();
	}

	/**
	 * An available agent's receive path, made ready before any call (one per agent: a new one replaces
	 * the last). It lives while the agent's browser keeps it connected (StandbyReceiver), until the
	 * agent leaves it (leaveStandby) or a call adopts it.
	 */
	async standBy(participantId: string): Promise<StandbyAnswer> {
		if (this.#closed) throw new Error('the media service is closed');
		this.leaveStandby(participantId);
		const standby = await StandbyReceiver.create({ ...this.#settings, participantId });
		if (this.#closed) {
			standby.close();
			throw new Error('the media service is closed');
		}
		// Two at once from one agent: the later one wins.
		this.leaveStandby(participantId);
		this.#standbys.set(participantId, { standby });
		standby.router.observer.once('close', () => {
			if (this.#standbys.get(participantId)?.standby === standby) this.#standbys.delete(participantId);
		});
		return standby.answer();
	}

	standbyOf(participantId: string): StandbyReceiver | undefined {
		const standby = this.#standbys.get(participantId)?.standby;
		return standby && !standby.closed ? standby : undefined;
	}

	/** Closes the agent's standby unless a call adopted it (that call closes it). */
	leaveStandby(participantId: string): void {
		const entry = this.#standbys.get(participantId);
		if (!entry) return;
		this.#standbys.delete(participantId);
		if (!entry.standby.adopted) entry.standby.close();
	}

	/** How many standbys are open (for tests and the operator's sizing). */
	get standbyCount(): number {
		return this.#standbys.size;
	}

	/**
	 * An agent joined a call (its accept): the call's room on this process adopts the agent's standby,
	 * which is then no longer this agent's standby. Without a room here it is closed: the agent joins
	 * the call's media the usual way.
	 */
	agentJoined(verificationId: string, participantId: string): void {
		const entry = this.#standbys.get(participantId);
		if (!entry) return;
		this.#standbys.delete(participantId);
		const room = this.get(verificationId);
		if (!room) {
			entry.standby.close();
			return;
		}
		room.adoptStandby(entry.standby).catch((error: unknown) => {
			entry.standby.close();
			if (!room.closed) this.#settings.logger.warn({ err: error, verificationId, participantId }, 'could not adopt a standby');
		});
	}

	participantLeft(verificationId: string, participantId: string): void {
		this.get(verificationId)?.leave(participantId);
	}

	/** Ends the call's media and returns its quality summary (also kept for qualitySummary). */
	end(verificationId: string): CallQualitySummary | null {
		const entry = this.#entries.get(verificationId);
		if (!entry) return this.#summaries.get(verificationId)?.summary ?? null;
		this.#entries.delete(verificationId);
		clearInterval(entry.sampler);
		const summary = entry.room.qualitySummary();
		this.#keep(verificationId, summary);
		this.#settings.publishSummary?.(verificationId, summary);
		entry.room.close();
		return summary;
	}

	/** The quality summary of a call, live or ended; null when it never had media. */
	qualitySummary(verificationId: string): CallQualitySummary | null {
		return this.#entries.get(verificationId)?.room.qualitySummary() ?? this.#summaries.get(verificationId)?.summary ?? null;
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		for (const verificationId of [...this.#entries.keys()]) this.end(verificationId);
		for (const participantId of [...this.#standbys.keys()]) this.leaveStandby(participantId);
	}

	#keep(verificationId: string, summary: CallQualitySummary): void {
		clearTimeout(this.#summaries.get(verificationId)?.expiry);
		const expiry = setTimeout(
			() => this.#summaries.delete(verificationId),
			this.#settings.summaryRetentionMs ?? SUMMARY_RETENTION_MS,
		);
		expiry.unref();
		this.#summaries.set(verificationId, { summary, expiry });
	}

	async #create(verificationId: string): Promise<CallRoom> {
		const room = await CallRoom.create({ ...this.#settings, verificationId });
		const sampler = setInterval(() => void this.#sample(room), this.#settings.qualitySampleMs);
		sampler.unref();
		this.#entries.set(verificationId, { room, sampler });
		room.on('consumerCreated', (participantId, consumer) =>
			this.emit('notification', { audience: { participantId }, name: 'consumerCreated', payload: consumer }),
		);
		room.on('consumerClosed', (participantId, consumerId) =>
			this.emit('notification', { audience: { participantId }, name: 'consumerClosed', payload: { consumerId } }),
		);
		room.on('closed', (reason) => {
			if (reason !== 'worker_died') return;
			// Keep what was measured, drop the dead room, and have everyone build new transports.
			const entry = this.#entries.get(verificationId);
			if (entry?.room === room) {
				clearInterval(entry.sampler);
				this.#entries.delete(verificationId);
				this.#keep(verificationId, room.qualitySummary());
			}
			this.#settings.logger.warn({ verificationId }, 'the media worker of a call died; participants rejoin');
			this.emit('notification', {
				audience: { verificationId },
				name: 'mediaRestartRequired',
				payload: { reason: 'media_server_restarted' },
			});
		});
		return room;
	}

	async #sample(room: CallRoom): Promise<void> {
		if (room.closed) return;
		try {
			const participants = await room.sampleQuality();
			if (participants.length === 0) return;
			this.#settings.publishSummary?.(room.verificationId, room.qualitySummary());
			this.emit('notification', {
				audience: { verificationId: room.verificationId, roles: ['agent'] },
				name: 'callQualitySampled',
				payload: { at: new Date().toISOString(), participants },
			});
		} catch (error) {
			// A transport closing while it is being sampled is normal at the end of a call.
			if (!room.closed) this.#settings.logger.warn({ err: error, verificationId: room.verificationId }, 'quality sample failed');
		}
	}
}
