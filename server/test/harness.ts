// What the integration tests share: a real vidverify service (in this process, or a separate server
// process that can be killed), a typed host API client over real HTTP, typed socket.io clients for
// participants, and a real HTTP server standing in for the host platform's webhook receiver.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
	type Ack,
	type AgentTokenAnswer,
	CONSENT_VERSION,
	type CreateVerificationAnswer,
	type CreateVerificationBody,
	MEDIA_NAMESPACE,
	PROTOCOL_VERSION,
	VERIFICATION_NAMESPACE,
	type VerificationClientToServerEvents,
	type VerificationNotifications,
	type VerificationRequestName,
	type VerificationRequestPayload,
	type VerificationResponses,
	type VerificationServerToClientEvents,
	type WireError,
} from '@vidverify/shared';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../src/config.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { Service } from '../src/Service.ts';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TEST_SECRETS = {
	apiKey: 'test-api-key-0123456789abcdef',
	jwtSecret: 'test-jwt-secret-0123456789abcdef0123456789',
	webhookSecret: 'test-webhook-secret-0123456789abcdef0123',
	documentHashSecret: 'test-document-hash-secret-0123456789abcdef',
	outcomeSigningKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
		.privateKey.export({ type: 'pkcs8', format: 'pem' })
		.toString(),
};

export function temporaryDataDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-test-'));
}

/** The environment of a test server: fixed secrets, one media worker, fast webhook retries. */
export function testEnvironment(dataDir: string, overrides: Record<string, string> = {}): Record<string, string> {
	return {
		NODE_ENV: 'test',
		HOST: '127.0.0.1',
		PORT: '0',
		DATA_DIR: dataDir,
		LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
		LOG_FORMAT: 'json',
		MEDIA_WORKERS: '1',
		API_KEYS: TEST_SECRETS.apiKey,
		JWT_SECRET: TEST_SECRETS.jwtSecret,
		WEBHOOK_SECRET: TEST_SECRETS.webhookSecret,
		DOCUMENT_HASH_SECRET: TEST_SECRETS.documentHashSecret,
		OUTCOME_SIGNING_KEY: TEST_SECRETS.outcomeSigningKey,
		WEBHOOK_RETRY_BASE_MS: '50',
		WEBHOOK_RETRY_MAX_MS: '200',
		WEBHOOK_TIMEOUT_MS: '2000',
		...overrides,
	};
}

export type TestService = { service: Service; url: string; dataDir: string; api: HostApiClient; close(): Promise<void> };

/** `logger` replaces the one the environment describes, e.g. to capture what the service logs. */
export async function startService(
	options: { dataDir?: string; env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestService> {
	const dataDir = options.dataDir ?? temporaryDataDir();
	const config = loadConfig(testEnvironment(dataDir, options.env));
	const service = await Service.create(config, options.logger ?? createLogger(config));
	const { url } = await service.listen();
	return { service, url, dataDir, api: new HostApiClient(url), close: () => service.close() };
}

export type HttpAnswer<T = unknown> = { status: number; headers: Headers; body: T };

/** The host platform's side of the API, over real HTTP. */
export class HostApiClient {
	readonly baseUrl: string;
	readonly apiKey: string;

	constructor(baseUrl: string, apiKey = TEST_SECRETS.apiKey) {
		this.baseUrl = baseUrl;
		this.apiKey = apiKey;
	}

	async request<T = unknown>(
		method: string,
		pathname: string,
		options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
	): Promise<HttpAnswer<T>> {
		const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, ...options.headers };
		let body: string | undefined = options.rawBody;
		if (options.body !== undefined) body = JSON.stringify(options.body);
		if (body !== undefined) headers['content-type'] ??= 'application/json';
		const response = await fetch(`${this.baseUrl}/api/v1${pathname}`, { method, headers, body });
		const text = await response.text();
		return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
	}

	get<T = unknown>(pathname: string): Promise<HttpAnswer<T>> {
		return this.request<T>('GET', pathname);
	}

	post<T = unknown>(pathname: string, body: unknown): Promise<HttpAnswer<T>> {
		return this.request<T>('POST', pathname, { body });
	}
}

export type ParticipantSocket = Socket<VerificationServerToClientEvents, VerificationClientToServerEvents>;

/** Thrown by connect when the server refuses the connection; `error` is what the server sent. */
export class ConnectRefused extends Error {
	readonly error: WireError;
	constructor(error: WireError) {
		super(`connection refused: ${error.code}: ${error.message}`);
		this.error = error;
	}
}

export function openSocket(
	url: string,
	auth: Record<string, unknown>,
	options: { reconnection?: boolean } = {},
): ParticipantSocket {
	return io(`${url}${VERIFICATION_NAMESPACE}`, {
		auth,
		transports: ['websocket'],
		forceNew: true,
		reconnection: options.reconnection ?? false,
	});
}

/** A connected participant socket, or ConnectRefused with the server's error. */
export async function connect(
	url: string,
	token: string,
	options: { protocolVersion?: unknown; reconnection?: boolean } = {},
): Promise<ParticipantSocket> {
	const socket = openSocket(url, { token, protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION }, options);
	// Notifications that arrive before a test starts waiting for them are kept, not lost.
	recordNotifications(socket);
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error: Error & { data?: WireError }) => {
			socket.close();
			reject(error.data ? new ConnectRefused(error.data) : error);
		});
	});
}

/** A connection to the media namespace with a media ticket, or ConnectRefused with the server's error. */
export function openMediaSocket(url: string, ticket: unknown): Promise<Socket> {
	const socket = io(`${url}${MEDIA_NAMESPACE}`, {
		auth: { token: ticket, protocolVersion: PROTOCOL_VERSION },
		transports: ['websocket'],
		forceNew: true,
		reconnection: false,
	});
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', (error: Error & { data?: WireError }) => {
			socket.close();
			reject(error.data ? new ConnectRefused(error.data) : error);
		});
	});
}

/** What the server said when it refused a connection; fails when the connection was accepted. */
export async function refusal(opening: Promise<ParticipantSocket>): Promise<WireError> {
	try {
		(await opening).close();
	} catch (error) {
		if (error instanceof ConnectRefused) return error.error;
		throw error;
	}
	throw new Error('the connection was accepted');
}

/** Sends a request and resolves with the server's acknowledgement. */
export function send<N extends VerificationRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: VerificationRequestPayload<N> | Record<string, unknown>,
): Promise<Ack<VerificationResponses[N]>> {
	const emit = socket.emit as unknown as (event: string, payload: unknown, ack: (answer: unknown) => void) => void;
	return new Promise((resolve) => {
		emit.call(socket, name, payload, (answer) => resolve(answer as Ack<VerificationResponses[N]>));
	});
}

/** Sends a request and returns its data, failing the test on an error acknowledgement. */
export async function request<N extends VerificationRequestName>(
	socket: ParticipantSocket,
	name: N,
	payload: VerificationRequestPayload<N> | Record<string, unknown>,
): Promise<VerificationResponses[N]> {
	const answer = await send(socket, name, payload);
	if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code}: ${answer.error.message}`);
	return answer.data;
}

type Received = { name: string; payload: unknown; taken: boolean };
type Waiter = { name: string; predicate: (payload: unknown) => boolean; resolve: (payload: unknown) => void };
const inboxes = new WeakMap<ParticipantSocket, { received: Received[]; waiters: Waiter[] }>();

function recordNotifications(socket: ParticipantSocket): void {
	const inbox = { received: [] as Received[], waiters: [] as Waiter[] };
	inboxes.set(socket, inbox);
	socket.onAny((name: string, payload: unknown) => {
		const waiter = inbox.waiters.find((candidate) => candidate.name === name && candidate.predicate(payload));
		if (waiter) {
			inbox.waiters.splice(inbox.waiters.indexOf(waiter), 1);
			inbox.received.push({ name, payload, taken: true });
			waiter.resolve(payload);
		} else {
			inbox.received.push({ name, payload, taken: false });
		}
	});
}

/**
 * The first notification of this name (matching predicate) that this test has not taken yet, whether
 * it arrived before the call or arrives after it.
 */
export function notification<N extends keyof VerificationNotifications>(
	socket: ParticipantSocket,
	name: N,
	predicate: (payload: VerificationNotifications[N]) => boolean = () => true,
): Promise<VerificationNotifications[N]> {
	const inbox = inboxes.get(socket);
	if (!inbox) throw new TypeError('the socket was not opened with connect()');
	const matches = (payload: unknown) => predicate(payload as VerificationNotifications[N]);
	const early = inbox.received.find((entry) => !entry.taken && entry.name === name && matches(entry.payload));
	if (early) {
		early.taken = true;
		return Promise.resolve(early.payload as VerificationNotifications[N]);
	}
	return new Promise((resolve) => {
		inbox.waiters.push({ name, predicate: matches, resolve: (payload) => resolve(payload as VerificationNotifications[N]) });
	});
}

/** Every notification of this name received so far. */
export function received<N extends keyof VerificationNotifications>(
	socket: ParticipantSocket,
	name: N,
): VerificationNotifications[N][] {
	return (inboxes.get(socket)?.received ?? [])
		.filter((entry) => entry.name === name)
		.map((entry) => entry.payload as VerificationNotifications[N]);
}

export function disconnected(socket: ParticipantSocket): Promise<string> {
	if (socket.disconnected && !socket.active) return Promise.resolve('already disconnected');
	return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/** Polls until check returns a value other than undefined; the test's own timeout bounds it. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, intervalMs = 20): Promise<T> {
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

export type WebhookDelivery = { headers: http.IncomingHttpHeaders; rawBody: string; body: Record<string, unknown> };

/** The host platform's webhook endpoint: a real HTTP server that records what it receives. */
export class WebhookReceiver {
	readonly deliveries: WebhookDelivery[] = [];
	readonly #server: http.Server;
	#listeners: (() => void)[] = [];

	static async start(port = 0): Promise<WebhookReceiver> {
		const receiver = new WebhookReceiver();
		receiver.#server.listen(port, '127.0.0.1');
		await once(receiver.#server, 'listening');
		return receiver;
	}

	private constructor() {
		this.#server = http.createServer((incoming, response) => {
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.on('end', () => {
				const rawBody = Buffer.concat(chunks).toString('utf8');
				this.deliveries.push({ headers: incoming.headers, rawBody, body: JSON.parse(rawBody) as Record<string, unknown> });
				response.writeHead(204).end();
				for (const listener of this.#listeners.splice(0)) listener();
			});
		});
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/hooks/vidverify`;
	}

	/** Resolves once at least `count` deliveries have arrived. */
	async waitForDeliveries(count: number): Promise<WebhookDelivery[]> {
		while (this.deliveries.length < count) {
			await new Promise<void>((resolve) => this.#listeners.push(resolve));
		}
		return this.deliveries;
	}

	close(): Promise<void> {
		this.#server.closeAllConnections();
		return new Promise((resolve) => this.#server.close(() => resolve()));
	}
}

/** The real server binary in its own process, so a test can kill it the hard way. */
export class ServerProcess {
	readonly child: ChildProcess;
	readonly url: string;
	readonly api: HostApiClient;
	readonly #exited: Promise<number | null>;

	static async start(env: Record<string, string>): Promise<ServerProcess> {
		const child = spawn(process.execPath, [path.join(repositoryRoot, 'server', 'bin', 'vidverify.mjs')], {
			cwd: repositoryRoot,
			env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const exited = once(child, 'exit').then(([code]) => code as number | null);
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
		const url = await new Promise<string>((resolve, reject) => {
			lines.on('line', (line) => {
				if (!line.startsWith('{')) return;
				const entry = JSON.parse(line) as { url?: string; msg?: string };
				if (entry.msg?.startsWith('vidverify is running') && entry.url) resolve(entry.url);
			});
			void exited.then((code) => reject(new Error(`the server exited with ${code} before listening: ${stderr}`)));
		});
		return new ServerProcess(child, url, exited);
	}

	private constructor(child: ChildProcess, url: string, exited: Promise<number | null>) {
		this.child = child;
		this.url = url;
		this.api = new HostApiClient(url);
		this.#exited = exited;
	}

	/** SIGKILL: no shutdown code runs, exactly like a crash or a power cut. */
	async kill(): Promise<void> {
		this.child.kill('SIGKILL');
		await this.#exited;
	}

	async stop(): Promise<void> {
		this.child.kill('SIGTERM');
		await this.#exited;
	}
}

/** The token a join or agent link carries in its fragment. */
export function tokenOfLink(link: string): string {
	const token = new URL(link).hash.slice(1);
	if (!token) throw new Error(`no token in ${link}`);
	return token;
}

export type Applicant = { socket: ParticipantSocket; token: string; verificationId: string; created: CreateVerificationAnswer };

/** Creates a verification through the host API and connects its applicant. */
export async function createApplicant(
	url: string,
	api: HostApiClient,
	body: Partial<CreateVerificationBody> = {},
): Promise<Applicant> {
	const answer = await api.post<CreateVerificationAnswer>('/verifications', {
		externalUserRef: `user-${randomUUID()}`,
		purpose: 'c2c_video',
		...body,
	});
	if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
	const token = tokenOfLink(answer.body.applicantUrl);
	const socket = await connect(url, token);
	return { socket, token, verificationId: answer.body.id, created: answer.body };
}

/** Mints an agent token through the host API, connects it and makes it available. */
export async function availableAgent(
	url: string,
	api: HostApiClient,
	profile: { agentId?: string; languages?: string[]; skills?: string[] } = {},
): Promise<{ socket: ParticipantSocket; token: string; agentId: string; expiresAt: string }> {
	const agentId = profile.agentId ?? `agent-${randomUUID()}`;
	const answer = await api.post<AgentTokenAnswer>('/agent-tokens', {
		agentId,
		displayName: `Agent ${agentId.slice(0, 14)}`,
		languages: profile.languages ?? ['en', 'zh'],
		skills: profile.skills ?? [],
	});
	if (answer.status !== 201) throw new Error(`agent token failed: ${answer.status}`);
	const socket = await connect(url, answer.body.token);
	await request(socket, 'setAvailability', { availability: 'available' });
	return { socket, token: answer.body.token, agentId, expiresAt: answer.body.expiresAt };
}

/** An applicant who consented and an agent who accepted it: a call in progress. */
export async function callInProgress(url: string, api: HostApiClient, body: Partial<CreateVerificationBody> = {}) {
	const applicant = await createApplicant(url, api, body);
	await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
	const agent = await availableAgent(url, api, { skills: body.accessibility?.interpreter ? ['sign_language'] : [] });
	const snapshot = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
	return { applicant, agent, snapshot };
}
