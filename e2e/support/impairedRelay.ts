// A bad network in userspace, for journeys and benchmarks on loopback (the kernel here has no netem):
// a relay that listens on one port, UDP and TCP, forwards everything to one target, and on the way
// caps the rate, delays, jitters, loses and cuts it, each direction on its own terms and changeable
// while traffic flows. Put in front of the TURN relay with relay-only ICE, it is an applicant's access
// network for the media; in front of the server's HTTP port, for the signalling.
//
// Both directions behave as one FIFO link each, shared by every flow through the relay (as a phone's
// uplink is): packets queue behind the rate cap, a datagram that would wait longer than the queue
// allows is dropped, and jitter varies the delay without reordering. Streams (TCP) lose nothing, as a
// real TCP would retransmit: their chunks are only delayed, and held through an outage.
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';

export type LinkConditions = {
	/** The link's rate in kbit/s; uncapped when absent. */
	rateKbps?: number;
	/** One-way delay added to everything, in ms. */
	delayMs?: number;
	/** Each packet's delay varies by up to this much either way, uniformly, in ms; order is kept. */
	jitterMs?: number;
	/** Share of datagrams lost at random, 0–100; stream chunks are never lost. */
	lossPercent?: number;
	/** Nothing gets through: datagrams are dropped, stream chunks held until the outage ends. */
	outage?: boolean;
	/** How long a datagram may wait behind the rate cap before it is dropped instead (a router's queue), in ms. */
	queueMs?: number;
};

const DEFAULT_QUEUE_MS = 200;

export type Verdict =
	| { deliverAt: number }
	| { dropped: 'loss' | 'queue' | 'outage' }
	/** A stream chunk during an outage: admit it again when the outage ends. */
	| { held: true };

export type LinkStats = {
	deliveredPackets: number;
	deliveredBytes: number;
	lost: number;
	queueDropped: number;
	outageDropped: number;
};

/**
 * One direction of the impaired network, as a pure schedule: when a packet offered now arrives at the
 * other end, or why it does not. No sockets and no timers, so its rules are tested on their own.
 */
export class ImpairedLink extends EventEmitter<{ changed: [] }> {
	#conditions: LinkConditions;
	readonly #random: () => number;
	/** When the link has finished sending everything admitted so far. */
	#busyUntil = 0;
	/** The latest arrival scheduled so far: nothing may arrive before it (no reordering). */
	#lastArrival = 0;
	readonly #stats: LinkStats = { deliveredPackets: 0, deliveredBytes: 0, lost: 0, queueDropped: 0, outageDropped: 0 };

	constructor(conditions: LinkConditions = {}, random: () => number = Math.random) {
		super();
		this.#conditions = checked(conditions);
		this.#random = random;
	}

	get conditions(): Readonly<LinkConditions> {
		return this.#conditions;
	}

	get stats(): Readonly<LinkStats> {
		return { ...this.#stats };
	}

	/** Replaces the conditions; takes effect for the next packet (and releases held stream chunks). */
	set(conditions: LinkConditions): void {
		this.#conditions = checked(conditions);
		this.emit('changed');
	}

	/** Changes some conditions and keeps the others. */
	update(changes: LinkConditions): void {
		this.set({ ...this.#conditions, ...changes });
	}

	admit(bytes: number, now: number, kind: 'datagram' | 'stream'): Verdict {
		const { rateKbps, delayMs = 0, jitterMs = 0, lossPercent = 0, outage = false } = this.#conditions;
		if (outage) {
			if (kind === 'stream') return { held: true };
			this.#stats.outageDropped += 1;
			return { dropped: 'outage' };
		}
		if (kind === 'datagram' && lossPercent > 0 && this.#random() * 100 < lossPercent) {
			this.#stats.lost += 1;
			return { dropped: 'loss' };
		}
		const start = Math.max(now, this.#busyUntil);
		if (kind === 'datagram' && start - now > (this.#conditions.queueMs ?? DEFAULT_QUEUE_MS)) {
			this.#stats.queueDropped += 1;
			return { dropped: 'queue' };
		}
		// kbit/s is bits per ms: a packet's bits over the rate is how long the link is busy with it.
		const sent = rateKbps === undefined ? start : start + (bytes * 8) / rateKbps;
		this.#busyUntil = sent;
		const delay = Math.max(0, delayMs + (this.#random() * 2 - 1) * jitterMs);
		const arrival = Math.max(sent + delay, this.#lastArrival);
		this.#lastArrival = arrival;
		this.#stats.deliveredPackets += 1;
		this.#stats.deliveredBytes += bytes;
		return { deliverAt: arrival };
	}
}

function checked(conditions: LinkConditions): LinkConditions {
	const { rateKbps, delayMs, jitterMs, lossPercent, queueMs } = conditions;
	if (rateKbps !== undefined && !(rateKbps > 0)) throw new RangeError(`rateKbps must be above 0, not ${rateKbps}`);
	for (const [name, value] of Object.entries({ delayMs, jitterMs, queueMs })) {
		if (value !== undefined && !(value >= 0)) throw new RangeError(`${name} must be 0 or more, not ${value}`);
	}
	if (jitterMs !== undefined && jitterMs > (delayMs ?? 0)) throw new RangeError('jitterMs may not exceed delayMs');
	if (lossPercent !== undefined && !(lossPercent >= 0 && lossPercent <= 100)) {
		throw new RangeError(`lossPercent must be 0–100, not ${lossPercent}`);
	}
	return { ...conditions };
}

/**
 * Carries out one link's schedule: runs each admitted packet's delivery at its time, in order, with
 * one timer for the head of the line; keeps held stream chunks until the link lets them through.
 */
class LinkCarrier {
	readonly #link: ImpairedLink;
	readonly #now: () => number;
	readonly #line: { at: number; deliver: () => void }[] = [];
	#held: { bytes: number; deliver: () => void }[] = [];
	#timer: ReturnType<typeof setTimeout> | undefined;
	#closed = false;

	constructor(link: ImpairedLink, now: () => number) {
		this.#link = link;
		this.#now = now;
		link.on('changed', () => this.#release());
	}

	get held(): number {
		return this.#held.length;
	}

	send(bytes: number, kind: 'datagram' | 'stream', deliver: () => void): void {
		if (this.#closed) return;
		// Stream chunks behind held ones wait with them, so a stream keeps its order.
		if (kind === 'stream' && this.#held.length > 0) {
			this.#held.push({ bytes, deliver });
			return;
		}
		const verdict = this.#link.admit(bytes, this.#now(), kind);
		if ('held' in verdict) this.#held.push({ bytes, deliver });
		else if ('deliverAt' in verdict) this.#schedule(verdict.deliverAt, deliver);
	}

	close(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
		this.#line.length = 0;
		this.#held = [];
	}

	#release(): void {
		const held = this.#held;
		this.#held = [];
		for (const [index, chunk] of held.entries()) {
			const verdict = this.#link.admit(chunk.bytes, this.#now(), 'stream');
			if ('held' in verdict) {
				this.#held = held.slice(index);
				return;
			}
			if ('deliverAt' in verdict) this.#schedule(verdict.deliverAt, chunk.deliver);
		}
	}

	#schedule(at: number, deliver: () => void): void {
		this.#line.push({ at, deliver });
		if (this.#line.length === 1) this.#arm();
	}

	#arm(): void {
		clearTimeout(this.#timer);
		const head = this.#line[0];
		if (!head) return;
		this.#timer = setTimeout(() => this.#flush(), Math.max(0, head.at - this.#now()));
	}

	#flush(): void {
		const now = this.#now();
		while (this.#line.length > 0 && (this.#line[0]?.at ?? 0) <= now + 0.5) this.#line.shift()?.deliver();
		this.#arm();
	}
}

export type RelayTarget = { host: string; port: number };

export type ImpairedRelayOptions = {
	target: RelayTarget;
	/** From the clients to the target. */
	uplink?: LinkConditions;
	/** From the target back to the clients. */
	downlink?: LinkConditions;
	/** Which protocols to relay on the one port; both by default. */
	protocols?: readonly ('udp' | 'tcp')[];
	random?: () => number;
};

/** A stream's queued, not yet written bytes past which its sender is paused (TCP flow control does the rest). */
const STREAM_HIGH_WATER = 256 * 1024;

export class ImpairedRelay {
	readonly host = '127.0.0.1';
	readonly port: number;
	readonly uplink: ImpairedLink;
	readonly downlink: ImpairedLink;
	readonly #carriers: { up: LinkCarrier; down: LinkCarrier };
	readonly #udp: dgram.Socket | undefined;
	readonly #tcp: net.Server | undefined;
	readonly #udpSessions = new Map<string, dgram.Socket>();
	readonly #streams = new Set<net.Socket>();
	readonly #target: RelayTarget;
	#closed = false;

	/** Listens on a free loopback port (the same number for UDP and TCP). */
	static async start(options: ImpairedRelayOptions): Promise<ImpairedRelay> {
		const protocols = options.protocols ?? ['udp', 'tcp'];
		for (let attempt = 0; attempt < 20; attempt += 1) {
			const tcp = protocols.includes('tcp') ? await listenTcp(0) : undefined;
			const port = tcp ? (tcp.address() as net.AddressInfo).port : 0;
			try {
				const udp = protocols.includes('udp') ? await bindUdp(port) : undefined;
				return new ImpairedRelay(options, tcp, udp);
			} catch (error) {
				// That port's UDP side is taken: try another.
				tcp?.close();
				if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
			}
		}
		throw new Error('no free port for both UDP and TCP');
	}

	private constructor(options: ImpairedRelayOptions, tcp: net.Server | undefined, udp: dgram.Socket | undefined) {
		this.#target = options.target;
		this.uplink = new ImpairedLink(options.uplink, options.random);
		this.downlink = new ImpairedLink(options.downlink, options.random);
		const now = () => performance.now();
		this.#carriers = { up: new LinkCarrier(this.uplink, now), down: new LinkCarrier(this.downlink, now) };
		this.#tcp = tcp;
		this.#udp = udp;
		this.port = tcp ? (tcp.address() as net.AddressInfo).port : (udp?.address().port ?? 0);
		tcp?.on('connection', (client) => this.#relayStream(client));
		udp?.on('message', (message, from) => this.#relayDatagram(message, from));
		// A relay's own socket errors (an unreachable client) are a lost packet, not the test's failure.
		udp?.on('error', () => {});
	}

	/** Sets both directions' conditions; a direction left out keeps its own. */
	set(conditions: { uplink?: LinkConditions; downlink?: LinkConditions }): void {
		if (conditions.uplink) this.uplink.set(conditions.uplink);
		if (conditions.downlink) this.downlink.set(conditions.downlink);
	}

	/** Cuts both directions (true) or lets them through again as they were (false). */
	outage(on: boolean): void {
		this.uplink.update({ outage: on });
		this.downlink.update({ outage: on });
	}

	/** Stream chunks waiting for an outage to end, both directions. */
	get held(): number {
		return this.#carriers.up.held + this.#carriers.down.held;
	}

	get stats(): { uplink: LinkStats; downlink: LinkStats; udpSessions: number; streams: number } {
		return {
			uplink: this.uplink.stats,
			downlink: this.downlink.stats,
			udpSessions: this.#udpSessions.size,
			streams: this.#streams.size,
		};
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#carriers.up.close();
		this.#carriers.down.close();
		for (const session of this.#udpSessions.values()) session.close();
		this.#udpSessions.clear();
		for (const stream of this.#streams) stream.destroy();
		await Promise.all([
			new Promise<void>((resolve) => (this.#tcp ? this.#tcp.close(() => resolve()) : resolve())),
			new Promise<void>((resolve) => (this.#udp ? this.#udp.close(() => resolve()) : resolve())),
		]);
	}

	/** Each client address gets its own socket towards the target, so answers find their way back. */
	#relayDatagram(message: Buffer, from: dgram.RemoteInfo): void {
		const udp = this.#udp;
		if (this.#closed || !udp) return;
		const key = `${from.address}:${from.port}`;
		let upstream = this.#udpSessions.get(key);
		if (!upstream) {
			const session = dgram.createSocket(net.isIPv6(this.#target.host) ? 'udp6' : 'udp4');
			session.on('message', (answer) => {
				this.#carriers.down.send(answer.length, 'datagram', () => {
					if (!this.#closed) udp.send(answer, from.port, from.address);
				});
			});
			session.on('error', () => {
				session.close();
				this.#udpSessions.delete(key);
			});
			session.bind(0, this.host);
			this.#udpSessions.set(key, session);
			upstream = session;
		}
		const session = upstream;
		this.#carriers.up.send(message.length, 'datagram', () => {
			if (!this.#closed && this.#udpSessions.get(key) === session) session.send(message, this.#target.port, this.#target.host);
		});
	}

	#relayStream(client: net.Socket): void {
		if (this.#closed) {
			client.destroy();
			return;
		}
		// Half-open both ways: one side's end travels the link while the other side may still send.
		const server = net.connect({ port: this.#target.port, host: this.#target.host, allowHalfOpen: true });
		this.#streams.add(client);
		this.#streams.add(server);
		const pipe = (from: net.Socket, to: net.Socket, carrier: LinkCarrier) => {
			let queued = 0;
			from.on('data', (chunk: Buffer) => {
				queued += chunk.length;
				if (queued > STREAM_HIGH_WATER) from.pause();
				carrier.send(chunk.length, 'stream', () => {
					queued -= chunk.length;
					if (!to.destroyed) to.write(chunk);
					if (queued <= STREAM_HIGH_WATER && from.isPaused() && !from.destroyed) from.resume();
				});
			});
			// The end travels the link too, after the data before it.
			from.on('end', () => carrier.send(0, 'stream', () => to.end()));
		};
		pipe(client, server, this.#carriers.up);
		pipe(server, client, this.#carriers.down);
		for (const [socket, other] of [
			[client, server],
			[server, client],
		] as const) {
			socket.on('error', () => other.destroy());
			socket.on('close', () => {
				this.#streams.delete(socket);
				// A reset end lets the other go at once; one that ended cleanly waits for its end to arrive.
				if (socket.destroyed && !socket.readableEnded) other.destroy();
			});
		}
	}
}

function listenTcp(port: number): Promise<net.Server> {
	return new Promise((resolve, reject) => {
		const server = net.createServer({ allowHalfOpen: true });
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

function bindUdp(port: number): Promise<dgram.Socket> {
	return new Promise((resolve, reject) => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', reject);
		socket.bind(port, '127.0.0.1', () => {
			socket.off('error', reject);
			resolve(socket);
		});
	});
}
