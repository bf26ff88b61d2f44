// Process lifecycle only: read config, start the service, stop it cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { Service } from './Service.ts';

let config: ReturnType<typeof loadConfig>;
try {
	config = loadConfig();
} catch (error) {
	if (error instanceof ConfigError) {
		process.stderr.write(`vidverify: ${error.message}\n`);
		process.exit(2);
	}
	throw error;
}

const logger = createLogger(config);
let service: Service;
try {
	service = await Service.create(config, logger);
} catch (error) {
	logger.fatal({ err: error }, 'could not start');
	process.exitCode = 1;
	logger.flush();
	throw error;
}
const { url } = await service.listen();
logger.info(
	{ url, environment: config.environment, mediaWorkers: config.media.workerCount },
	`vidverify is running: open ${url}`,
);

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

process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
