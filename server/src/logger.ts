// Structured logging (pino). Secrets and personal data are redacted at the logger so no call site
// can leak them by accident: tokens, authorization headers, secrets, document numbers.
import { type Logger, pino } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

const REDACTED_PATHS = [
	'token',
	'*.token',
	'applicantToken',
	'*.applicantToken',
	'authorization',
	'*.authorization',
	'headers.authorization',
	'req.headers.authorization',
	'secret',
	'*.secret',
	'apiKey',
	'*.apiKey',
	'documentNumber',
	'*.documentNumber',
	'auth.token',
	'handshake.auth.token',
	// Join links carry their token in the fragment (the top-level `url` is the service's own address).
	'*.url',
	'applicantUrl',
	'*.applicantUrl',
	'agentUrl',
	'*.agentUrl',
];

export function createLogger(config: Pick<Config, 'log'>): Logger {
	return pino({
		level: config.log.level,
		base: { service: 'vidverify' },
		redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
		timestamp: pino.stdTimeFunctions.isoTime,
		...(config.log.format === 'pretty'
			? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } }
			: {}),
	});
}
