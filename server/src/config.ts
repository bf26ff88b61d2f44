// The service's configuration: the only module that reads process.env. Every variable is validated
// at start; the process refuses to start on a bad value and names the variable.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const commaList = z.string().transform((value) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter((item) => item.length > 0),
);

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
		MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
		MEDIA_LISTEN_IP: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
		MEDIA_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
		RTC_MIN_PORT: port.default(40000),
		RTC_MAX_PORT: port.default(49999),
		MEDIA_SELF_CHECK: flag.optional(),
		SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
	})
	.refine((env) => env.RTC_MIN_PORT <= env.RTC_MAX_PORT, {
		path: ['RTC_MAX_PORT'],
		message: 'must be greater than or equal to RTC_MIN_PORT',
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
	media: {
		workerCount: number;
		listenIp: string;
		announcedAddress: string | undefined;
		rtcMinPort: number;
		rtcMaxPort: number;
		/** The connection check page (camera through the SFU and back) without any token. */
		selfCheck: boolean;
	};
	shutdownTimeoutMs: number;
};

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
	return {
		environment: env.NODE_ENV,
		host: env.HOST,
		port: env.PORT,
		publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
		log: {
			level: env.LOG_LEVEL,
			format: env.LOG_FORMAT ?? (interactive && env.NODE_ENV !== 'production' ? 'pretty' : 'json'),
		},
		dataDir: path.resolve(env.DATA_DIR),
		clientDistDir: path.resolve(env.CLIENT_DIST_DIR),
		corsOrigins: env.CORS_ORIGINS,
		media: {
			workerCount: env.MEDIA_WORKERS ?? os.availableParallelism(),
			listenIp: env.MEDIA_LISTEN_IP,
			announcedAddress: env.MEDIA_ANNOUNCED_ADDRESS,
			rtcMinPort: env.RTC_MIN_PORT,
			rtcMaxPort: env.RTC_MAX_PORT,
			selfCheck: env.MEDIA_SELF_CHECK ?? env.NODE_ENV !== 'production',
		},
		shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
	};
}
