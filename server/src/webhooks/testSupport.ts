// What the webhook outbox tests share: a journal in memory, a host platform's endpoint that answers
// as a test scripts it, a logger that can be read back, events, and the outboxes and endpoints a test
// opened, closed after it (closeOpened).
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { expect, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { GENESIS_HASH, type Journal, type JournalEntry, type JournalRecord } from '../store/Journal.ts';
import { WebhookOutbox, type WebhookOutboxOptions } from './WebhookOutbox.ts';
import type { WebhookEvent } from './webhookAttempt.ts';

export const secret = 'whsec-outbox-test';
export const fastRetry = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 10, timeoutMs: 5_000 };

/** A journal held in memory, for tests that need to read back every record quickly. */
export class MemoryJournal implements Journal {
	readonly records: JournalRecord[] = [];
	closed = false;

	async append(entry: JournalEntry): Promise<JournalRecord> {
		if (this.closed) throw new Error('journal closed');
		const prevHash = this.records.at(-1)?.hash ?? GENESIS_HASH;
		const seq = this.records.length + 1;
		const at = new Date().toISOString();
		const hash = createHash('sha256')
			.update(prevHash + JSON.stringify({ seq, at, ...entry }))
			.digest('hex');
		const record = { ...structuredClone(entry), seq, at, prevHash, hash };
		this.records.push(record);
		return record;
	}
	async *readAll(): AsyncIterable<JournalRecord> {
		yield* this.records;
	}
	async readVerification(verificationId: string): Promise<JournalRecord[]> {
		return this.records.filter((record) => record.verificationId === verificationId);
	}
	async verify() {
		return { ok: true as const, records: this.records.length, lastHash: this.records.at(-1)?.hash ?? GENESIS_HASH };
	}
	async close(): Promise<void> {
		this.closed = true;
	}

	webhookRecords(): Array<{ type: string; verificationId: string | undefined; data: Record<string, unknown> }> {
		return this.records
			.filter((record) => record.type.startsWith('webhook.'))
			.map(({ type, verificationId, data }) => ({ type, verificationId, data }));
	}
}

export type Received = { headers: IncomingHttpHeaders; body: string };
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/** A host platform's endpoint: records every request and answers as the test scripts it. */
export class Receiver {
	readonly requests: Received[] = [];
	readonly #server: Server;
	readonly #held: ServerResponse[] = [];
	#answer: (request: Received, index: number) => Answer;
	#waiters: Array<() => void> = [];
	#inFlight = 0;
	maxInFlight = 0;

	static async start(answer: (request: Received, index: number) => Answer, port = 0): Promise<Receiver> {
		const receiver = new Receiver(answer);
		receiver.#server.listen(port, '127.0.0.1');
		await once(receiver.#server, 'listening');
		return receiver;
	}

	private constructor(answer: (request: Received, index: number) => Answer) {
		this.#answer = answer;
		this.#server = createServer((request, response) => {
			this.#inFlight += 1;
			this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
			response.on('close', () => {
				this.#inFlight -= 1;
			});
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const received = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
				this.requests.push(received);
				const answer = this.#answer(received, this.requests.length - 1);
				if (answer === 'hang') {
					this.#held.push(response);
				} else {
					response.writeHead(answer.status, answer.headers).end('{"detail":"response bodies are never kept"}');
				}
				for (const wake of this.#waiters.splice(0)) wake();
			});
		});
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/hooks/vidverify`;
	}

	/** Answers every request held so far with status. */
	releaseHeld(status: number): void {
		for (const response of this.#held.splice(0)) response.writeHead(status).end();
	}

	answerWith(answer: (request: Received, index: number) => Answer): void {
		this.#answer = answer;
	}

	/** Resolves once at least count requests have arrived (the suite's timeout bounds the wait). */
	async waitForRequests(count: number): Promise<void> {
		while (this.requests.length < count) {
			await new Promise<void>((resolve) => this.#waiters.push(resolve));
		}
	}

	async stop(): Promise<void> {
		for (const response of this.#held.splice(0)) response.destroy();
		this.#server.closeAllConnections();
		this.#server.close();
		await once(this.#server, 'close');
	}
}

/** A logger whose lines the test can read back. */
export function capturingLogger(): { logger: Logger; lines: string[]; entries: () => Array<Record<string, unknown>> } {
	const lines: string[] = [];
	const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
	return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

export function makeEvent(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
	return {
		eventId: `evt_${randomUUID()}`,
		type: 'verification.decided',
		verificationId: `ver_${randomUUID()}`,
		occurredAt: new Date().toISOString(),
		payload: { state: 'decided', decision: 'approved', reasonCodes: [] },
		...overrides,
	};
}

const opened: Array<{ close(): Promise<void> }> = [];

/** Keeps resource to be closed after the test, in the reverse order of opening. */
export function closeAfterTest<T extends { close(): Promise<void> }>(resource: T): T {
	opened.push(resource);
	return resource;
}

/** For afterEach: undoes the test's mocks and closes what it opened. */
export async function closeOpened(): Promise<void> {
	vi.restoreAllMocks();
	for (const resource of opened.splice(0).reverse()) await resource.close();
}

export async function openOutbox(options: Partial<WebhookOutboxOptions> & { journal: Journal }): Promise<WebhookOutbox> {
	const outbox = await WebhookOutbox.create({
		url: undefined,
		secret,
		logger: pino({ level: 'silent' }),
		retry: fastRetry,
		...options,
	});
	return closeAfterTest(outbox);
}

export async function startReceiver(answer: (request: Received, index: number) => Answer, port?: number): Promise<Receiver> {
	const receiver = await Receiver.start(answer, port);
	closeAfterTest({ close: () => receiver.stop() });
	return receiver;
}

export async function settled(outbox: WebhookOutbox): Promise<void> {
	await vi.waitFor(async () => expect(await outbox.countPending()).toBe(0), { timeout: 20_000, interval: 5 });
}

/** A port on which nothing listens (yet): connections to it are refused. */
export async function freePort(): Promise<number> {
	const server = createServer().listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	server.close();
	await once(server, 'close');
	return port;
}
