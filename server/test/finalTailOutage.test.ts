// What a final state owes (its agent released, its outcome, its webhook) when Redis dies while it is
// being paid. Three processes' domains, each on its own connections, share one real redis-server,
// which is killed with SIGKILL at one step of the tail (the first process to reach the step kills it)
// and restarted on the same port and AOF. No process is restarted: the running ones must repair it.
// Then every final verification has its webhook at a real HTTP receiver exactly once per event id,
// the journal holds it once, and no agent is still assigned. A last case kills Redis at an arbitrary
// moment just after several decisions, as the issue measured it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONSENT_VERSION, isFinalState, type VerificationState } from '@vidverify/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentHasher } from '../src/auth/documentHash.ts';
import { type Actor, DEFAULT_DOMAIN_SETTINGS, type DomainSettings } from '../src/sessions/types.ts';
import { VerificationService } from '../src/sessions/VerificationService.ts';
import type { Journal, JournalRecord } from '../src/store/Journal.ts';
import type { LiveState } from '../src/store/LiveState.ts';
import { RedisConnection } from '../src/store/redis/RedisConnection.ts';
import { RedisJournal } from '../src/store/redis/RedisJournal.ts';
import { RedisLiveState } from '../src/store/redis/RedisLiveState.ts';
import { deleteKeys, killRedis, rawClient, silentLogger, uniqueKeyPrefix } from '../src/store/redis/testSupport.ts';
import { Receiver } from '../src/webhooks/testSupport.ts';
import { WebhookOutbox } from '../src/webhooks/WebhookOutbox.ts';
import { freePort, startRedis, type TestRedis } from './redis.ts';

/** The steps of the tail at which Redis dies, in the order a final state meets them. */
type Step =
	/** The compare-and-set of the final state (and its tail entry) is applied; nothing is journaled. */
	| 'final state written'
	/** The final state's events are journaled, the signed outcome last; the record still lists them as unjournaled. */
	| 'outcome journaled'
	/** The agent's record no longer names the verification. */
	| 'agent released'
	/** The tail hands the webhook to the outbox. */
	| 'before enqueue'
	/** The outbox journaled the event but has not created its delivery record. */
	| 'enqueue journaled';

type Ending = 'decided' | 'interrupted' | 'abandoned' | 'expired';

const STEPS_WITHOUT_AGENT: Step[] = ['final state written', 'outcome journaled', 'before enqueue', 'enqueue journaled'];
const STEPS_WITH_AGENT: Step[] = [...STEPS_WITHOUT_AGENT.slice(0, 2), 'agent released', ...STEPS_WITHOUT_AGENT.slice(2)];
const CASES: { ending: Ending; step: Step }[] = [
	...STEPS_WITH_AGENT.map((step) => ({ ending: 'decided' as const, step })),
	...STEPS_WITH_AGENT.map((step) => ({ ending: 'interrupted' as const, step })),
	...STEPS_WITHOUT_AGENT.map((step) => ({ ending: 'abandoned' as const, step })),
	...STEPS_WITHOUT_AGENT.map((step) => ({ ending: 'expired' as const, step })),
];

let redisDir: string;
let redisPort: number;
let redis: TestRedis;
let receiver: Receiver;
let keyPrefix: string;
const domains: Domain[] = [];
/** Per case: from Redis back up to the tail paid, in ms (printed at the end, not asserted). */
const recoveries: string[] = [];

beforeAll(async () => {
	// In memory where there is a tmpfs: writing every change before answering then costs the disk that
	// the other tests' Redis servers fsync to nothing.
	const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
	redisDir = fs.mkdtempSync(path.join(base, 'vidverify-final-tail-redis-'));
	redisPort = await freePort();
	redis = await startDurableRedis();
	receiver = await Receiver.start(() => ({ status: 204 }));
});

afterEach(async () => {
	for (const domain of domains.splice(0)) await domain.close();
	await deleteKeys(redis.url, keyPrefix);
});

afterAll(async () => {
	console.info(`final tail repaired after Redis came back (ms from restart to paid): ${recoveries.join('; ')}`);
	await receiver.stop();
	await redis.stop();
	fs.rmSync(redisDir, { recursive: true, force: true });
});

/** Kills Redis the first time any process reaches the armed step, and waits until it is gone. */
class RedisKiller {
	#armed: Step | undefined;
	#killed: (() => void) | undefined;
	killed: Promise<void> = Promise.resolve();

	arm(step: Step): void {
		this.#armed = step;
		this.killed = new Promise((resolve) => {
			this.#killed = resolve;
		});
	}

	async at(step: Step): Promise<void> {
		if (this.#armed !== step) return;
		this.#armed = undefined;
		await killRedis(redis.url);
		this.#killed?.();
	}
}

type Domain = {
	service: VerificationService;
	outbox: WebhookOutbox;
	journal: RedisJournal;
	live: RedisLiveState;
	close(): Promise<void>;
};

/** One server process's domain: its own connection, journal, live state and outbox, each step watched by the killer. */
async function startDomain(killer: RedisKiller, settings: Partial<DomainSettings>): Promise<Domain> {
	const connection = new RedisConnection({
		url: redis.url,
		logger: silentLogger,
		name: 'final-tail-test',
		maxReconnectDelayMs: 100,
	});
	const journal = await RedisJournal.open({ connection, keyPrefix, logger: silentLogger });
	const live = await RedisLiveState.open({ connection, keyPrefix, logger: silentLogger });
	const watchedJournal: Journal = {
		append: async (entry) => {
			const record = await journal.append(entry);
			if (entry.type === 'outcome.recorded') await killer.at('outcome journaled');
			if (entry.type === 'webhook.enqueued') await killer.at('enqueue journaled');
			return record;
		},
		readAll: () => journal.readAll(),
		readVerification: (id) => journal.readVerification(id),
		verify: () => journal.verify(),
		close: () => journal.close(),
	};
	const watchedLive = new Proxy(live, {
		get(target, property) {
			if (property === 'update') {
				const update: LiveState['update'] = async (key, expectedVersion, next, effects) => {
					const updated = await target.update(key, expectedVersion, next, effects);
					if (!updated) return updated;
					if (key.startsWith('verification:') && effects?.add?.some((entry) => entry.set === 'final-tails')) {
						await killer.at('final state written');
					}
					if (key.startsWith('agent:') && (next as { verificationId: string | null }).verificationId === null) {
						await killer.at('agent released');
					}
					return updated;
				};
				return update;
			}
			const value = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
	const outbox = WebhookOutbox.open({
		journal: watchedJournal,
		live,
		url: receiver.url,
		secret: 'whsec-final-tail-outage',
		logger: silentLogger,
		retry: { initialDelayMs: 5, maxDelayMs: 50, maxAttempts: 50, timeoutMs: 5_000 },
		pollIntervalMs: 50,
		storeReady: () => connection.whenReady(),
	});
	await outbox.whenStarted();
	const service = await VerificationService.create({
		journal: watchedJournal,
		liveState: watchedLive,
		outbox: {
			enqueue: async (event) => {
				await killer.at('before enqueue');
				return outbox.enqueue(event);
			},
		},
		logger: silentLogger,
		settings: { ...DEFAULT_DOMAIN_SETTINGS, graceMs: 60_000, ...settings },
		sweepIntervalMs: 50,
		trackConnections: true,
		signOutcome: (outcome) => `signed:${outcome.verificationId}:${outcome.state}`,
		hashDocument: documentHasher('test-secret'),
		interpreterLink: (invitation) => `https://vidverify.test/join#${invitation.invitationId}`,
	});
	const domain: Domain = {
		service,
		outbox,
		journal,
		live,
		close: async () => {
			await service.close();
			await outbox.close();
			await connection.close();
		},
	};
	domains.push(domain);
	return domain;
}

async function startDomains(killer: RedisKiller, settings: Partial<DomainSettings> = {}): Promise<Domain[]> {
	keyPrefix = uniqueKeyPrefix('final-tail');
	return [await startDomain(killer, settings), await startDomain(killer, settings), await startDomain(killer, settings)];
}

async function waitingApplicant(service: VerificationService): Promise<Actor> {
	const { verification, applicantParticipantId } = await service.createVerification({
		externalUserRef: `user-${Math.random().toString(36).slice(2)}`,
		purpose: 'c2c_video',
	});
	const applicant: Actor = { role: 'applicant', participantId: applicantParticipantId, verificationId: verification.id };
	await service.participantConnected(applicant);
	await service.handle('consent', applicant, { consentVersion: CONSENT_VERSION });
	return applicant;
}

let agentCount = 0;
async function agentInCall(service: VerificationService, verificationId: string): Promise<{ agent: Actor; agentId: string }> {
	agentCount += 1;
	const agentId = `agent-${agentCount}-${Math.random().toString(36).slice(2)}`;
	const agent: Actor = {
		role: 'agent',
		participantId: `participant-${agentId}`,
		verificationId: undefined,
		agent: { agentId, displayName: `Agent ${agentCount}`, languages: ['en', 'zh'], skills: [] },
	};
	await service.participantConnected(agent);
	await service.handle('setAvailability', agent, { availability: 'available' });
	await service.handle('accept', agent, { verificationId });
	return { agent, agentId };
}

/** A request the outage may answer UNAVAILABLE; whatever it answers, the state and its tail are checked after. */
async function regardless(request: Promise<unknown>): Promise<void> {
	await request.catch((error: unknown) => expect(error).toMatchObject({ code: 'UNAVAILABLE' }));
}

/**
 * The test's redis-server, on the same port and AOF each time, writing every change to the AOF before
 * it answers: with everysec, a busy disk can have Redis answer writes it has not written yet (for up
 * to two seconds), which SIGKILL then loses; that is Redis's own trade-off, not what is tested here.
 */
async function startDurableRedis(): Promise<TestRedis> {
	const started = await startRedis({ dir: redisDir, port: redisPort });
	const client = rawClient(started.url);
	try {
		await client.config('SET', 'appendfsync', 'always');
	} finally {
		client.disconnect();
	}
	return started;
}

async function restartRedis(): Promise<number> {
	redis = await startDurableRedis();
	return Date.now();
}

const ofType = (records: JournalRecord[], type: string) => records.filter((record) => record.type === type);
const FINAL_EVENT: Record<Ending, string> = {
	decided: 'verification.decided',
	interrupted: 'verification.ended',
	abandoned: 'verification.ended',
	expired: 'verification.ended',
};

/**
 * Waits until nothing is owed or due any more (no tail entry, no webhook due, no unjournaled change),
 * after which no process has anything left to send; then checks the verification got everything once.
 */
async function paidOnce(reader: Domain, id: string, finalEvent: string, agentId?: string): Promise<VerificationState> {
	await vi.waitFor(
		async () => {
			expect(await reader.live.size('final-tails')).toBe(0);
			expect(await reader.live.size('unjournaled')).toBe(0);
			expect(await reader.outbox.countPending()).toBe(0);
		},
		{ timeout: 20_000, interval: 50 },
	);
	const { state } = await reader.service.getVerification(id);
	expect(isFinalState(state)).toBe(true);
	const eventId = `${id}.${state}`;
	expect(
		receiver.requests
			.filter((request) => JSON.parse(request.body).verificationId === id)
			.map((request) => request.headers['vidverify-event-id']),
	).toEqual([eventId]);
	const records = await reader.journal.readVerification(id);
	expect(ofType(records, finalEvent)).toHaveLength(1);
	expect(ofType(records, 'outcome.recorded')).toHaveLength(1);
	expect(ofType(records, 'webhook.enqueued').map((record) => record.data.eventId)).toEqual([eventId]);
	expect(ofType(records, 'webhook.delivered')).toHaveLength(1);
	if (agentId) expect(await reader.service.desk.assignment(agentId)).toBeNull();
	return state;
}

describe('Redis killed at a step of the tail a final state owes, no process restarted', () => {
	it.each(CASES)('$ending, killed at "$step": the webhook arrives once and no agent stays assigned', async ({ ending, step }) => {
		const killer = new RedisKiller();
		const [a, b, c] = await startDomains(killer, ending === 'expired' ? { maxWaitMs: 300 } : {});
		if (!a || !b || !c) throw new Error('three domains expected');
		const applicant = await waitingApplicant(a.service);
		const id = applicant.verificationId ?? '';
		let agentId: string | undefined;

		if (ending === 'decided' || ending === 'interrupted') {
			const inCall = await agentInCall(b.service, id);
			agentId = inCall.agentId;
			killer.arm(step);
			if (ending === 'decided') {
				await regardless(
					b.service.handle('decide', inCall.agent, {
						decision: 'reject',
						reasonCodes: ['procedure_not_followed'],
						note: 'read the answers from a script',
					}),
				);
			} else {
				await regardless(a.service.handle('leave', applicant, {}));
			}
		} else if (ending === 'abandoned') {
			killer.arm(step);
			await regardless(c.service.handle('cancel', applicant, {}));
		} else {
			// The deadline's own timer, or any process's sweep, ends it.
			killer.arm(step);
		}
		await killer.killed;
		const backAt = await restartRedis();

		const state = await paidOnce(c, id, FINAL_EVENT[ending], agentId);
		recoveries.push(`${ending}/${step} ${Date.now() - backAt}`);
		expect(state).toBe(ending === 'decided' ? 'rejected' : ending);
	});
});

describe('Redis killed at an arbitrary moment just after several decisions, no process restarted', () => {
	it('every call ends decided, with its webhook once per event id, and no agent assigned', async () => {
		const killer = new RedisKiller();
		const all = await startDomains(killer);
		const calls: { id: string; agent: Actor; agentId: string; on: Domain }[] = [];
		for (let index = 0; index < 6; index += 1) {
			const applicant = await waitingApplicant((all[index % 3] as Domain).service);
			const on = all[(index + 1) % 3] as Domain;
			const { agent, agentId } = await agentInCall(on.service, applicant.verificationId ?? '');
			calls.push({ id: applicant.verificationId ?? '', agent, agentId, on });
		}

		const decisions = calls.map(({ on, agent }) =>
			regardless(
				on.service.handle('decide', agent, {
					decision: 'reject',
					reasonCodes: ['procedure_not_followed'],
					note: 'read the answers from a script',
				}),
			),
		);
		await new Promise((resolve) => setTimeout(resolve, 25));
		await killRedis(redis.url);
		await Promise.all(decisions);
		const backAt = await restartRedis();

		// An agent whose decision never reached Redis decides again, as a person would.
		for (const call of calls) {
			await vi.waitFor(() => call.on.service.getVerification(call.id), { timeout: 10_000, interval: 50 });
			if ((await call.on.service.getVerification(call.id)).state === 'in_call') {
				await call.on.service.handle('decide', call.agent, {
					decision: 'reject',
					reasonCodes: ['procedure_not_followed'],
					note: 'read the answers from a script',
				});
			}
		}
		for (const call of calls) {
			expect(await paidOnce(all[0] as Domain, call.id, 'verification.decided', call.agentId)).toBe('rejected');
		}
		recoveries.push(`six decisions, killed 25 ms after ${Date.now() - backAt}`);
	});
});
