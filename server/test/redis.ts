// Starts a real redis-server on a free loopback port for tests (or uses REDIS_URL when given), with
// the persistence settings the README asks operators to use (AOF, appendfsync everysec).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type TestRedis = { url: string; stop: () => Promise<void> };

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
		const open = await new Promise<boolean>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => {
				socket.end();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startRedis(options: { dir?: string; port?: number } = {}): Promise<TestRedis> {
	const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-redis-'));
	const port = options.port ?? (await freePort());
	const child = spawn(
		'redis-server',
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--appendonly',
			'yes',
			'--appendfsync',
			'everysec',
			'--save',
			'',
			'--protected-mode',
			'yes',
			'--loglevel',
			'warning',
		],
		{ stdio: ['ignore', 'ignore', 'inherit'] },
	);
	await new Promise<void>((resolve, reject) => {
		child.once('spawn', () => resolve());
		child.once('error', (error) =>
			reject(new Error(`could not start redis-server (${error.message}); install Debian's redis-server package`)),
		);
	});
	await waitForPort(port, child, 10_000);
	return {
		url: `redis://127.0.0.1:${port}`,
		stop: () =>
			new Promise<void>((resolve) => {
				// Killed with a signal (a test's SIGKILL), it has a signal code and no exit code.
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
