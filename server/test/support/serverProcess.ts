// Starts the real vidverify server as a child process (as `npm start` does; used by the server's
// integration tests and by the browser journeys), on a free loopback port
// with its own data directory, and reads the URL it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type RunningServer = {
	url: string;
	dataDir: string;
	process: ChildProcess;
	/** Everything the process wrote to stdout and stderr so far. */
	output: () => string;
	stop: () => Promise<void>;
};

export async function startServer(environment: Record<string, string> = {}): Promise<RunningServer> {
	const dataDir = environment.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-e2e-'));
	const child = spawn(process.execPath, [path.join(repositoryRoot, 'server', 'bin', 'vidverify.mjs')], {
		cwd: repositoryRoot,
		env: {
			// The test's own Redis (REDIS_URL) is for the tests; a server uses Redis only when asked to.
			...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'REDIS_URL')),
			NODE_ENV: 'test',
			HOST: '127.0.0.1',
			PORT: '0',
			LOG_FORMAT: 'json',
			LOG_LEVEL: 'info',
			MEDIA_WORKERS: '1',
			DATA_DIR: dataDir,
			...environment,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the server did not start within 30 s:\n${output}`)), 30_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			for (const line of output.split('\n')) {
				if (!line.startsWith('{')) continue;
				try {
					const record = JSON.parse(line) as { url?: string; msg?: string };
					if (record.url && record.msg?.startsWith('vidverify is running')) {
						clearTimeout(timer);
						resolve(record.url);
					}
				} catch {
					// a partial line; the rest comes with the next chunk
				}
			}
		});
		child.stderr?.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the server exited with ${code} before it was ready:\n${output}`));
		});
	});
	return {
		url,
		dataDir,
		process: child,
		output: () => output,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
