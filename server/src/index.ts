// Process lifecycle only: read config, start the service, stop it cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.ts';
import { describeDemo } from './http/api/demoVerification.ts';
import { createLogger } from './logger.ts';
import { Service } from './Service.ts';
import { JournalCorruptError } from './store/chain.ts';

function refuseToStart(message: string, exitCode: number): never {
	process.stderr.write(`vidverify: ${message}\n`);
	process.exit(exitCode);
}

let config: ReturnType<typeof loadConfig>;
try {
	config = loadConfig();
} catch (error) {
	if (error instanceof ConfigError) refuseToStart(error.message, 2);
	throw error;
}

const logger = createLogger(config);
if (config.developmentSecrets) {
	const { file, created, apiKey, webhookSecret, operatorKey } = config.developmentSecrets;
	const operator = operatorKey ? `  Operator key:   ${operatorKey} (for /operator)\n` : '';
	// Written to the terminal, never through the logger: logs are shipped, and secrets must not be.
	process.stdout.write(
		created
			? `\nvidverify: development mode — not for production. Generated secrets are stored in ${file} (mode 0600).\n  Host API key:   ${apiKey}\n  Webhook secret: ${webhookSecret}\n${operator}\n`
			: `vidverify: development mode — not for production. Secrets come from ${file}${operatorKey ? ' (the operator key of /operator is its operatorKey)' : ''}.\n`,
	);
}

let service: Service;
try {
	service = await Service.create(config, logger);
} catch (error) {
	logger.flush();
	if (error instanceof ConfigError) refuseToStart(error.message, 2);
	if (error instanceof JournalCorruptError) {
		refuseToStart(
			`the journal is damaged and the service will not start on it: ${error.message}\n` +
				'Restore DATA_DIR from a backup, or inspect the named record; nothing has been changed.',
			3,
		);
	}
	logger.fatal({ err: error }, 'could not start');
	process.exitCode = 1;
	logger.flush();
	throw error;
}
const { url } = await service.listen();
// In Redis mode the rebuild runs once Redis is reachable, after listening; a damaged journal found then
// stops the process just as it would at start in embedded mode.
service.whenStarted().catch((error: unknown) => {
	logger.flush();
	if (error instanceof JournalCorruptError) {
		refuseToStart(`the journal in Redis is damaged and the service will not run on it: ${error.message}`, 3);
	}
	logger.fatal({ err: error }, 'could not start');
	logger.flush();
	process.exit(1);
});
logger.info(
	{ url, environment: config.environment, mediaWorkers: config.media.workerCount },
	`vidverify is running: open ${url}`,
);
const { tryVerification } = service;
if (tryVerification) {
	// A newcomer can try a call from the terminal alone. Written there, never through the logger: the
	// links carry tokens. A failure to start at all is reported by the handler above.
	service.whenStarted().then(
		async () => {
			try {
				const demo = await tryVerification({ variant: 'standard' });
				process.stdout.write(
					`\nvidverify: try a verification on this machine — open ${url} and press Try, or open these two links:\n\n` +
						`${describeDemo({ ...demo, purpose: 'c2c_video', interpreter: false })}\n`,
				);
			} catch (error) {
				logger.warn({ err: error }, 'could not create the demo verification');
			}
		},
		() => undefined,
	);
}

let stopping = false;
async function stop(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	logger.info({ signal }, 'shutting down');
	const timer = setTimeout(() => {
		logger.error('shutdown took too long; exiting');
		process.exit(1);
	}, config.shutdownTimeoutMs);
	timer.unref();
	await service.close();
	logger.info('stopped');
	logger.flush();
}

// Not once: the same signal may come twice (from a process group and from a launcher passing it on), and a
// second one must not cut the orderly stop short; the shutdown timeout bounds a stop that hangs.
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
