// The queue's notifications over real socket.io: simultaneous consents cost a number of notifications
// that grows with the number of consents, not with its square; each waiting applicant hears of its
// place only when it changed; agents get a few coalesced views whose last one is whole. With two real
// processes on one real Redis, an applicant on one hears of a move made on the other.
import { randomUUID } from 'node:crypto';
import { CONSENT_VERSION, type QueueStatus } from '@vidverify/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	type Applicant,
	availableAgent,
	createApplicant,
	eventually,
	notification,
	type ParticipantSocket,
	received,
	request,
	ServerProcess,
	send,
	startService,
	type TestService,
	temporaryDataDir,
	testEnvironment,
} from './harness.ts';

const WAITING = 60;

/**
 * Resolves once everything the server sent this socket before now has arrived: a request the server
 * refuses is answered after them, on the same connection.
 */
async function delivered(socket: ParticipantSocket): Promise<void> {
	const answer = await send(socket, 'noSuchRequest' as never, {});
	expect(answer.ok).toBe(false);
}

/** What an applicant was last shown of its place: its latest notification, else its consent's answer. */
function shownPlace(applicant: Applicant, consented: QueueStatus | null): QueueStatus | null {
	return received(applicant.socket, 'queuePositionChanged').at(-1) ?? consented;
}

describe('queue updates, one process', () => {
	let server: TestService;

	beforeAll(async () => {
		// A long tick, so that the whole burst below falls in a few of them even on a busy machine.
		server = await startService({ env: { QUEUE_UPDATE_INTERVAL_MS: '1000' } });
	});

	afterAll(async () => {
		await server?.close();
	});

	it(`${WAITING} simultaneous consents tell each applicant its place at most once and each agent a few views, the last one whole`, async () => {
		const agents = [await availableAgent(server.url, server.api), await availableAgent(server.url, server.api)];
		const applicants: Applicant[] = [];
		for (let index = 0; index < WAITING; index += 1) applicants.push(await createApplicant(server.url, server.api));

		const answers = await Promise.all(
			applicants.map((applicant) => request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION })),
		);
		await server.service.verifications.whenQueueTold();
		await Promise.all([...applicants, ...agents].map((participant) => delivered(participant.socket)));

		const placeNotices = applicants.map((applicant) => received(applicant.socket, 'queuePositionChanged'));
		// Only one told of its place while its consent was being answered may hear it once more.
		for (const notices of placeNotices) expect(notices.length).toBeLessThanOrEqual(1);
		const places = await Promise.all(
			applicants.map(async (applicant) => (await request(applicant.socket, 'getState', {})).queue),
		);
		expect(places.map((place) => place?.position).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
			Array.from({ length: WAITING }, (_, index) => index + 1),
		);
		for (const [index, applicant] of applicants.entries()) {
			expect(shownPlace(applicant, answers[index]?.queue ?? null)?.position).toBe(places[index]?.position);
		}

		for (const agent of agents) {
			const views = received(agent.socket, 'queueUpdated');
			// Coalesced: one per tick that had moves, where one per consent used to be sent.
			expect(views.length).toBeGreaterThan(0);
			expect(views.length).toBeLessThan(WAITING / 4);
			expect(views.at(-1)?.items).toHaveLength(WAITING);
		}

		// The front leaves: everyone behind it moves up one, and is told so once.
		const front = applicants[places.findIndex((place) => place?.position === 1)];
		if (!front) throw new Error('nobody is first');
		// The snapshots just read may each have asked for the place to be told again: that is done first.
		await server.service.verifications.whenQueueTold();
		await Promise.all(applicants.map((applicant) => delivered(applicant.socket)));
		const before = new Map(applicants.map((applicant, index) => [applicant, places[index]?.position ?? 0]));
		const counts = new Map(applicants.map((applicant) => [applicant, received(applicant.socket, 'queuePositionChanged').length]));
		await request(front.socket, 'cancel', {});
		await server.service.verifications.whenQueueTold();
		await Promise.all(applicants.map((applicant) => delivered(applicant.socket)));
		for (const applicant of applicants) {
			if (applicant === front) continue;
			const notices = received(applicant.socket, 'queuePositionChanged');
			expect(notices).toHaveLength((counts.get(applicant) ?? 0) + 1);
			expect(notices.at(-1)).toMatchObject({ position: (before.get(applicant) ?? 0) - 1, queueLength: WAITING - 1 });
		}
		expect(received(front.socket, 'queuePositionChanged')).toHaveLength(counts.get(front) ?? 0);

		for (const participant of [...applicants, ...agents]) participant.socket.close();
		// Sixty applicants created and connected one by one take a while on a busy machine; nothing here is timed.
	}, 120_000);
});

describe('queue updates, two processes on one Redis', () => {
	const processes: ServerProcess[] = [];

	beforeAll(async () => {
		const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `queue-${randomUUID()}:` };
		processes.push(...(await Promise.all([0, 1].map(() => ServerProcess.start(testEnvironment(temporaryDataDir(), env))))));
		for (const server of processes) await eventually(async () => ((await fetch(`${server.url}/readyz`)).ok ? true : undefined));
	}, 120_000);

	afterAll(async () => {
		for (const server of processes) await server.stop();
	});

	it('tell an applicant connected to one process that it moved up when an agent on the other takes the one before it', async () => {
		const [a, b] = processes;
		if (!a || !b) throw new Error('two processes expected');
		const first = await createApplicant(a.url, a.api);
		const second = await createApplicant(a.url, a.api);
		await request(first.socket, 'consent', { consentVersion: CONSENT_VERSION });
		const waiting = await request(second.socket, 'consent', { consentVersion: CONSENT_VERSION });
		expect(waiting.queue).toMatchObject({ position: 2 });

		const agent = await availableAgent(b.url, b.api);
		await request(agent.socket, 'accept', { verificationId: first.verificationId });
		expect(await notification(second.socket, 'queuePositionChanged', (place) => place.position === 1)).toMatchObject({
			position: 1,
			queueLength: 1,
		});
		for (const socket of [first.socket, second.socket, agent.socket]) socket.close();
	});
});
