// The whole service in one process: HTTP (express: health, host API, web client) and signalling
// (socket.io) on one port, the verification domain over its journal, webhook outbox and live state,
// and the mediasoup worker pool. Created with Service.create, stopped with close() (idempotent).
//
// Two store modes, each set up by a module of its own. Embedded (the default, openEmbeddedStores): the
// journal is a file in DATA_DIR and the live state is in memory, for one process. Redis (REDIS_URL,
// openRedisStores): journal, live state, webhook outbox and socket.io's rooms are shared through one
// Redis by every process of the deployment; the process starts even while Redis is away, reports not
// ready, and serves once Redis is reachable.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	type CallQualitySummary,
	MEDIA_NAMESPACE,
	type TryVerificationAnswer,
	type TryVerificationBody,
	VERIFICATION_NAMESPACE,
} from '@vidverify/shared';
import { Server as SocketServer } from 'socket.io';
import { buildBundle } from './audit/bundle.ts';
import { Checkpoints, checkpointAtOutcomes } from './audit/Checkpoints.ts';
import { ApiKeys } from './auth/ApiKeys.ts';
import { documentHasher } from './auth/documentHash.ts';
import { JoinLinks } from './auth/JoinLinks.ts';
import { OutcomeSigner } from './auth/OutcomeSigner.ts';
import { ParticipantTokens } from './auth/ParticipantTokens.ts';
import { refuseRevokedTokens } from './auth/revokedTokenGuard.ts';
import { TokenRevocations } from './auth/TokenRevocations.ts';
import type { Config } from './config.ts';
import { createDemo } from './http/api/demoVerification.ts';
import { createHostApi } from './http/api/hostApi.ts';
import { hostCalls } from './http/api/hostCalls.ts';
import { createOperatorApi } from './http/api/operatorApi.ts';
import { createTryVerificationApi } from './http/api/tryVerificationApi.ts';
import { createHttpApp, type ReadinessProbe } from './http/app.ts';
import { clientAddressOf } from './limits/clientAddress.ts';
import type { Logger } from './logger.ts';
import { CallRooms } from './media/CallRooms.ts';
import { MediaPlacement } from './media/MediaPlacement.ts';
import { WorkerPool } from './media/WorkerPool.ts';
import { MediaCensus } from './metrics/MediaCensus.ts';
import { MetricsServer, metricsHandler } from './metrics/metricsEndpoint.ts';
import { operatorSnapshot } from './metrics/operatorSnapshot.ts';
import { ServiceMetrics } from './metrics/ServiceMetrics.ts';
import { PersonalDataErasure } from './privacy/PersonalDataErasure.ts';
import { Retention } from './privacy/Retention.ts';
import { DEFAULT_DOMAIN_SETTINGS, type DomainSettings } from './sessions/types.ts';
import { VerificationService, type VerificationServiceDeps } from './sessions/VerificationService.ts';
import { observeRequests } from './signalling/dispatch.ts';
import { serveMedia } from './signalling/mediaNamespace.ts';
import { serveSelfCheck } from './signalling/selfCheckNamespace.ts';
import { signInRoom } from './signalling/signIn.ts';
import { serveVerification } from './signalling/verificationNamespace.ts';
import { openEmbeddedStores } from './store/embedded/openEmbeddedStores.ts';
import type { Journal } from './store/Journal.ts';
import { openRedisStores } from './store/redis/openRedisStores.ts';
import type { Stores, WebhookSettings } from './store/Stores.ts';
import type { WebhookOutbox } from './webhooks/WebhookOutbox.ts';

/** Largest socket.io message accepted; anything bigger is dropped by socket.io before parsing. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;
/** How often the server pings each signalling connection, and how long it waits for the answer. */
export const SIGNALLING_PING_INTERVAL_MS = 10_000;
export const SIGNALLING_PING_TIMEOUT_MS = 10_000;

/** How long a call's quality summary stays readable by the other processes after its last sample. */
const CALL_QUALITY_TTL_MS = 6 * 60 * 60_000;

/** How long an applicant's token outlives the join deadline beyond the longest wait: room for the call. */
const CALL_ALLOWANCE_MS = 2 * 60 * 60_000;

/** New verification connections one client address may open a minute; offices and load tests stay well below. */
const HANDSHAKES_PER_MINUTE = 600;

type Parts = {
	pool: WorkerPool;
	calls: CallRooms;
	placement: MediaPlacement;
	stores: Stores;
	verifications: VerificationService;
	tokens: ParticipantTokens;
	revocations: TokenRevocations;
	links: JoinLinks;
	signer: OutcomeSigner;
	checkpoints: Checkpoints;
	baseUrl: { current: string };
	metrics: ServiceMetrics | undefined;
};

export class Service {
	readonly config: Config;
	readonly logger: Logger;
	readonly pool: WorkerPool;
	readonly calls: CallRooms;
	readonly journal: Journal;
	readonly outbox: WebhookOutbox;
	readonly verifications: VerificationService;
	/** Erases a verification's personal data by destroying its keys (privacy/PersonalDataErasure.ts). */
	readonly erasure: PersonalDataErasure;
	/** Erases personal data and forgets document hashes once their retention ran out (privacy/Retention.ts). */
	readonly retention: Retention;
	readonly httpServer: http.Server;
	readonly io: SocketServer;
	/** Creates a demo verification and agent, as the try endpoint does; only when TRY_PAGE is on. */
	readonly tryVerification: ((request: TryVerificationBody) => Promise<TryVerificationAnswer>) | undefined;
	readonly #baseUrl: { current: string };
	readonly #verificationNamespace: { close(): void };
	readonly #mediaNamespace: { close(): void };
	readonly #placement: MediaPlacement;
	readonly #stores: Stores;
	readonly #checkpoints: Checkpoints;
	/** Serves /metrics on a port of its own, once listening (METRICS_PORT). */
	readonly #metricsOwnPort: ReturnType<typeof metricsHandler> | undefined;
	#metricsServer: MetricsServer | undefined;
	#closing: Promise<void> | undefined;

	static async create(config: Config, logger: Logger): Promise<Service> {
		// Private to the service user: the journal keeps personal data here (see store/embedded/privateFiles.ts).
		await fs.mkdir(config.dataDir, { recursive: true, mode: 0o700 });
		const opened: { close(): Promise<void> | void }[] = [];
		try {
			const webhook = webhookSettings(config);
			const metrics = config.metrics ? new ServiceMetrics() : undefined;
			const observeAppend = metrics?.observeJournalAppend;
			const stores = config.redis
				? await openRedisStores({ url: config.redis.url, keyPrefix: config.redis.keyPrefix, webhook, logger, observeAppend })
				: await openEmbeddedStores({ dataDir: config.dataDir, webhook, logger, observeAppend });
			opened.push(stores);
			const { journal, liveState, outbox, shared } = stores;

			const mediaLogger = logger.child({ component: 'media' });
			const listen = { listenIp: config.media.listenIp, announcedAddress: config.media.announcedAddress };
			const pool = await WorkerPool.create({
				workerCount: config.media.workerCount,
				rtcMinPort: config.media.rtcMinPort,
				rtcMaxPort: config.media.rtcMaxPort,
				webRtcServer: { ...listen, basePort: config.media.port },
				logger: mediaLogger,
			});
			opened.push(pool);
			// With several processes the outcome may be recorded by one that does not serve the call's media:
			// the serving one keeps the call's quality summary in the live state for it.
			const qualityKey = (verificationId: string) => `call-quality:${verificationId}`;
			const calls = new CallRooms({
				pool,
				listen,
				logger: mediaLogger,
				qualitySampleMs: config.media.qualitySampleMs,
				turn: config.media.turn,
				publishSummary: shared
					? (verificationId, summary) => {
							liveState
								.setExpiring(qualityKey(verificationId), JSON.stringify(summary), CALL_QUALITY_TTL_MS)
								.catch((error: unknown) => {
									mediaLogger.debug({ err: error, verificationId }, 'could not share the call quality summary');
								});
						}
					: undefined,
			});
			opened.push(calls);

			const baseUrl = { current: config.publicUrl ?? `http://${config.host}:${config.port}` };
			const links = new JoinLinks(() => baseUrl.current);
			// Revocations live in the live state, so every process of a deployment sees them.
			const { agentTokenTtlMs, agentSignInMaxMs } = config.timeouts;
			const revocations = new TokenRevocations(liveState, agentSignInMaxMs);
			const tokens = new ParticipantTokens(config.secrets.jwtSecret, agentTokenTtlMs, Date.now, revocations, agentSignInMaxMs);
			const signer = new OutcomeSigner(config.secrets.outcomeSigningKey);
			const checkpoints = new Checkpoints({
				journal: stores.provable,
				log: stores.checkpoints,
				sign: (checkpoint) => signer.signCheckpoint(checkpoint),
				intervalMs: config.timeouts.checkpointIntervalMs,
				logger: logger.child({ component: 'checkpoints' }),
			});
			opened.push(checkpoints);
			const domain: VerificationServiceDeps = {
				journal: checkpointAtOutcomes(journal, checkpoints),
				liveState,
				outbox,
				logger,
				settings: domainSettings(config),
				queueTickMs: config.timeouts.queueUpdateIntervalMs,
				signOutcome: (outcome, events) => signer.sign(outcome, events),
				sealing: stores.sealer,
				hashDocument: documentHasher(config.secrets.documentHashSecret),
				interpreterLink: (invitation) =>
					links.interpreter(tokens.issueInterpreter({ ...invitation, expiresAt: new Date(invitation.expiresAt) }).token),
				callQuality: async (verificationId: string) => {
					const local = calls.qualitySummary(verificationId);
					if (local || !shared) return local;
					const published = await liveState.getExpiring(qualityKey(verificationId));
					return published === undefined ? null : (JSON.parse(published) as CallQualitySummary);
				},
			};
			const placement = new MediaPlacement({
				live: liveState,
				publicUrl: () => baseUrl.current,
				logger: mediaLogger,
				ownerTtlMs: config.redis?.processTtlMs,
			});
			opened.push(placement);
			const verifications = shared
				? VerificationService.open({
						...domain,
						storeReady: () => shared.whenReady(),
						trackConnections: true,
						processTtlMs: config.redis?.processTtlMs,
					})
				: await VerificationService.create(domain);
			opened.push(verifications);
			checkpoints.start();
			return new Service(config, logger, {
				pool,
				calls,
				placement,
				stores,
				verifications,
				tokens,
				revocations,
				links,
				signer,
				checkpoints,
				baseUrl,
				metrics,
			});
		} catch (error) {
			for (const part of opened.reverse()) await part.close();
			throw error;
		}
	}

	private constructor(config: Config, logger: Logger, parts: Parts) {
		this.config = config;
		this.logger = logger;
		this.pool = parts.pool;
		this.calls = parts.calls;
		this.journal = parts.stores.journal;
		this.outbox = parts.stores.outbox;
		this.verifications = parts.verifications;
		this.erasure = new PersonalDataErasure({
			repository: parts.verifications.repository,
			sealer: parts.stores.sealer,
			clock: () => new Date(),
			logger: logger.child({ component: 'erasure' }),
		});
		this.retention = new Retention({
			live: parts.stores.liveState,
			repository: parts.verifications.repository,
			erasure: this.erasure,
			settings: config.retention,
			logger: logger.child({ component: 'retention' }),
		});
		parts.verifications.on('stateEntered', ({ after }) => {
			this.retention.schedule(after).catch((error: unknown) => {
				// Scheduled again at the next start, which schedules every final verification kept.
				logger.warn({ err: error, verificationId: after.id }, 'retention: could not schedule a verification');
			});
		});
		parts.verifications.whenStarted().then(
			() => {
				if (!this.#closing) this.retention.start();
			},
			() => {},
		);
		this.#baseUrl = parts.baseUrl;
		this.#stores = parts.stores;
		this.#checkpoints = parts.checkpoints;
		this.#placement = parts.placement;
		const readiness: ReadinessProbe[] = [{ name: 'mediaWorkers', check: () => parts.pool.healthy }];
		const shared = parts.stores.shared;
		if (shared) {
			readiness.push(
				{ name: 'store', check: () => shared.ready },
				{ name: 'started', check: () => parts.verifications.started && this.outbox.started },
			);
		} else {
			readiness.push({ name: 'dataDir', check: () => fs.access(config.dataDir, fs.constants.W_OK).then(() => true) });
		}
		const { metrics } = parts;
		// Made before the service serves anyone, so that the workers hold no router it has not seen.
		const census = metrics || config.operatorKey !== undefined ? new MediaCensus(parts.pool) : undefined;
		const operatorSources = census && {
			calls: parts.calls,
			desk: parts.verifications.desk,
			repository: parts.verifications.repository,
			pool: parts.pool,
			census,
		};
		if (metrics && operatorSources) {
			metrics.watch({
				verifications: parts.verifications,
				...operatorSources,
				outbox: this.outbox,
				redisReady: shared ? () => shared.ready : undefined,
				logger: logger.child({ component: 'metrics' }),
			});
		}
		const serveMetrics = metrics && config.metrics ? metricsHandler(metrics, config.metrics.token, logger) : undefined;
		this.#metricsOwnPort = config.metrics?.port === undefined ? undefined : serveMetrics;
		const applicantTokenOverrunMs = config.timeouts.waitingExpiryMs + CALL_ALLOWANCE_MS;
		const api = createHostApi({
			verifications: parts.verifications,
			tokens: parts.tokens,
			links: parts.links,
			apiKeys: new ApiKeys(config.secrets.apiKeys),
			outcomeKey: parts.signer.publicKey,
			bundle: async (verificationId) => {
				const sources = { journal: parts.stores.provable, checkpoints: parts.checkpoints, key: parts.signer.publicKey.jwk };
				return buildBundle(sources, verificationId, await parts.verifications.getEvents(verificationId));
			},
			erasePersonalData: (verificationId) => this.erasure.erase(verificationId, 'host_request'),
			revokeAgent: async (agentId) => {
				const revokedAt = await parts.revocations.revokeAgent(agentId);
				// Both namespaces keep each participant's sockets in the room `participant:<id>` (an agent's id
				// is its agentId); through the Redis adapter this reaches the agent's sockets on every process.
				this.#closeRevoked(`participant:${agentId}`);
				return revokedAt;
			},
			revokeSignIn: async (tokenId) => {
				const revokedAt = await parts.revocations.revokeSignIn(tokenId);
				this.#closeRevoked(signInRoom(tokenId));
				return revokedAt;
			},
			applicantTokenOverrunMs,
			bodyLimitBytes: config.limits.httpBodyBytes,
			rateLimit: {
				keyRate: { ratePerSecond: config.limits.apiKeyRatePerSecond, burst: config.limits.apiKeyRateBurst },
				addressRate: { ratePerSecond: config.limits.httpRatePerSecond, burst: config.limits.httpRateBurst },
				limiter: (name, budget) => parts.stores.limiter(name, budget),
			},
			logger: logger.child({ component: 'hostApi' }),
			countError: metrics && ((code) => metrics.countError(code, 'http')),
		});
		let tryApi: ReturnType<typeof createTryVerificationApi> | undefined;
		if (config.tryPage) {
			const calls = hostCalls({
				verifications: parts.verifications,
				tokens: parts.tokens,
				links: parts.links,
				applicantTokenOverrunMs,
			});
			this.tryVerification = (request) => createDemo(calls, request);
			tryApi = createTryVerificationApi({ calls, logger: logger.child({ component: 'tryVerification' }) });
		}
		const operator =
			config.operatorKey !== undefined && operatorSources
				? createOperatorApi({
						key: config.operatorKey,
						overview: () => operatorSnapshot(operatorSources),
						logger: logger.child({ component: 'operator' }),
					})
				: undefined;
		const app = createHttpApp({
			clientDistDir: config.clientDistDir,
			environment: config.environment,
			readiness,
			logger,
			api,
			tryVerification: tryApi,
			operator,
			metrics: this.#metricsOwnPort ? undefined : serveMetrics,
			corsOrigins: config.corsOrigins,
			upgradeInsecureRequests: config.publicUrl?.startsWith('https://') ?? false,
			trustProxy: config.trustProxy,
			// In Redis mode a call's media may be on any live process of the deployment: its pages may connect there.
			connectOrigins: () => [this.#baseUrl.current, ...config.connectOrigins, ...this.#placement.peerOrigins],
		});
		this.httpServer = http.createServer(app);
		this.io = new SocketServer(this.httpServer, {
			maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
			serveClient: false,
			// A connection whose network vanished sends no FIN: only the heartbeat finds it. socket.io's
			// defaults (25 s + 20 s) left the agent seeing a gone applicant as present for up to 45 s; a ping
			// every 10 s with 10 s to answer finds it within 20 s and still allows a slow, lossy uplink.
			pingInterval: SIGNALLING_PING_INTERVAL_MS,
			pingTimeout: SIGNALLING_PING_TIMEOUT_MS,
			cors: config.corsOrigins.length > 0 ? { origin: config.corsOrigins } : undefined,
			// Notifications are emitted once, by the process that made the change; the adapter carries
			// them to the sockets in those rooms on every other process.
			adapter: shared?.adapter,
		});
		if (metrics) observeRequests(this.io, metrics.observeRequest);
		const rateLimit = {
			ratePerSecond: config.limits.socketRatePerSecond,
			burst: config.limits.socketRateBurst,
			disconnectAfter: config.limits.socketFloodDisconnectAfter,
		};
		// Registered first, so they run before each namespace's own authentication: a revoked agent token is
		// refused at every handshake (the namespaces verify tokens but know nothing of revocations).
		const guardLogger = logger.child({ component: 'signalling' });
		this.io.of(VERIFICATION_NAMESPACE).use(refuseRevokedTokens(parts.tokens, 'participant', guardLogger));
		this.io.of(MEDIA_NAMESPACE).use(refuseRevokedTokens(parts.tokens, 'mediaTicket', guardLogger));
		this.#verificationNamespace = serveVerification(this.io, {
			service: parts.verifications,
			calls: parts.calls,
			placement: parts.placement,
			tokens: parts.tokens,
			crossProcess: shared !== undefined,
			rateLimit,
			limits: sharedSocketLimits(parts.stores, config.limits.socketRatePerSecond),
			clientAddress: clientAddressOf(config.trustProxy),
			logger: logger.child({ component: 'signalling' }),
		});
		this.#mediaNamespace = serveMedia(this.io, {
			service: parts.verifications,
			calls: parts.calls,
			placement: parts.placement,
			tokens: parts.tokens,
			rateLimit,
			logger: logger.child({ component: 'media' }),
		});
		if (config.media.selfCheck) {
			serveSelfCheck(
				this.io,
				parts.pool,
				{ listenIp: config.media.listenIp, announcedAddress: config.media.announcedAddress },
				logger,
				config.media.selfCheckLimits,
				clientAddressOf(config.trustProxy),
			);
		}
	}

	/** Starts listening; resolves with the base URL people should open. */
	async listen(): Promise<{ port: number; url: string }> {
		await new Promise<void>((resolve, reject) => {
			this.httpServer.once('error', reject);
			this.httpServer.listen(this.config.port, this.config.host, () => {
				this.httpServer.off('error', reject);
				resolve();
			});
		});
		const { port } = this.httpServer.address() as AddressInfo;
		const host = this.config.host === '0.0.0.0' || this.config.host === '::' ? 'localhost' : this.config.host;
		const url = this.config.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
		this.#baseUrl.current = url;
		if (this.#metricsOwnPort && this.config.metrics?.port !== undefined) {
			this.#metricsServer = await MetricsServer.listen(this.config.metrics.host, this.config.metrics.port, this.#metricsOwnPort);
		}
		// Not awaited: in Redis mode the store may be away, and listening must not wait for it.
		this.#placement
			.announce()
			.catch((error: unknown) => this.logger.debug({ err: error }, 'could not announce this process yet'));
		return { port, url };
	}

	/**
	 * Resolves once the domain and the outbox have rebuilt from the store: at once in embedded mode; in
	 * Redis mode when Redis was reachable long enough. Rejects when the journal cannot be used at all.
	 */
	/** The port /metrics is served on when it has one of its own (METRICS_PORT), once listening. */
	get metricsPort(): number | undefined {
		return this.#metricsServer?.port;
	}

	async whenStarted(): Promise<void> {
		await this.verifications.whenStarted();
		await this.outbox.whenStarted();
	}

	/** Tells the revoked connections in `room` why, then closes them, in both namespaces and on every process. */
	#closeRevoked(room: string): void {
		const verification = this.io.of(VERIFICATION_NAMESPACE).in(room);
		(verification as unknown as { emit(name: string, payload: unknown): boolean }).emit('signedOut', {
			at: new Date().toISOString(),
			reason: 'revoked',
		});
		verification.disconnectSockets(true);
		this.io.of(MEDIA_NAMESPACE).in(room).disconnectSockets(true);
	}

	close(): Promise<void> {
		this.#closing ??= this.#close();
		return this.#closing;
	}

	async #close(): Promise<void> {
		// Stop taking connections and requests first; connections cut by the shutdown are not reported
		// to the domain as participants leaving (they reconnect to the next process). Then the domain,
		// the outbox and the journal they write to, then media and the HTTP server.
		this.#verificationNamespace.close();
		this.#mediaNamespace.close();
		this.#placement.close();
		await new Promise<void>((resolve) => this.io.close(() => resolve()));
		await this.retention.close();
		await this.verifications.close();
		await this.#checkpoints.close();
		await this.#stores.close();
		this.calls.close();
		this.pool.close();
		this.httpServer.closeAllConnections();
		await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
		await this.#metricsServer?.close();
	}
}

function webhookSettings(config: Config): WebhookSettings {
	return {
		url: config.webhook.url,
		secret: config.webhook.secret,
		retry: {
			initialDelayMs: config.webhook.retryBaseMs,
			maxDelayMs: config.webhook.retryMaxMs,
			maxAttempts: config.webhook.maxAttempts,
			timeoutMs: config.webhook.timeoutMs,
		},
	};
}

function domainSettings(config: Config): DomainSettings {
	return {
		...DEFAULT_DOMAIN_SETTINGS,
		joinWindowMs: config.timeouts.applicantLinkTtlMs,
		maxWaitMs: config.timeouts.waitingExpiryMs,
		graceMs: config.timeouts.gracePeriodMs,
		challengeTtlMs: config.timeouts.challengeTtlMs,
		invitationTtlMs: config.timeouts.interpreterInvitationTtlMs,
		defaultWaitEstimateMs: config.timeouts.defaultWaitEstimateMs,
		unsupportedRegions: config.unsupportedRegions,
		reviewedApprovals: config.approvalsNeedReview,
	};
}

/**
 * The budgets that outlive a connection, from the per-connection rate: a participant may spend ten
 * seconds' worth of it in any ten seconds however often it reconnects; one client address (a NAT may
 * hold a whole office) ten times that; and an address may open HANDSHAKES_PER_MINUTE connections a
 * minute.
 */
function sharedSocketLimits(stores: Stores, ratePerSecond: number) {
	return {
		participant: stores.limiter('participant', { points: ratePerSecond * 10, durationSeconds: 10 }),
		address: stores.limiter('address', { points: ratePerSecond * 100, durationSeconds: 10 }),
		handshakes: stores.limiter('handshakes', { points: HANDSHAKES_PER_MINUTE, durationSeconds: 60 }),
	};
}
