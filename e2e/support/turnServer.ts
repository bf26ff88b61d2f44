// A real coturn (Debian's turnserver) for the journeys that relay media, with the shared-secret
// credentials the server hands out, and the scripts that make a page use only relayed candidates
// (as behind a firewall that blocks the media ports) or none at all.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';

export type TurnServer = { port: number; process: ChildProcess; log: () => string; stop: () => Promise<void> };

export type TurnOptions = {
	port: number;
	secret: string;
	/** The ports coturn relays from, not shared with another relay running at the same time. */
	relayPorts: { min: number; max: number };
	/** TURN over TLS on `tls.port` only: no plain UDP or TCP listener at all. */
	tls?: { port: number; certificate: string; key: string };
};

export async function startTurn(options: TurnOptions): Promise<TurnServer> {
	let output = '';
	const listeners = options.tls
		? [
				`--tls-listening-port=${options.tls.port}`,
				`--cert=${options.tls.certificate}`,
				`--pkey=${options.tls.key}`,
				'--no-udp',
				'--no-tcp',
			]
		: ['--no-tls'];
	const turn = spawn(
		'turnserver',
		[
			'-n',
			'--listening-ip=127.0.0.1',
			`--listening-port=${options.port}`,
			...listeners,
			'--relay-ip=127.0.0.1',
			`--min-port=${options.relayPorts.min}`,
			`--max-port=${options.relayPorts.max}`,
			'--use-auth-secret',
			`--static-auth-secret=${options.secret}`,
			'--realm=vidverify',
			'--fingerprint',
			'--no-dtls',
			'--no-cli',
			// The media server is on this machine too; a real deployment keeps loopback peers denied.
			'--allow-loopback-peers',
			'--log-file=stdout',
			'--simple-log',
			'--verbose',
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	turn.stdout?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	turn.stderr?.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	await expect.poll(() => output.includes('Total General servers') || turn.exitCode !== null, { timeout: 15_000 }).toBe(true);
	if (turn.exitCode !== null) throw new Error(`turnserver exited with ${turn.exitCode}:\n${output}`);
	return {
		port: options.tls?.port ?? options.port,
		process: turn,
		log: () => output,
		stop: () =>
			new Promise<void>((resolve) => {
				if (turn.exitCode !== null) return resolve();
				turn.once('exit', () => resolve());
				turn.kill('SIGTERM');
			}),
	};
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1 (EC P-256, valid a day), made with openssl
 * for one test run; nothing a browser trusts on its own.
 */
export function selfSignedCertificate(): { certificate: string; key: string; directory: string } {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-tls-'));
	const certificate = path.join(directory, 'turn.crt');
	const key = path.join(directory, 'turn.key');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			key,
			'-out',
			certificate,
			'-days',
			'1',
			'-subj',
			'/CN=localhost',
			'-addext',
			'subjectAltName=DNS:localhost,IP:127.0.0.1',
		],
		{ stdio: 'pipe' },
	);
	return { certificate, key, directory };
}

/** Runs in a page first: every peer connection may only use relayed candidates. */
export function relayOnly(): void {
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		constructor(configuration?: RTCConfiguration) {
			super({ ...configuration, iceTransportPolicy: 'relay' });
		}
	};
}

/** Runs in a page first: peer connections get no TURN server (this side connects directly). */
export function withoutRelay(): void {
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		constructor(configuration?: RTCConfiguration) {
			super({ ...configuration, iceServers: [] });
		}
	};
}
