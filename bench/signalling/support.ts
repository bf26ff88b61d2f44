// What the signalling benchmarks share: a real server in a child process (benchServer.ts) whose own
// CPU time and memory they read over IPC, participants over real socket.io, the host API over real
// HTTP, and the line format of a figure. Figures are per CPU-second of the process doing the work,
// never per wall second: the machines that run them are shared.
//
//   BENCH_SECONDS            length of each measuring window where a benchmark has one (default 2)
//   BENCH_SERVER_REVISION    measure the server of this git revision (a clean copy of it) instead of
//                            the work tree's, e.g. HEAD while the work tree holds someone's unfinished edit
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	PROTOCOL_VERSION,
	VERIFICATION_NAMESPACE,
	type VerificationClientToServerEvents,
	type VerificationServerToClientEvents,
} from '@vidverify/shared';
import { io, type Socket } from 'socket.io-client';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Made up for each run: the benchmark is both the server's operator and its host platform. */
const SECRETS = {
	API_KEYS: `bench-${randomBytes(16).toString('hex')}`,
	JWT_SECRET: randomBytes(32).toString('hex'),
	WEBHOOK_SECRET: randomBytes(32).toString('hex'),
	DOCUMENT_HASH_SECRET: randomBytes(32).toString('hex'),
	OUTCOME_SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString(),
};

export function benchSeconds(): number {
	const seconds = Number(process.env.BENCH_SECONDS ?? 2);
	if (!(seconds > 0)) throw new TypeError('BENCH_SECONDS must be a positive number');
	return seconds;
}

/** One figure, in the line format `npm run bench` collects. */
export function printFigure(id: string, description: string, value: number, unit: string, digits = 0): void {
	console.log(`${id} ${description}: ${value.toFixed(digits)} ${unit}`);
}

/** Progress and notes, on stderr: stdout is for figures. */
export function note(message: string): void {
	process.stderr.write(`  ${message}\n`);
}

export type Usage = {
	cpu: NodeJS.CpuUsage;
	memory: NodeJS.MemoryUsage;
	workers: { pid: number; cpuMs: number; rssBytes: number | null }[];
};

/** The server's CPU seconds between two readings. */
export function serverCpuSeconds(before: Usage, after: Usage): number {
	return (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1e6;
}

/** The media workers' CPU seconds between two readings. */
export function workerCpuSeconds(before: Usage, after: Usage): number {
	const sum = (usage: Usage) => usage.workers.reduce((total, worker) => total + worker.cpuMs, 0);
	return (sum(after) - sum(before)) / 1000;
}

/**
 * Settings that let one benchmark client stand for many people: request budgets out of the way, and
 * X-Forwarded-For trusted from loopback, so that each simulated person counts against an address of
 * its own instead of all of them against 127.0.0.1's handshake budget.
 */
const BENCH_ENV = {
	...SECRETS,
	NODE_ENV: 'test',
	HOST: '127.0.0.1',
	PORT: '0',
	LOG_LEVEL: 'silent',
	TRUST_PROXY: 'loopback',
	API_KEY_RATE_PER_SECOND: '1000000',
	API_KEY_RATE_BURST: '1000000',
	HTTP_RATE_PER_SECOND: '1000000',
	HTTP_RATE_BURST: '1000000',
	SOCKET_RATE_PER_SECOND: '1000000',
	SOCKET_RATE_BURST: '1000000',
	GRACE_PERIOD_MS: '600000',
	MEDIA_WORKERS: '1',
};

export class BenchServer {
	readonly url: string;
	readonly api: HostApi;
	readonly child: ChildProcess;
	readonly dataDir: string;

	/** `root`: another checkout to load the server from (see revisionTree()). */
	static async start(options: { env?: Record<string, string>; root?: string } = {}): Promise<BenchServer> {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-bench-'));
		const env: Record<string, string | undefined> = { ...process.env, ...BENCH_ENV, DATA_DIR: dataDir, ...options.env };
		const root = options.root ?? defaultRoot();
		if (root) env.BENCH_SERVER_ROOT = root;
		const child = fork(fileURLToPath(new URL('./benchServer.ts', import.meta.url)), [], {
			env,
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
		});
		const url = await new Promise<string>((resolve, reject) => {
			child.once('message', (message: { type?: string; url?: string }) => {
				if (message.type === 'listening' && message.url) resolve(message.url);
			});
			child.once('exit', (code) => reject(new Error(`the bench server exited with ${code} before listening`)));
		});
		return new BenchServer(child, url, dataDir);
	}

	private constructor(child: ChildProcess, url: string, dataDir: string) {
		this.child = child;
		this.url = url;
		this.api = new HostApi(url);
		this.dataDir = dataDir;
	}

	/** collect: after a full garbage collection, for memory figures (it costs CPU: not in a CPU window). */
	usage(options: { collect?: boolean } = {}): Promise<Usage> {
		return new Promise((resolve) => {
			const onMessage = (message: { type?: string } & Usage) => {
				if (message.type !== 'usage') return;
				this.child.off('message', onMessage);
				resolve(message);
			};
			this.child.on('message', onMessage);
			this.child.send({ type: 'usage', collect: options.collect ?? false });
		});
	}

	async stop(): Promise<void> {
		if (this.child.exitCode === null) {
			const exited = new Promise((resolve) => this.child.once('exit', resolve));
			this.child.send({ type: 'stop' });
			await exited;
		}
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}

/** The host platform's side of the API, over real HTTP. */
export class HostApi {
	readonly #baseUrl: string;

	constructor(baseUrl: string) {
		this.#baseUrl = baseUrl;
	}

	async post<T>(pathname: string, body: unknown): Promise<{ status: number; body: T }> {
		const response = await fetch(`${this.#baseUrl}/api/v1${pathname}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${SECRETS.API_KEYS}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
	}
}

export type Participant = Socket<VerificationServerToClientEvents, VerificationClientToServerEvents> & {
	/** Notifications received, by name. */
	heard: Map<string, number>;
};

let nextAddress = 0;
/** When any participant last heard a notification. */
let lastHeardAt = 0;

/** A made-up client address for one simulated person (only ever a header value; nothing is sent to it). */
function simulatedAddress(): string {
	nextAddress += 1;
	return `198.18.${Math.floor(nextAddress / 250) % 250}.${(nextAddress % 250) + 1}`;
}

/** A participant's socket.io connection, counting what it hears. */
export function connectParticipant(url: string, token: string): Promise<Participant> {
	const socket = io(`${url}${VERIFICATION_NAMESPACE}`, {
		auth: { token, protocolVersion: PROTOCOL_VERSION },
		transports: ['websocket'],
		forceNew: true,
		reconnection: false,
		extraHeaders: { 'x-forwarded-for': simulatedAddress() },
	}) as Participant;
	socket.heard = new Map();
	socket.onAny((name: string) => {
		socket.heard.set(name, (socket.heard.get(name) ?? 0) + 1);
		lastHeardAt = performance.now();
	});
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error) => {
			socket.close();
			reject(error);
		});
	});
}

/** Resolves once no participant has heard anything for quietMs (and `until`, if given, holds). */
export async function quiet(quietMs: number, until: () => boolean = () => true): Promise<void> {
	for (;;) {
		if (until() && performance.now() - lastHeardAt >= quietMs) return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Sends a request and resolves with its data; rejects on an error acknowledgement. */
export function request<T = unknown>(socket: Participant, name: string, payload: unknown = {}): Promise<T> {
	const emit = socket.emit as unknown as (event: string, payload: unknown, ack: (answer: unknown) => void) => void;
	return new Promise((resolve, reject) => {
		emit.call(socket, name, payload, (answer) => {
			const ack = answer as { ok: boolean; data?: T; error?: { code: string; message: string } };
			if (ack.ok) resolve(ack.data as T);
			else reject(new Error(`${name}: ${ack.error?.code} ${ack.error?.message}`));
		});
	});
}

/** Runs task for each item, `concurrency` at a time. */
export async function inBatches<T, R>(
	items: T[],
	concurrency: number,
	task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, items.length) }, async () => {
			while (next < items.length) {
				const index = next;
				next += 1;
				results[index] = await task(items[index] as T, index);
			}
		}),
	);
	return results;
}

export function percentile(sortedMs: number[], fraction: number): number {
	if (sortedMs.length === 0) return Number.NaN;
	return sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))] ?? Number.NaN;
}

/** The token a join or agent link carries in its fragment. */
export function tokenOf(link: string): string {
	return new URL(link).hash.slice(1);
}

/**
 * A clean copy of a git revision, laid out to run with this checkout's installed packages (its own
 * workspaces as @vidverify/*, everything else linked): to measure another revision's server, such as
 * the one before a change, in the same run.
 */
export function revisionTree(revision: string): { root: string; remove(): void } {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-bench-tree-'));
	const archive = execFileSync('git', ['archive', revision], { cwd: repositoryRoot, maxBuffer: 256 * 1024 * 1024 });
	execFileSync('tar', ['-x', '-C', root], { input: archive });
	const modules = path.join(root, 'node_modules');
	fs.mkdirSync(path.join(modules, '@vidverify'), { recursive: true });
	for (const entry of fs.readdirSync(path.join(repositoryRoot, 'node_modules'))) {
		if (entry === '@vidverify') continue;
		fs.symlinkSync(path.join(repositoryRoot, 'node_modules', entry), path.join(modules, entry));
	}
	for (const workspace of fs.readdirSync(path.join(repositoryRoot, 'node_modules', '@vidverify'))) {
		if (fs.existsSync(path.join(root, workspace))) {
			fs.symlinkSync(path.join(root, workspace), path.join(modules, '@vidverify', workspace));
		}
	}
	return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

let revisionRoot: string | undefined;

/** The tree BENCH_SERVER_REVISION names, made once and removed when the benchmark ends. */
function defaultRoot(): string | undefined {
	const revision = process.env.BENCH_SERVER_REVISION;
	if (!revision) return undefined;
	if (!revisionRoot) {
		const tree = revisionTree(revision);
		revisionRoot = tree.root;
		process.on('exit', () => tree.remove());
	}
	return revisionRoot;
}
