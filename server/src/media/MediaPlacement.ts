// Which server process serves each call's media. A call's mediasoup router lives in one process (the
// first one asked for it), recorded in the live state as the call's owner: its process id and public
// URL. A participant connected to another process is sent there (getMediaEndpoint); with one process
// (the embedded store) the owner is always this one. Each process beats a heartbeat carrying its URL;
// an owner whose heartbeat is gone (killed) is replaced by the next process asked, with compare-and-set.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { LiveState } from '../store/LiveState.ts';

export type MediaPlacementOptions = {
	live: LiveState;
	/** This process's public base URL, as participants' browsers reach it. */
	publicUrl: () => string;
	logger: Logger;
	/** How long an owner may go without a heartbeat before another process takes its calls. Default 10 s. */
	ownerTtlMs?: number;
};

type Owner = { processId: string; url: string };

const KEY = {
	owner: (verificationId: string) => `call-media:${verificationId}`,
	heartbeat: (processId: string) => `media-process:${processId}`,
	/** Every process's public origin, scored by its latest heartbeat: how the processes find each other. */
	origins: 'media-origins',
} as const;

/** An origin not heard from for this many heartbeat periods is forgotten. */
const FORGET_AFTER_TTLS = 10;

/** Compare-and-set rounds before giving up on a call whose owner keeps changing under us. */
const ATTEMPTS = 4;

export class MediaPlacement {
	readonly processId = randomUUID();
	readonly #live: LiveState;
	readonly #publicUrl: () => string;
	readonly #logger: Logger;
	readonly #ttlMs: number;
	readonly #timer: NodeJS.Timeout;
	/** The first heartbeat goes out before this process names itself the owner of anything. */
	#announced = false;
	#peerOrigins: readonly string[] = [];
	/** Until this process listens, its public URL is not known for sure: its origin is not published. */
	#listening = false;

	constructor(options: MediaPlacementOptions) {
		this.#live = options.live;
		this.#publicUrl = options.publicUrl;
		this.#logger = options.logger.child({ component: 'mediaPlacement' });
		this.#ttlMs = options.ownerTtlMs ?? 10_000;
		this.#timer = setInterval(() => {
			this.#beat().catch((error: unknown) => this.#logger.debug({ err: error }, 'media heartbeat failed'));
		}, this.#ttlMs / 4);
		this.#timer.unref();
	}

	/**
	 * Called once this process listens at its public URL: from then on the others know its origin, and
	 * it knows theirs at once (a page it serves now may be sent to any of them for a call's media).
	 */
	async announce(): Promise<void> {
		this.#listening = true;
		await this.#beat();
	}

	/**
	 * The public origins of the other live processes of the deployment, as of the latest heartbeat: a
	 * participant may be sent to any of them for a call's media, so the pages this process serves must
	 * be allowed to connect there (CSP connect-src).
	 */
	get peerOrigins(): readonly string[] {
		return this.#peerOrigins;
	}

	/** The process serving this call's media: this one (taking it when nobody, or a dead process, has it) or another. */
	async ownerOf(verificationId: string): Promise<{ mine: true } | { mine: false; url: string }> {
		if (!this.#announced) {
			await this.#beat();
			this.#announced = true;
		}
		const key = KEY.owner(verificationId);
		const me: Owner = { processId: this.processId, url: this.#publicUrl() };
		for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
			const stored = await this.#live.get<Owner>(key);
			if (!stored) {
				if (await this.#live.create(key, me)) return { mine: true };
				continue;
			}
			if (stored.value.processId === this.processId) return { mine: true };
			const url = await this.#live.getExpiring(KEY.heartbeat(stored.value.processId));
			if (url !== undefined) return { mine: false, url };
			if (await this.#live.update(key, stored.version, me)) {
				this.#logger.warn(
					{ verificationId, previousOwner: stored.value.processId },
					'took over the media of a call whose process is gone',
				);
				return { mine: true };
			}
		}
		throw AppError.conflict("the call's media server changed several times at once; try again");
	}

	/** True when another live process serves this call's media; asks nothing and takes nothing over. */
	async servedElsewhere(verificationId: string): Promise<boolean> {
		const stored = await this.#live.get<Owner>(KEY.owner(verificationId));
		if (!stored || stored.value.processId === this.processId) return false;
		return (await this.#live.getExpiring(KEY.heartbeat(stored.value.processId))) !== undefined;
	}

	close(): void {
		clearInterval(this.#timer);
	}

	async #beat(): Promise<void> {
		const now = Date.now();
		const origin = new URL(this.#publicUrl()).origin;
		await this.#live.setExpiring(KEY.heartbeat(this.processId), this.#publicUrl(), this.#ttlMs);
		if (!this.#listening) return;
		await this.#live.applyEffects({ add: [{ set: KEY.origins, member: origin, score: now }] });
		const known = await this.#live.range(KEY.origins);
		const stale = known.filter((entry) => entry.score < now - FORGET_AFTER_TTLS * this.#ttlMs);
		if (stale.length > 0) await this.#live.applyEffects({ remove: stale.map(({ member }) => ({ set: KEY.origins, member })) });
		this.#peerOrigins = known
			.filter((entry) => entry.member !== origin && entry.score >= now - this.#ttlMs)
			.map((entry) => entry.member);
	}
}
