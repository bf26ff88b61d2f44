// Several processes sharing one live state (Redis) record each connection under the process that
// holds it, and each process keeps itself known with a heartbeat. When a process stops beating (it was
// killed), another one ends its connections as if they had dropped, so their grace periods start; a
// process that finds itself taken for dead (it stalled past the TTL) starts again under a new id and has
// its sockets reconnect.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { LiveState, SortedSetEffects } from '../store/LiveState.ts';
import type { Actor } from './types.ts';

/** A connection as recorded under the process that holds it; handed back when it ends. */
export type ConnectionRef = { processId: string; member: string };

type ProcessRecord = { registeredAt: string; reaped: boolean };

const KEY = {
	/** Processes that record connections, scored by when they registered. */
	processes: 'processes',
	process: (processId: string) => `process:${processId}`,
	/** A process's heartbeat: gone when it has not beaten for the TTL. */
	alive: (processId: string) => `alive:${processId}`,
	reaping: (processId: string) => `reaping:${processId}`,
	/** The connections a process holds: `<connectionId>|<actor JSON>`. */
	connections: (processId: string) => `connections:${processId}`,
} as const;

/** How long one process may take to end a dead process's connections before another may try. */
const REAPING_CLAIM_MS = 30_000;

export type ProcessRegistryOptions = {
	live: LiveState;
	logger: Logger;
	clock: () => Date;
	/** Whether connections are tracked at all (only when processes share the live state). */
	enabled: boolean;
	ttlMs: number;
	/** Ends one connection of a dead process as if it had dropped. */
	endConnection: (actor: Actor, connection: ConnectionRef) => Promise<void>;
	/** This process was taken for dead: its sockets must reconnect. */
	onEvicted: () => void;
};

export class ProcessRegistry {
	readonly #live: LiveState;
	readonly #logger: Logger;
	readonly #clock: () => Date;
	readonly #options: ProcessRegistryOptions;
	#processId = randomUUID();
	#registered = false;
	#heartbeat: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(options: ProcessRegistryOptions) {
		this.#live = options.live;
		this.#logger = options.logger;
		this.#clock = options.clock;
		this.#options = options;
	}

	get enabled(): boolean {
		return this.#options.enabled;
	}

	/** Under which this process records its connections; a new one after an eviction. */
	get processId(): string {
		return this.#processId;
	}

	/** The record of a new connection, when connections are tracked. */
	connectionRef(actor: Actor, connectionId: string | undefined): ConnectionRef | undefined {
		if (!this.enabled || connectionId === undefined) return undefined;
		return { processId: this.#processId, member: `${connectionId}|${JSON.stringify(actor)}` };
	}

	/** The side effects that record (add) or forget (remove) a connection in the same write as its presence. */
	effects(kind: 'add' | 'remove', connection: ConnectionRef | undefined): SortedSetEffects | undefined {
		if (!connection) return undefined;
		const set = KEY.connections(connection.processId);
		return kind === 'add'
			? { add: [{ set, member: connection.member, score: this.#clock().getTime() }] }
			: { remove: [{ set, member: connection.member }] };
	}

	/** False once the connection was ended already, by another process that took this one for dead. */
	async isRecorded(connection: ConnectionRef): Promise<boolean> {
		return (await this.#live.rank(KEY.connections(connection.processId), connection.member)) !== undefined;
	}

	/** Its own timer: a slow sweep (many due timers, a dead process's connections) must not look like death. */
	startHeartbeat(): void {
		if (!this.enabled || this.#heartbeat || this.#closed) return;
		this.#heartbeat = setInterval(
			() => {
				this.#live
					.setExpiring(KEY.alive(this.#processId), '1', this.#options.ttlMs)
					.catch((error: unknown) => this.#logger.debug({ err: error }, 'heartbeat failed'));
			},
			Math.min(1000, this.#options.ttlMs / 4),
		);
		this.#heartbeat.unref();
	}

	/**
	 * Keeps this process known as alive, ends the connections of processes that stopped beating, and
	 * notices when another process took this one for dead.
	 */
	async beat(): Promise<void> {
		if (!this.enabled) return;
		const now = this.#clock();
		await this.#live.setExpiring(KEY.alive(this.#processId), '1', this.#options.ttlMs);
		if (!this.#registered) {
			const record: ProcessRecord = { registeredAt: now.toISOString(), reaped: false };
			await this.#live.create(KEY.process(this.#processId), record, {
				add: [{ set: KEY.processes, member: this.#processId, score: now.getTime() }],
			});
			this.#registered = true;
		} else if ((await this.#live.get<ProcessRecord>(KEY.process(this.#processId)))?.value.reaped) {
			this.#logger.warn({ processId: this.#processId }, 'another process took this one for dead; its sockets reconnect');
			this.#processId = randomUUID();
			this.#registered = false;
			this.#options.onEvicted();
			return;
		}
		for (const { member: processId } of await this.#live.range(KEY.processes)) {
			if (processId === this.#processId || this.#closed) continue;
			if ((await this.#live.getExpiring(KEY.alive(processId))) !== undefined) continue;
			if (!(await this.#live.claimOnce(KEY.reaping(processId), REAPING_CLAIM_MS))) continue;
			await this.#reap(processId);
		}
	}

	close(): void {
		this.#closed = true;
		clearInterval(this.#heartbeat);
	}

	/** Ends every connection a dead process held, as if each had dropped, then forgets the process. */
	async #reap(processId: string): Promise<void> {
		const members = await this.#live.range(KEY.connections(processId));
		this.#logger.warn({ processId, connections: members.length }, 'a process stopped beating; ending its connections');
		for (const { member } of members) {
			const actor = JSON.parse(member.slice(member.indexOf('|') + 1)) as Actor;
			await this.#options.endConnection(actor, { processId, member });
		}
		const stored = await this.#live.get<ProcessRecord>(KEY.process(processId));
		if (stored) {
			await this.#live.update(KEY.process(processId), stored.version, { ...stored.value, reaped: true } satisfies ProcessRecord, {
				remove: [{ set: KEY.processes, member: processId }],
			});
		}
	}
}
