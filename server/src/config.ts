// The service's configuration: the only module that reads process.env. Every variable is validated
// at start; the process refuses to start on a bad value and names the variable.
import { createPrivateKey } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PURPOSES, type Purpose, purposeSchema } from '@vidverify/shared';
import { z } from 'zod';
import { type ApiKeySetting, parseApiKeySetting } from './auth/ApiKeys.ts';
import { loadOrCreateDevelopmentSecrets } from './auth/developmentSecrets.ts';
import { turnUrlProblem } from './media/turnCredentials.ts';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const commaList = z.string().transform((value) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item.length > 0),
);

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const positiveInteger = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const secret = z.string().min(32, 'must be at least 32 characters');
/** A secret whose variable may be set but empty (compose's `${NAME:-}`), which means none. */
const optionalSecret = z
	.literal('')
	.transform(() => undefined)
	.or(secret)
	.optional();
// Each entry is a key, or a key with its own rate: `KEY:RATE/BURST` (see auth/ApiKeys.ts).
const apiKeySetting = z.string().transform((entry, context): ApiKeySetting => {
	const parsed = parseApiKeySetting(entry);
	if ('error' in parsed) {
		context.addIssue({ code: 'custom', message: parsed.error });
		return z.NEVER;
	}
	if (parsed.key.length < 16) {
		context.addIssue({ code: 'custom', message: 'each key must be at least 16 characters' });
		return z.NEVER;
	}
	return parsed;
});
const apiKeyList = commaList.pipe(z.array(apiKeySetting).min(1, 'must name at least one key'));
// Operators often pass a PEM through an env file on one line, with its newlines written as \n.
const ecPrivateKey = z
	.string()
	.transform((value) => value.replaceAll('\\n', '\n'))
	.refine(
		(pem) => {
			try {
				const key = createPrivateKey(pem);
				return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
			} catch {
				return false;
			}
		},
		{ message: 'must be a PEM private key on the P-256 curve (ES256)' },
	);

// Which peers may tell us the client's address in X-Forwarded-For. Off, a number of proxy hops in
// front of the service, or the proxies' addresses and subnets (and proxy-addr's names for whole
// ranges). Trusting every peer is not offered: it would let any client choose its own address.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const proxyAddress = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(PROXY_RANGE_NAMES)]);
const trustProxy = z
	.string()
	.trim()
	.transform((value, context): false | number | string[] => {
		if (value === '' || value === 'false' || value === 'off' || value === '0') return false;
		if (/^\d+$/.test(value)) return Number(value);
		const entries = value
			.split(',')
			.map((item) => item.trim())
			.filter((item) => item.length > 0);
		const wrong = entries.filter((entry) => !proxyAddress.safeParse(entry).success);
		if (wrong.length > 0 || entries.length === 0) {
			context.addIssue({
				code: 'custom',
				message: `must be off, a hop count, or a comma list of proxy addresses or subnets (not ${wrong.join(', ') || value}); 'true' is refused because it trusts every peer`,
			});
			return z.NEVER;
		}
		return entries;
	});

const retentionDays = z.coerce
	.number()
	.positive()
	.max(100 * 366);
const retentionEntry = z.string().transform((entry, context): [Purpose, number] => {
	const [purpose, days, ...rest] = entry.split('=');
	const parsedPurpose = purposeSchema.safeParse(purpose?.trim());
	const parsedDays = retentionDays.safeParse(days?.trim());
	if (rest.length > 0 || !parsedPurpose.success || !parsedDays.success) {
		context.addIssue({ code: 'custom', message: `"${entry}" is not <purpose>=<days> (purposes: ${PURPOSES.join(', ')})` });
		return z.NEVER;
	}
	return [parsedPurpose.data, parsedDays.data];
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY_MS = 24 * HOUR;

const environmentSchema = z
	.object({
		NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
		HOST: z.string().min(1).default('127.0.0.1'),
		PORT: port.default(3000),
		PUBLIC_URL: z.url().optional(),
		LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
		LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
		DATA_DIR: z.string().min(1).default(path.join(repositoryRoot, 'data')),
		CLIENT_DIST_DIR: z
			.string()
			.min(1)
			.default(path.join(repositoryRoot, 'client', 'dist')),
		CORS_ORIGINS: commaList.default([]),
		TRUST_PROXY: trustProxy.default(false),
		CSP_CONNECT_ORIGINS: commaList
			.pipe(z.array(z.url({ protocol: /^https?$/, error: 'each must be an http: or https: origin' })))
			.default([]),
		MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
		MEDIA_LISTEN_IP: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
		MEDIA_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
		RTC_MIN_PORT: port.default(40000),
		RTC_MAX_PORT: port.default(49999),
		MEDIA_SELF_CHECK: flag.optional(),
		TRY_PAGE: flag.optional(),
		SELF_CHECK_MAX_CHECKS: positiveInteger(8),
		SELF_CHECK_MAX_CHECKS_PER_ADDRESS: positiveInteger(2),
		SELF_CHECK_MAX_CONNECTIONS_PER_ADDRESS: positiveInteger(4),
		SELF_CHECK_RATE_PER_SECOND: positiveInteger(10),
		SELF_CHECK_RATE_BURST: positiveInteger(20),
		SELF_CHECK_IDLE_MS: milliseconds(15_000),
		MEDIA_PORT: port.optional(),
		QUALITY_SAMPLE_MS: z.coerce.number().int().min(250).max(60_000).default(3000),
		TURN_URLS: commaList
			.pipe(
				z.array(
					z.string().superRefine((url, context) => {
						const problem = turnUrlProblem(url);
						if (problem) context.addIssue({ code: 'custom', message: problem });
					}),
				),
			)
			.default([]),
		TURN_SECRET: secret.optional(),
		TURN_CREDENTIAL_TTL_MS: z.coerce
			.number()
			.int()
			.min(60_000)
			.default(6 * 60 * 60_000),
		SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
		METRICS_PORT: port.optional(),
		METRICS_HOST: z.string().min(1).optional(),
		METRICS_TOKEN: optionalSecret,
		OPERATOR_KEY: optionalSecret,

		API_KEYS: apiKeyList.optional(),
		JWT_SECRET: secret.optional(),
		DOCUMENT_HASH_SECRET: secret.optional(),
		OUTCOME_SIGNING_KEY: ecPrivateKey.optional(),
		WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
		WEBHOOK_SECRET: secret.optional(),
		WEBHOOK_RETRY_BASE_MS: milliseconds(1_000),
		WEBHOOK_RETRY_MAX_MS: milliseconds(60 * MINUTE),
		WEBHOOK_MAX_ATTEMPTS: positiveInteger(36),
		WEBHOOK_TIMEOUT_MS: milliseconds(10_000),
		REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
		REDIS_KEY_PREFIX: z
			.string()
			.regex(/^[\w.:-]{1,64}$/, "must be 1-64 of letters, digits and _ . : -, such as 'vv:'")
			.default('vv:'),
		REDIS_PROCESS_TTL_MS: z.coerce.number().int().min(2000).default(10_000),

		GRACE_PERIOD_MS: milliseconds(30_000),
		WAITING_EXPIRY_MS: milliseconds(30 * MINUTE),
		APPLICANT_LINK_TTL_MS: milliseconds(2 * HOUR),
		// Short, since a stolen one works until it expires or is revoked; the open console refreshes it.
		AGENT_TOKEN_TTL_MS: milliseconds(15 * MINUTE),
		// A sign-in's longest life through refreshes (a shift); after it the host mints a new agent link.
		AGENT_SIGN_IN_MAX_MS: milliseconds(12 * HOUR),
		INTERPRETER_INVITATION_TTL_MS: milliseconds(15 * MINUTE),
		CHALLENGE_TTL_MS: milliseconds(2 * MINUTE),
		DEFAULT_WAIT_ESTIMATE_MS: milliseconds(2 * MINUTE),
		QUEUE_UPDATE_INTERVAL_MS: z.coerce.number().int().min(10).max(5000).default(200),
		// How often a grown journal is signed (a checkpoint) besides at every outcome: bundles prove records
		// against the first checkpoint after them, so this bounds how much a proof has to step over.
		CHECKPOINT_INTERVAL_MS: z.coerce
			.number()
			.int()
			.min(100)
			.max(24 * HOUR)
			.default(MINUTE),
		UNSUPPORTED_REGIONS: commaList.default([]),
		// The purposes whose approvals a reviewer confirms (four-eyes), e.g. `c2c_video,identity_reset`.
		APPROVALS_NEED_REVIEW: commaList
			.pipe(z.array(purposeSchema, { error: `each must be a purpose (${PURPOSES.join(', ')})` }))
			.default([]),
		// Retention (privacy/Retention.ts): days after a verification ended until its personal data is erased,
		// per purpose ("c2c_video=365,identity_reset=1825"; a purpose not named is kept until the host
		// erases it), and until its keyed document hashes no longer serve the duplicate check.
		PERSONAL_DATA_RETENTION_DAYS: commaList.pipe(z.array(retentionEntry)).default([]),
		DOCUMENT_HASH_RETENTION_DAYS: retentionDays.default(365),

		HTTP_BODY_LIMIT_BYTES: positiveInteger(16 * 1024),
		HTTP_RATE_PER_SECOND: positiveInteger(50),
		HTTP_RATE_BURST: positiveInteger(200),
		API_KEY_RATE_PER_SECOND: positiveInteger(200),
		API_KEY_RATE_BURST: positiveInteger(1000),
		SOCKET_RATE_PER_SECOND: positiveInteger(20),
		SOCKET_RATE_BURST: positiveInteger(40),
		SOCKET_FLOOD_DISCONNECT_AFTER: positiveInteger(40),
	})
	.refine((env) => env.RTC_MIN_PORT <= env.RTC_MAX_PORT, {
		path: ['RTC_MAX_PORT'],
		message: 'must be greater than or equal to RTC_MIN_PORT',
	})
	.refine((env) => !(env.TRY_PAGE === true && env.NODE_ENV === 'production'), {
		path: ['TRY_PAGE'],
		message: 'cannot be on when NODE_ENV=production: it hands out agent links to anyone, without an API key',
	})
	.refine((env) => env.TURN_URLS.length === 0 || env.TURN_SECRET !== undefined, {
		path: ['TURN_SECRET'],
		message: "is required with TURN_URLS (the TURN server's shared secret, e.g. coturn's static-auth-secret)",
	});

export type Config = {
	environment: 'development' | 'production' | 'test';
	host: string;
	port: number;
	/** Base of every link handed out; derived from host and port when not set. */
	publicUrl: string | undefined;
	log: { level: string; format: 'json' | 'pretty' };
	dataDir: string;
	clientDistDir: string;
	corsOrigins: string[];
	/**
	 * The proxies whose X-Forwarded-For names the client (express's 'trust proxy'): false ignores the
	 * header, a number trusts that many hops, a list trusts those addresses and subnets.
	 */
	trustProxy: false | number | string[];
	/**
	 * Origins besides this process's own that the web client may open connections to (the CSP's
	 * connect-src): in Redis mode, the other processes' PUBLIC_URL, where a call's media may be served.
	 */
	connectOrigins: string[];
	media: {
		workerCount: number;
		listenIp: string;
		announcedAddress: string | undefined;
		rtcMinPort: number;
		rtcMaxPort: number;
		/** The connection check page (camera through the SFU and back) without any token. */
		selfCheck: boolean;
		/** What one process and one client address may hold of the connection check, and for how long idle. */
		selfCheckLimits: {
			maxChecks: number;
			maxChecksPerAddress: number;
			maxConnectionsPerAddress: number;
			requestRatePerSecond: number;
			requestBurst: number;
			idleMs: number;
		};
		/**
		 * WebRTC port of the first worker (UDP and TCP; worker i uses port + i); undefined lets each
		 * worker take a free port from the RTC range.
		 */
		port: number | undefined;
		/** How often each call's media quality is sampled and sent to its agent. */
		qualitySampleMs: number;
		/** The TURN relay browsers may use when nothing else gets through; undefined when none is set. */
		turn: { urls: string[]; secret: string; credentialTtlMs: number } | undefined;
	};
	/**
	 * The landing page's "try a verification on this machine" and its endpoint, which create a demo
	 * verification and agent without an API key; `npm start` prints such a pair too. Development only.
	 */
	tryPage: boolean;
	shutdownTimeoutMs: number;
	/**
	 * GET /metrics (Prometheus): on a port of its own when `port` is set (at `host`), else on the
	 * service's port; `token`, when set, is required wherever it is served. Undefined when neither
	 * METRICS_PORT nor METRICS_TOKEN is set: no metrics are served.
	 */
	metrics: { port: number | undefined; host: string; token: string | undefined } | undefined;
	/**
	 * The operator view's key (OPERATOR_KEY, or the development secrets' own): GET /api/operator/overview
	 * answers only a request bearing it. Undefined: there is no operator endpoint (404).
	 */
	operatorKey: string | undefined;
	secrets: {
		/** Host API keys, any one of which opens /api/v1, each with its own rate when it has one. */
		apiKeys: ApiKeySetting[];
		/** HS256 key of participant tokens (applicant, agent, interpreter). */
		jwtSecret: string;
		/** HMAC key under which document numbers are kept (only their keyed hash is stored). */
		documentHashSecret: string;
		/** PEM of the P-256 private key that signs outcomes (ES256); its public half is served. */
		outcomeSigningKey: string;
	};
	webhook: {
		url: string | undefined;
		secret: string;
		/** Upper bound of the first retry's delay (full jitter); each later bound doubles up to retryMaxMs. */
		retryBaseMs: number;
		retryMaxMs: number;
		maxAttempts: number;
		timeoutMs: number;
	};
	/**
	 * Redis mode: several processes share the journal, the live state and socket.io's rooms through one
	 * Redis. Undefined runs the embedded store in DATA_DIR (one process).
	 */
	redis:
		| {
				url: string;
				keyPrefix: string;
				/**
				 * A process silent this long (no heartbeat) is taken for dead: another process ends its
				 * participants' connections, which starts their grace periods.
				 */
				processTtlMs: number;
		  }
		| undefined;
	timeouts: {
		gracePeriodMs: number;
		waitingExpiryMs: number;
		applicantLinkTtlMs: number;
		agentTokenTtlMs: number;
		agentSignInMaxMs: number;
		interpreterInvitationTtlMs: number;
		challengeTtlMs: number;
		/** The estimated wait per queue position before any wait has been measured. */
		defaultWaitEstimateMs: number;
		/** At most one queue update this often: the queue's movements are folded into one (QueueUpdates). */
		queueUpdateIntervalMs: number;
		/** A grown journal is signed this often besides at every outcome (audit/Checkpoints.ts). */
		checkpointIntervalMs: number;
	};
	/** How long personal data and keyed document hashes are kept after a verification ended (privacy/Retention.ts). */
	retention: { personalDataMs: Partial<Record<Purpose, number>>; documentHashMs: number };
	/** Region codes (upper case) the service is not offered in; a verification stating one is refused. */
	unsupportedRegions: string[];
	/** The purposes whose approvals a reviewer confirms: the agent's approval puts them in review. */
	approvalsNeedReview: Purpose[];
	limits: {
		httpBodyBytes: number;
		/** Host API requests per second and burst per client address, of requests without a valid API key. */
		httpRatePerSecond: number;
		httpRateBurst: number;
		/** Host API requests per second and burst of an API key without a rate of its own. */
		apiKeyRatePerSecond: number;
		apiKeyRateBurst: number;
		socketRatePerSecond: number;
		socketRateBurst: number;
		/** Refused requests in a row after which a flooding socket is disconnected. */
		socketFloodDisconnectAfter: number;
	};
	/** Set when secrets came from DATA_DIR/dev-secrets.json (never in production). */
	developmentSecrets:
		| {
				file: string;
				created: boolean;
				apiKey: string;
				webhookSecret: string;
				/** The generated operator key, when it is the one in use (no OPERATOR_KEY). */
				operatorKey: string | undefined;
		  }
		| undefined;
};

const SECRET_VARIABLES = ['API_KEYS', 'JWT_SECRET', 'DOCUMENT_HASH_SECRET', 'OUTCOME_SIGNING_KEY', 'WEBHOOK_SECRET'] as const;

export class ConfigError extends Error {
	override name = 'ConfigError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
	const parsed = environmentSchema.safeParse(environment);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
		throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
	}
	const env = parsed.data;
	const interactive = process.stdout.isTTY === true;
	const dataDir = path.resolve(env.DATA_DIR);

	const missing = SECRET_VARIABLES.filter((name) => env[name] === undefined);
	if (env.NODE_ENV === 'production' && missing.length > 0) {
		throw new ConfigError(
			`invalid configuration:\n${missing.map((name) => `  ${name}: required when NODE_ENV=production`).join('\n')}`,
		);
	}
	const development = missing.length > 0 ? loadOrCreateDevelopmentSecrets(dataDir) : undefined;
	const generated = development?.secrets;
	const apiKeys = env.API_KEYS ?? (generated ? [{ key: generated.apiKey }] : []);
	const pick = (given: string | undefined, fallback: string | undefined) => {
		const value = given ?? fallback;
		if (value === undefined) throw new TypeError('a secret is missing after development defaults');
		return value;
	};

	return {
		environment: env.NODE_ENV,
		host: env.HOST,
		port: env.PORT,
		publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
		log: {
			level: env.LOG_LEVEL,
			format: env.LOG_FORMAT ?? (interactive && env.NODE_ENV !== 'production' ? 'pretty' : 'json'),
		},
		dataDir,
		clientDistDir: path.resolve(env.CLIENT_DIST_DIR),
		corsOrigins: env.CORS_ORIGINS,
		trustProxy: env.TRUST_PROXY,
		connectOrigins: env.CSP_CONNECT_ORIGINS.map((url) => new URL(url).origin),
		media: {
			workerCount: env.MEDIA_WORKERS ?? os.availableParallelism(),
			listenIp: env.MEDIA_LISTEN_IP,
			announcedAddress: env.MEDIA_ANNOUNCED_ADDRESS,
			rtcMinPort: env.RTC_MIN_PORT,
			rtcMaxPort: env.RTC_MAX_PORT,
			selfCheck: env.MEDIA_SELF_CHECK ?? env.NODE_ENV !== 'production',
			selfCheckLimits: {
				maxChecks: env.SELF_CHECK_MAX_CHECKS,
				maxChecksPerAddress: env.SELF_CHECK_MAX_CHECKS_PER_ADDRESS,
				maxConnectionsPerAddress: env.SELF_CHECK_MAX_CONNECTIONS_PER_ADDRESS,
				requestRatePerSecond: env.SELF_CHECK_RATE_PER_SECOND,
				requestBurst: env.SELF_CHECK_RATE_BURST,
				idleMs: env.SELF_CHECK_IDLE_MS,
			},
			port: env.MEDIA_PORT,
			qualitySampleMs: env.QUALITY_SAMPLE_MS,
			turn:
				env.TURN_URLS.length > 0 && env.TURN_SECRET !== undefined
					? { urls: env.TURN_URLS, secret: env.TURN_SECRET, credentialTtlMs: env.TURN_CREDENTIAL_TTL_MS }
					: undefined,
		},
		tryPage: env.TRY_PAGE ?? env.NODE_ENV === 'development',
		shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
		metrics:
			env.METRICS_PORT === undefined && env.METRICS_TOKEN === undefined
				? undefined
				: { port: env.METRICS_PORT, host: env.METRICS_HOST ?? env.HOST, token: env.METRICS_TOKEN },
		operatorKey: env.OPERATOR_KEY ?? generated?.operatorKey,
		secrets: {
			apiKeys,
			jwtSecret: pick(env.JWT_SECRET, generated?.jwtSecret),
			documentHashSecret: pick(env.DOCUMENT_HASH_SECRET, generated?.documentHashSecret),
			outcomeSigningKey: pick(env.OUTCOME_SIGNING_KEY, generated?.outcomeSigningKey),
		},
		webhook: {
			url: env.WEBHOOK_URL,
			secret: pick(env.WEBHOOK_SECRET, generated?.webhookSecret),
			retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
			retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
			maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
			timeoutMs: env.WEBHOOK_TIMEOUT_MS,
		},
		redis:
			env.REDIS_URL === undefined
				? undefined
				: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX, processTtlMs: env.REDIS_PROCESS_TTL_MS },
		timeouts: {
			gracePeriodMs: env.GRACE_PERIOD_MS,
			waitingExpiryMs: env.WAITING_EXPIRY_MS,
			applicantLinkTtlMs: env.APPLICANT_LINK_TTL_MS,
			agentTokenTtlMs: env.AGENT_TOKEN_TTL_MS,
			agentSignInMaxMs: Math.max(env.AGENT_SIGN_IN_MAX_MS, env.AGENT_TOKEN_TTL_MS),
			interpreterInvitationTtlMs: env.INTERPRETER_INVITATION_TTL_MS,
			challengeTtlMs: env.CHALLENGE_TTL_MS,
			defaultWaitEstimateMs: env.DEFAULT_WAIT_ESTIMATE_MS,
			queueUpdateIntervalMs: env.QUEUE_UPDATE_INTERVAL_MS,
			checkpointIntervalMs: env.CHECKPOINT_INTERVAL_MS,
		},
		retention: {
			personalDataMs: Object.fromEntries(
				env.PERSONAL_DATA_RETENTION_DAYS.map(([purpose, days]) => [purpose, Math.round(days * DAY_MS)]),
			),
			documentHashMs: Math.round(env.DOCUMENT_HASH_RETENTION_DAYS * DAY_MS),
		},
		unsupportedRegions: env.UNSUPPORTED_REGIONS.map((region) => region.toUpperCase()),
		approvalsNeedReview: [...new Set(env.APPROVALS_NEED_REVIEW)],
		limits: {
			httpBodyBytes: env.HTTP_BODY_LIMIT_BYTES,
			httpRatePerSecond: env.HTTP_RATE_PER_SECOND,
			httpRateBurst: env.HTTP_RATE_BURST,
			apiKeyRatePerSecond: env.API_KEY_RATE_PER_SECOND,
			apiKeyRateBurst: env.API_KEY_RATE_BURST,
			socketRatePerSecond: env.SOCKET_RATE_PER_SECOND,
			socketRateBurst: env.SOCKET_RATE_BURST,
			socketFloodDisconnectAfter: env.SOCKET_FLOOD_DISCONNECT_AFTER,
		},
		developmentSecrets: development && {
			file: development.file,
			created: development.created,
			apiKey: development.secrets.apiKey,
			webhookSecret: development.secrets.webhookSecret,
			operatorKey: env.OPERATOR_KEY === undefined ? development.secrets.operatorKey : undefined,
		},
	};
}
