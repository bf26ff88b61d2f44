// Who may use the connection check, which needs no token: caps on connections and on running checks,
// for the whole process and per client address, and a bucket of new connections per address, so a
// client dropped for flooding cannot come straight back. Each admission hands back its release,
// which is safe to call more than once.
import { ErrorCode } from '@vidverify/shared';
import { AppError } from '../errors.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';

export type SelfCheckLimits = {
	/** Checks running at once in this process (each holds a router and two transports). */
	maxChecks: number;
	maxChecksPerAddress: number;
	/** Connections to the check's namespace at once, checking or not. */
	maxConnections: number;
	maxConnectionsPerAddress: number;
	/** New connections per address: a steady rate and a burst. */
	connectRatePerSecond: number;
	connectBurst: number;
	/** Requests per connection: a steady rate, a burst, and refusals in a row before it is dropped. */
	requestRatePerSecond: number;
	requestBurst: number;
	disconnectAfter: number;
	/** A connection with no request and no media arriving for this long is closed. */
	idleMs: number;
	/** No check runs longer than this, busy or not. */
	maxDurationMs: number;
};

export const DEFAULT_SELF_CHECK_LIMITS: SelfCheckLimits = {
	maxChecks: 8,
	// A household or an office behind one address may check two devices at once.
	maxChecksPerAddress: 2,
	maxConnections: 64,
	maxConnectionsPerAddress: 4,
	connectRatePerSecond: 0.5,
	connectBurst: 10,
	// A check is about nine requests, most of them in its first second.
	requestRatePerSecond: 10,
	requestBurst: 20,
	disconnectAfter: 10,
	idleMs: 15_000,
	maxDurationMs: 5 * 60_000,
};

export type Release = () => void;

/** Below this many addresses remembered, none is forgotten; the looking is not worth it. */
const FORGET_FROM_ADDRESSES = 1_000;
/** More addresses than this active at once is an attack from many addresses: new ones wait. */
const MAX_ADDRESSES = 10_000;

type Address = { connections: number; checks: number; connecting: TokenBucket; usedAt: number };

export class SelfCheckAdmission {
	readonly #limits: SelfCheckLimits;
	readonly #now: () => number;
	readonly #addresses = new Map<string, Address>();
	#connections = 0;
	#checks = 0;

	constructor(limits: SelfCheckLimits, now: () => number = () => performance.now()) {
		this.#limits = limits;
		this.#now = now;
	}

	/** Admits a new connection from this address, or throws UNAVAILABLE / RATE_LIMITED. */
	connect(address: string): Release {
		if (this.#connections >= this.#limits.maxConnections) {
			throw AppError.unavailable('too many connection checks right now; try again shortly', 'tooManyChecks');
		}
		const entry = this.#entry(address);
		if (entry.connections >= this.#limits.maxConnectionsPerAddress) {
			throw new AppError(ErrorCode.RATE_LIMITED, 'too many connection checks open from your address', {
				reason: 'tooManyChecks',
			});
		}
		if (!entry.connecting.take()) throw AppError.rateLimited('connecting too often; wait a little');
		entry.connections += 1;
		this.#connections += 1;
		return this.#once(() => {
			entry.connections -= 1;
			this.#connections -= 1;
			entry.usedAt = this.#now();
		});
	}

	/** Admits a new check from this address, or throws UNAVAILABLE / RATE_LIMITED. */
	start(address: string): Release {
		if (this.#checks >= this.#limits.maxChecks) {
			throw AppError.unavailable('too many connection checks running; try again shortly', 'tooManyChecks');
		}
		const entry = this.#entry(address);
		if (entry.checks >= this.#limits.maxChecksPerAddress) {
			throw new AppError(ErrorCode.RATE_LIMITED, 'too many connection checks running from your address', {
				reason: 'tooManyChecks',
			});
		}
		entry.checks += 1;
		this.#checks += 1;
		return this.#once(() => {
			entry.checks -= 1;
			this.#checks -= 1;
			entry.usedAt = this.#now();
		});
	}

	#entry(address: string): Address {
		const now = this.#now();
		let entry = this.#addresses.get(address);
		if (!entry) {
			if (this.#addresses.size >= FORGET_FROM_ADDRESSES) this.#forgetQuietAddresses(now);
			if (this.#addresses.size >= MAX_ADDRESSES) {
				throw AppError.unavailable('too many connection checks right now; try again shortly', 'tooManyChecks');
			}
			entry = {
				connections: 0,
				checks: 0,
				connecting: new TokenBucket(this.#limits.connectRatePerSecond, this.#limits.connectBurst, this.#now),
				usedAt: now,
			};
			this.#addresses.set(address, entry);
		}
		entry.usedAt = now;
		return entry;
	}

	/**
	 * An address with nothing open whose bucket has had time to fill again is forgotten: it would
	 * start afresh anyway. So the map holds the addresses in use and the recently used ones.
	 */
	#forgetQuietAddresses(now: number): void {
		const refillMs = (this.#limits.connectBurst / this.#limits.connectRatePerSecond) * 1000;
		for (const [address, entry] of this.#addresses) {
			if (entry.connections === 0 && entry.checks === 0 && now - entry.usedAt >= refillMs) this.#addresses.delete(address);
		}
	}

	#once(release: () => void): Release {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			release();
		};
	}
}
