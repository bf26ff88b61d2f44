// The server as an operator runs it: a real process with real mediasoup workers, health and
// readiness over HTTP, and a clean stop on SIGTERM/SIGINT that leaves no worker process behind.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { unsupportedNodeReason } from '../bin/nodeVersion.mjs';
import { startServer } from './support/serverProcess.ts';

function childPids(pid: number): number[] {
	try {
		return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
			.split('\n')
			.map((line) => Number(line.trim()))
			.filter((value) => value > 0);
	} catch {
		return [];
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('the server process', () => {
	test.each(['SIGTERM', 'SIGINT'] as const)(
		'answers /healthz and /readyz, then stops on %s with no mediasoup worker left running',
		async (signal) => {
			const server = await startServer({ MEDIA_WORKERS: '2' });
			const pid = server.process.pid as number;
			try {
				const health = await fetch(`${server.url}/healthz`);
				expect(health.status).toBe(200);
				expect(await health.json()).toEqual({ status: 'ok' });

				const ready = await fetch(`${server.url}/readyz`);
				expect(ready.status).toBe(200);
				expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mediaWorkers: true, dataDir: true } });

				const workers = childPids(pid);
				expect(workers).toHaveLength(2);

				const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
				server.process.kill(signal);
				expect(await exited).toBe(0);
				for (const worker of workers) expect(alive(worker), `worker ${worker} is gone`).toBe(false);
			} finally {
				await server.stop();
			}
		},
	);

	test('stops cleanly when SIGTERM comes twice, as from a launcher and its process group at once', async () => {
		const server = await startServer({ MEDIA_WORKERS: '1' });
		try {
			const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
			server.process.kill('SIGTERM');
			// The second one while the first is being handled: the stop has begun.
			await new Promise((resolve) => setTimeout(resolve, 5));
			server.process.kill('SIGTERM');
			expect(await exited).toBe(0);
		} finally {
			await server.stop();
		}
	});

	test('refuses to start with a configuration error that names the variable', async () => {
		await expect(startServer({ RTC_MIN_PORT: '50000', RTC_MAX_PORT: '40000' })).rejects.toThrow(/RTC_MAX_PORT/);
		await expect(startServer({ PORT: 'eighty' })).rejects.toThrow(/PORT/);
	});
});

describe('unsupportedNodeReason()', () => {
	test('refuses Node 20 and 22.17 with a message that says how to get Node 24', () => {
		expect(unsupportedNodeReason('20.20.2', '/usr/bin/node')).toMatch(
			/needs Node\.js 22\.18 or newer.*v20\.20\.2 at \/usr\/bin\/node/s,
		);
		expect(unsupportedNodeReason('v22.17.0')).toMatch(/npm start/);
	});

	test('accepts Node 22.18, 24 and later', () => {
		expect(unsupportedNodeReason('22.18.0')).toBeUndefined();
		expect(unsupportedNodeReason('24.21.0')).toBeUndefined();
		expect(unsupportedNodeReason('26.1.0')).toBeUndefined();
	});
});
