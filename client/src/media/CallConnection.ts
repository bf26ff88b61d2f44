// The browser side of a call's media (mediasoup-client): loads the Device with the call router's
// capabilities, creates the send and receive transports the server offers, sends the camera and
// microphone, receives everyone else, and recovers from network trouble (ICE restart, or new
// transports after a reconnect or a media server restart). Nothing is recorded: tracks go only to
// <video>/<audio> elements and to the network.
//
// It joins as soon as it starts, receiving; what it sends is produced when the page hands it over
// (send()), at the join or later: the agent receives the applicant without waiting for its own camera.
// An applicant starts while it waits for an agent (pre-connected media): its transports connect and
// its producers exist, paused (no RTP leaves the browser; the server keeps them paused too), so when
// the call begins setWaiting(false) resumes them and the agent's accept only creates consumers.
// An agent's receive transport may be ready before the call too (StandbyReceiver): the first join
// takes it over, with what it has received already, when the server's answer names it.
//
// With several server processes the call's media may be served by another process than the one this
// page's signalling is connected to: getMediaEndpoint names it, and the media requests (and the call
// notifications that must come in order with their answers) then go over a second connection, to that
// process's media namespace, opened with the ticket it hands out.
import { type CallResponses, type ConsumerInfo, MEDIA_NAMESPACE, type MediaSource, type Role } from '@vidverify/shared';
import { Device, type types } from 'mediasoup-client';
import { VerificationClient } from '../signalling/VerificationClient.ts';
import { type StandbyReceiver, takeStandby } from './StandbyReceiver.ts';

export type RemoteTrack = { consumerId: string; participantId: string; role: Role; source: MediaSource; track: MediaStreamTrack };

export type MediaState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Bitrates that keep small document print legible at 720p; "high" when the agent asks for it. */
const VIDEO_MAX_BITRATE = { normal: 1_500_000, high: 3_000_000 };
const STATS_INTERVAL_MS = 3000;
/** How long to wait for the media server's connection before trying again from getMediaEndpoint. */
const MEDIA_CONNECT_TIMEOUT_MS = 10_000;
/** After the media server's connection drops, how long to let it reconnect before asking where the media is now. */
const MEDIA_RECONNECT_GRACE_MS = 3000;

export type CallConnectionEvents = {
	onRemoteTracks: (tracks: RemoteTrack[]) => void;
	/** `failure`: why the media failed (a RequestError when the server refused), for the page to translate. */
	onState: (state: MediaState, failure?: unknown) => void;
	/** The agent asked this participant for its sharpest picture. */
	onHighQualityRequested?: () => void;
};

export class CallConnection {
	readonly #client: VerificationClient;
	readonly #events: CallConnectionEvents;
	readonly #unsubscribe: (() => void)[] = [];
	#device: Device | undefined;
	#send: types.Transport | undefined;
	#recv: types.Transport | undefined;
	#local: MediaStream | undefined;
	#videoProducer: types.Producer | undefined;
	#audioProducer: types.Producer | undefined;
	/** Producing runs one at a time: a join's and a later send()'s would each make a camera. */
	#producing: Promise<void> = Promise.resolve();
	/** Before the call begins: what is produced stays paused here, sending nothing. */
	#waiting = false;
	#started = false;
	/** The last join failed: the call beginning tries again. */
	#failed = false;
	readonly #remote = new Map<string, { info: ConsumerInfo; consumer: types.Consumer }>();
	#statsTimer: ReturnType<typeof setInterval> | undefined;
	#joining: Promise<void> | undefined;
	#highQuality = false;
	#closed = false;
	/** The connection to another process's media namespace, while the call's media is served there. */
	#media: { url: string; client: VerificationClient; stop: () => void } | undefined;
	#mediaRetry: ReturnType<typeof setTimeout> | undefined;
	/** Transports whose ICE restart is running, and whether another must follow it. */
	readonly #iceRestarts = new Map<string, { again: boolean }>();
	/** Transports whose ICE broke (disconnected or failed) and has not connected again since. */
	readonly #iceTrouble = new Set<string>();

	constructor(client: VerificationClient, events: CallConnectionEvents) {
		this.#client = client;
		this.#events = events;
		this.#unsubscribe.push(
			...this.#followCallNotifications(client, () => this.#media === undefined),
			client.onState((state) => {
				if (state === 'reconnecting') this.#events.onState('reconnecting');
				// A new socket is a new session on the server: our transports there are gone.
				if (state === 'connected' && this.#started) void this.rejoin();
			}),
		);
	}

	get remoteTracks(): RemoteTrack[] {
		return [...this.#remote.values()].map(({ info, consumer }) => ({
			consumerId: consumer.id,
			participantId: info.participantId,
			role: info.role,
			source: info.source,
			track: consumer.track,
		}));
	}

	/** Joins the call's media: receives the others, and sends what send() hands over. */
	async start(): Promise<void> {
		this.#started = true;
		// Reports start with the call, so a first join that fails and is retried still reports.
		this.#statsTimer ??= setInterval(() => void this.#reportSendStats(), STATS_INTERVAL_MS);
		await this.rejoin();
	}

	/** Sends `local`'s camera and microphone: now if joined, else as part of the join. */
	send(local: MediaStream): void {
		this.#local = local;
		if (!this.#started) return;
		void (this.#joining ?? Promise.resolve())
			.catch(() => undefined)
			.then(() => this.#produceLocal())
			.catch(() => {
				// A transport closing under a produce is followed by a rejoin, which produces again.
			});
	}

	/**
	 * While waiting for an agent nothing is sent: the producers are paused here (no RTP) as they are
	 * on the server. The call beginning resumes them, or joins again if the waiting join had failed.
	 */
	setWaiting(waiting: boolean): void {
		if (this.#waiting === waiting) return;
		this.#waiting = waiting;
		for (const producer of [this.#videoProducer, this.#audioProducer]) {
			if (!producer || producer.closed) continue;
			if (waiting) producer.pause();
			else producer.resume();
		}
		if (!waiting && this.#failed) void this.rejoin().catch(() => undefined);
	}

	/** (Re)creates transports and producers; safe to call while a join is already running. */
	rejoin(): Promise<void> {
		if (this.#closed || !this.#started) return Promise.resolve();
		this.#joining ??= this.#join().finally(() => {
			this.#joining = undefined;
		});
		return this.#joining;
	}

	/** Switches the camera (e.g. to the rear camera for a document) without renegotiating. */
	async replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
		track.contentHint = 'detail';
		if (this.#local) {
			for (const old of this.#local.getVideoTracks()) this.#local.removeTrack(old);
			this.#local.addTrack(track);
		}
		await this.#videoProducer?.replaceTrack({ track });
	}

	async setHighQuality(high: boolean): Promise<void> {
		this.#highQuality = high;
		const producer = this.#videoProducer;
		if (!producer || producer.closed) return;
		const sender = producer.rtpSender;
		if (!sender) return;
		const parameters = sender.getParameters();
		for (const encoding of parameters.encodings) encoding.maxBitrate = high ? VIDEO_MAX_BITRATE.high : VIDEO_MAX_BITRATE.normal;
		await sender.setParameters(parameters);
	}

	/** The receiving side's WebRTC stats (for tests and the quality panel). */
	async receiveStats(): Promise<RTCStatsReport | undefined> {
		return this.#recv?.getStats();
	}

	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#statsTimer);
		clearTimeout(this.#mediaRetry);
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
		this.#closeMedia();
		this.#send?.close();
		this.#recv?.close();
		this.#remote.clear();
	}

	async #join(): Promise<void> {
		this.#events.onState('connecting');
		try {
			this.#send?.close();
			this.#recv?.close();
			this.#iceTrouble.clear();
			this.#remote.clear();
			this.#events.onRemoteTracks([]);

			const channel = await this.#mediaChannel();
			// Only a call served on this connection can have adopted the standby made on it.
			const standby = channel === this.#client ? takeStandby(this.#client) : undefined;
			if (!this.#device && standby) this.#device = standby.device;
			if (!this.#device) {
				const { routerRtpCapabilities } = await channel.request('getMediaCapabilities', {});
				this.#device = new Device();
				await this.#device.load({ routerRtpCapabilities: routerRtpCapabilities as types.RtpCapabilities });
			}
			const device = this.#device;
			const joined = await channel.request('joinMedia', { rtpCapabilities: device.rtpCapabilities });
			this.#send = this.#createTransport('send', joined.sendTransport, joined.iceServers);
			this.#recv =
				(await this.#adopt(standby, joined.recvTransport.id)) ??
				this.#createTransport('recv', joined.recvTransport, joined.iceServers);
			this.#videoProducer = undefined;
			this.#audioProducer = undefined;

			// Receiving does not wait for sending: the two transports connect side by side.
			const receiving = Promise.all(
				joined.consumers.filter((info) => !this.#remote.has(info.id)).map((info) => this.#consume(info)),
			);
			await this.#produceLocal();
			await receiving;
			this.#failed = false;
			this.#events.onState('connected');
		} catch (error) {
			this.#failed = true;
			this.#events.onState('failed', error);
			throw error;
		}
	}

	/**
	 * The standby's receive transport, when the server's answer names it: taken over with the consumers
	 * it has (already resumed). Otherwise the standby is closed and the join makes its own.
	 */
	async #adopt(standby: StandbyReceiver | undefined, recvTransportId: string): Promise<types.Transport | undefined> {
		if (!standby) return undefined;
		if (standby.recv.id !== recvTransportId) {
			standby.close();
			return undefined;
		}
		const { recv, remote } = await standby.takeOver();
		this.#followTransport(recv);
		for (const [id, entry] of remote) if (!entry.consumer.closed) this.#remote.set(id, entry);
		this.#events.onRemoteTracks(this.remoteTracks);
		return recv;
	}

	/** Produces each track of the local stream that has no producer on the current send transport yet. */
	#produceLocal(): Promise<void> {
		const run = this.#producing.then(async () => {
			const transport = this.#send;
			for (const track of this.#local?.getTracks() ?? []) {
				// A rejoin meanwhile replaced the transport: its own join produces on the new one.
				if (!transport || transport.closed || transport !== this.#send) return;
				if (track.kind === 'video' && (!this.#videoProducer || this.#videoProducer.closed)) {
					track.contentHint = 'detail';
					this.#videoProducer = await transport.produce({
						track,
						encodings: [{ maxBitrate: this.#highQuality ? VIDEO_MAX_BITRATE.high : VIDEO_MAX_BITRATE.normal }],
						codecOptions: { videoGoogleStartBitrate: 1000 },
						// The page owns its tracks: a rejoin closes this transport, which must not end them.
						stopTracks: false,
						// Paused means no RTP at all, and the track (the page's preview) left as it is.
						zeroRtpOnPause: true,
						disableTrackOnPause: false,
						appData: { source: 'camera' },
					});
					if (this.#waiting) this.#videoProducer.pause();
				} else if (track.kind === 'audio' && (!this.#audioProducer || this.#audioProducer.closed)) {
					this.#audioProducer = await transport.produce({
						track,
						stopTracks: false,
						zeroRtpOnPause: true,
						disableTrackOnPause: false,
						appData: { source: 'microphone' },
					});
					if (this.#waiting) this.#audioProducer.pause();
				}
			}
		});
		this.#producing = run.catch(() => undefined);
		return run;
	}

	/** Where the media requests go: the media server's connection when there is one, else the signalling one. */
	get #channel(): VerificationClient {
		return this.#media?.client ?? this.#client;
	}

	/** Call notifications of one connection, handled while `active()` says that connection carries the media. */
	#followCallNotifications(client: VerificationClient, active: () => boolean): (() => void)[] {
		return [
			client.on('consumerCreated', (info) => {
				if (active()) void this.#consume(info);
			}),
			client.on('consumerClosed', ({ consumerId }) => {
				if (active()) this.#dropConsumer(consumerId);
			}),
			client.on('highQualityRequested', () => {
				// Sent to every connection of the participant: the signalling one always has it.
				if (client !== this.#client) return;
				this.#events.onHighQualityRequested?.();
				void this.setHighQuality(true);
			}),
			client.on('mediaRestartRequired', () => {
				if (active()) void this.rejoin();
			}),
		];
	}

	/**
	 * Asks the signalling server where the call's media is served and returns the connection to use:
	 * the signalling one, or one to the other process's media namespace (kept while it stays the same).
	 */
	async #mediaChannel(): Promise<VerificationClient> {
		const endpoint = await this.#client.request('getMediaEndpoint', {});
		if (endpoint.url === null || endpoint.ticket === null) {
			this.#closeMedia();
			return this.#client;
		}
		if (this.#media?.url === endpoint.url && this.#media.client.state === 'connected') return this.#media.client;
		this.#closeMedia();
		const media = new VerificationClient(endpoint.ticket, { url: endpoint.url, namespace: MEDIA_NAMESPACE });
		let connectedBefore = false;
		const stops = [
			...this.#followCallNotifications(media, () => this.#media?.client === media),
			media.onState((state) => {
				if (this.#media?.client !== media) return;
				if (state === 'connected') {
					clearTimeout(this.#mediaRetry);
					// A new media connection is a new session there: the transports must be created again.
					if (connectedBefore) void this.rejoin().catch(() => {});
					connectedBefore = true;
				} else if (state === 'reconnecting') {
					this.#events.onState('reconnecting');
					// The media server may be gone for good: ask again where the media is if it does not come back soon.
					clearTimeout(this.#mediaRetry);
					this.#mediaRetry = setTimeout(() => {
						if (this.#media?.client === media && media.state !== 'connected') {
							this.#closeMedia();
							void this.rejoin().catch(() => {});
						}
					}, MEDIA_RECONNECT_GRACE_MS);
				} else if (state === 'refused' && connectedBefore) {
					// The ticket ran out while reconnecting: a new one comes with getMediaEndpoint.
					this.#closeMedia();
					void this.rejoin().catch(() => {});
				}
			}),
		];
		this.#media = {
			url: endpoint.url,
			client: media,
			stop: () => {
				for (const stop of stops) stop();
				media.close();
			},
		};
		let timer: ReturnType<typeof setTimeout> | undefined;
		try {
			await Promise.race([
				media.ready(),
				new Promise<never>((_, reject) => {
					timer = setTimeout(() => reject(new Error('the media server did not answer')), MEDIA_CONNECT_TIMEOUT_MS);
				}),
			]);
		} catch (error) {
			if (this.#media?.client === media) this.#closeMedia();
			throw error;
		} finally {
			clearTimeout(timer);
		}
		return media;
	}

	#closeMedia(): void {
		const media = this.#media;
		this.#media = undefined;
		media?.stop();
	}

	#createTransport(
		direction: 'send' | 'recv',
		options: CallResponses['joinMedia']['sendTransport'],
		iceServers: CallResponses['joinMedia']['iceServers'],
	): types.Transport {
		const device = this.#device as Device;
		// The TURN relay, when the server gives one, is where ICE falls back when UDP and TCP are blocked.
		const transportOptions = { ...(options as types.TransportOptions), iceServers };
		const transport =
			direction === 'send' ? device.createSendTransport(transportOptions) : device.createRecvTransport(transportOptions);
		transport.on('connect', ({ dtlsParameters }, callback, errback) => {
			this.#channel.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
		});
		if (direction === 'send') {
			transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
				const source = (appData as { source: MediaSource }).source;
				this.#channel
					.request('produce', { transportId: transport.id, kind, rtpParameters, source })
					.then(({ producerId }) => callback({ id: producerId }), errback);
			});
		}
		this.#followTransport(transport);
		return transport;
	}

	/** ICE breaking on a transport restarts it; its coming back may end the trouble. */
	#followTransport(transport: types.Transport): void {
		transport.on('connectionstatechange', (state) => {
			if (state === 'failed' || state === 'disconnected') void this.#restartIce(transport);
			else if (state === 'connected') this.#iceRecovered(transport);
		});
	}

	/**
	 * Asks the server for new ICE credentials and restarts ICE with them, on the same transport: the
	 * network came back (or changed) under a live call. One restart at a time per transport, so the
	 * credentials of two overlapping ones cannot be applied out of order; a state change meanwhile
	 * (disconnected, then failed) restarts once more after it.
	 */
	async #restartIce(transport: types.Transport): Promise<void> {
		if (this.#closed || transport.closed) return;
		this.#iceTrouble.add(transport.id);
		this.#events.onState('reconnecting');
		const running = this.#iceRestarts.get(transport.id);
		if (running) {
			running.again = true;
			return;
		}
		const restart = { again: true };
		this.#iceRestarts.set(transport.id, restart);
		try {
			while (restart.again && !this.#closed && !transport.closed) {
				restart.again = false;
				const { iceParameters } = await this.#channel.request('restartIce', { transportId: transport.id });
				if (transport.closed) return;
				await transport.restartIce({ iceParameters: iceParameters as types.IceParameters });
			}
		} catch {
			// The transport may be gone on the server (reconnect in progress); a rejoin will replace it.
		} finally {
			this.#iceRestarts.delete(transport.id);
		}
	}

	/** A transport whose ICE broke is connected again; with none left broken, the media is back. */
	#iceRecovered(transport: types.Transport): void {
		if (!this.#iceTrouble.delete(transport.id) || this.#iceTrouble.size > 0) return;
		if (!this.#closed && !this.#joining && this.#client.state === 'connected') this.#events.onState('connected');
	}

	async #consume(info: ConsumerInfo): Promise<void> {
		const recv = this.#recv;
		if (!recv || recv.closed || this.#remote.has(info.id)) return;
		const consumer = await recv.consume({
			id: info.id,
			producerId: info.producerId,
			kind: info.kind,
			rtpParameters: info.rtpParameters as types.RtpParameters,
		});
		this.#remote.set(consumer.id, { info, consumer });
		this.#events.onRemoteTracks(this.remoteTracks);
		await this.#channel.request('resumeConsumer', { consumerId: consumer.id });
	}

	#dropConsumer(consumerId: string): void {
		const entry = this.#remote.get(consumerId);
		if (!entry) return;
		entry.consumer.close();
		this.#remote.delete(consumerId);
		this.#events.onRemoteTracks(this.remoteTracks);
	}

	async #reportSendStats(): Promise<void> {
		const producer = this.#videoProducer;
		if (!producer || producer.closed) return;
		try {
			for (const report of (await producer.getStats()).values()) {
				if (report.type !== 'outbound-rtp') continue;
				await this.#channel.request('reportSendStats', {
					width: report.frameWidth ?? 0,
					height: report.frameHeight ?? 0,
					framesPerSecond: report.framesPerSecond ?? 0,
				});
				return;
			}
		} catch {
			// Stats are best effort; a failed report is simply skipped.
		}
	}
}
