import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
	type CallQualitySummary,
	CONSENT_VERSION,
	type CreateVerificationBody,
	ErrorCode,
	type ReviewRequestName,
	type ReviewRequestPayload,
	reviewNotificationSchemas,
	reviewResponseSchemas,
	type StepId,
	type VerificationRequestName,
	type VerificationRequestPayload,
	type VerificationResponses,
	verificationNotificationSchemas,
	verificationResponseSchemas,
	verificationViewSchema,
} from '@vidverify/shared';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentHasher } from '../auth/documentHash.ts';
import { EmbeddedJournal } from '../store/embedded/EmbeddedJournal.ts';
import type { Journal, JournalEntry, JournalRecord } from '../store/Journal.ts';
import { MemoryLiveState } from '../store/memory/MemoryLiveState.ts';
import { WebhookOutbox } from '../webhooks/WebhookOutbox.ts';
import { type Actor, type AgentProfile, DEFAULT_DOMAIN_SETTINGS, type DomainSettings, type Notification } from './types.ts';
import { VerificationService } from './VerificationService.ts';

const silent = pino({ level: 'silent' });
const notificationSchemas = { ...verificationNotificationSchemas, ...reviewNotificationSchemas };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One service over a real journal in a temporary folder; restart() opens both again on the same folder. */
class World {
	dataDir = '';
	journal!: EmbeddedJournal;
	outbox!: WebhookOutbox;
	service!: VerificationService;
	notifications: Notification[] = [];
	settings: DomainSettings;
	randomValues: number[] = [];
	/** What the media layer would have measured of any call. */
	callQuality: CallQualitySummary | null = null;
	liveState = new MemoryLiveState();
	sweepIntervalMs: number | undefined;
	/** The services' appends that it picks fail, as a disk error or a store gone away would. */
	failAppend: ((entry: JournalEntry) => boolean) | undefined;
	/** Reads of a verification's records held until this many are in flight at once, so that repairs overlap. */
	overlapReads = 0;
	readonly #heldReads: (() => void)[] = [];
	readonly #others: VerificationService[] = [];

	constructor(settings: Partial<DomainSettings>) {
		this.settings = { ...DEFAULT_DOMAIN_SETTINGS, ...settings };
	}

	/** The journal as the services see it: the real one, but for failAppend and readDelayMs. */
	#serviceJournal(): Journal {
		const journal = this.journal;
		return {
			append: (entry) => (this.failAppend?.(entry) ? Promise.reject(new Error('EIO: i/o error, write')) : journal.append(entry)),
			readAll: () => journal.readAll(),
			readVerification: async (id) => {
				if (this.overlapReads > 0) {
					await new Promise<void>((resolve) => {
						this.#heldReads.push(resolve);
						if (this.#heldReads.length < this.overlapReads) return;
						this.overlapReads = 0;
						for (const release of this.#heldReads.splice(0)) release();
					});
				}
				return journal.readVerification(id);
			},
			verify: () => journal.verify(),
			close: () => journal.close(),
		};
	}

	#createService(clock?: () => Date): Promise<VerificationService> {
		return VerificationService.create({
			journal: this.#serviceJournal(),
			liveState: this.liveState,
			outbox: this.outbox,
			logger: silent,
			settings: this.settings,
			clock,
			sweepIntervalMs: this.sweepIntervalMs,
			randomInt: (max) => {
				const next = this.randomValues.shift();
				return next === undefined ? Math.floor(Math.random() * max) : next % max;
			},
			signOutcome: (outcome) => `signed:${outcome.verificationId}:${outcome.state}`,
			hashDocument: documentHasher('test-secret'),
			interpreterLink: (invitation) => `https://vidverify.test/join#invitation-${invitation.invitationId}`,
			callQuality: () => this.callQuality,
		});
	}

	/** A second process on the same live state, journal and outbox (its own clock, say one ahead). */
	async otherService(clock?: () => Date): Promise<VerificationService> {
		const other = await this.#createService(clock);
		this.#others.push(other);
		return other;
	}

	/** Every record of the journal, of one verification's webhook included. */
	async allRecords(): Promise<JournalRecord[]> {
		const records: JournalRecord[] = [];
		for await (const record of this.journal.readAll()) records.push(record);
		return records;
	}

	async start(): Promise<this> {
		this.dataDir ||= await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-domain-'));
		this.journal = await EmbeddedJournal.open({ dataDir: this.dataDir, logger: silent });
		this.outbox = await WebhookOutbox.create({ journal: this.journal, url: undefined, secret: '', logger: silent });
		this.service = await this.#createService();
		this.service.on('notification', (notification) => {
			// Every notification must be what the protocol promises, or clients would reject it.
			notificationSchemas[notification.name].parse(notification.payload);
			this.notifications.push(notification);
		});
		return this;
	}

	/** A request as the transport makes it; the answer must match the protocol's response schema. */
	async handle<N extends VerificationRequestName>(
		name: N,
		actor: Actor,
		payload: VerificationRequestPayload<N>,
	): Promise<VerificationResponses[N]> {
		const answer = await this.service.handle(name, actor, payload);
		verificationResponseSchemas[name].parse(answer);
		return answer;
	}

	async stop(): Promise<void> {
		for (const other of this.#others.splice(0)) await other.close();
		await this.service.close();
		await this.outbox.close();
		await this.journal.close();
	}

	async restart(): Promise<void> {
		await this.stop();
		this.notifications = [];
		this.liveState = new MemoryLiveState();
		await this.start();
	}

	async destroy(): Promise<void> {
		await this.stop();
		await fs.rm(this.dataDir, { recursive: true, force: true });
	}

	async records(verificationId: string): Promise<JournalRecord[]> {
		return this.journal.readVerification(verificationId);
	}

	/** Notifications of one name that a given participant would receive. */
	received(name: Notification['name'], who: Actor): unknown[] {
		return this.notifications
			.filter((notification) => notification.name === name)
			.filter(({ audience }) =>
				'participantId' in audience
					? audience.participantId === who.participantId
					: 'reviewers' in audience
						? who.agent?.permissions?.includes('review') === true
						: (who.verificationId === undefined || audience.verificationId === who.verificationId) &&
							(audience.roles === undefined || audience.roles.includes(who.role)),
			)
			.map((notification) => notification.payload);
	}

	async createApplicant(body: Partial<CreateVerificationBody> = {}): Promise<Actor> {
		const { verification, applicantParticipantId } = await this.service.createVerification({
			externalUserRef: `user-${Math.random().toString(36).slice(2)}`,
			purpose: 'c2c_video',
			...body,
		});
		const applicant: Actor = { role: 'applicant', participantId: applicantParticipantId, verificationId: verification.id };
		await this.service.participantConnected(applicant);
		return applicant;
	}

	async waitingApplicant(body: Partial<CreateVerificationBody> = {}): Promise<Actor> {
		const applicant = await this.createApplicant(body);
		await this.service.handle('consent', applicant, { consentVersion: CONSENT_VERSION });
		return applicant;
	}

	async availableAgent(profile: Partial<AgentProfile> = {}): Promise<Actor> {
		const agentId = profile.agentId ?? `agent-${Math.random().toString(36).slice(2)}`;
		const agent: Actor = {
			role: 'agent',
			participantId: `participant-${agentId}`,
			verificationId: undefined,
			agent: { agentId, displayName: `Agent ${agentId}`, languages: ['en', 'zh'], skills: [], ...profile },
		};
		await this.service.participantConnected(agent);
		await this.service.handle('setAvailability', agent, { availability: 'available' });
		return agent;
	}

	/** An applicant in a call with an agent; the agent actor carries the verification id for notification matching. */
	async inCall(body: Partial<CreateVerificationBody> = {}, profile: Partial<AgentProfile> = {}) {
		const applicant = await this.waitingApplicant(body);
		const agent = await this.availableAgent(profile);
		await this.service.handle('accept', agent, { verificationId: applicant.verificationId });
		// The queue's updates come a tick later: told by now, they are not mistaken for the call's.
		await this.service.whenQueueTold();
		return { applicant, agent: { ...agent, verificationId: applicant.verificationId } };
	}

	async passSteps(agent: Actor, steps: readonly StepId[]): Promise<void> {
		for (const stepId of steps) {
			await this.service.handle('promptStep', agent, { stepId });
			await this.service.handle('markStep', agent, { stepId, result: 'passed' });
		}
	}

	async failSteps(agent: Actor, steps: readonly StepId[]): Promise<void> {
		for (const stepId of steps) {
			await this.service.handle('promptStep', agent, { stepId });
			await this.service.handle('markStep', agent, { stepId, result: 'failed' });
		}
	}

	async state(verificationId: string | undefined) {
		return (await this.service.getVerification(verificationId ?? '')).state;
	}
}

const C2C_STEPS = ['consent', 'face', 'document_front', 'document_back', 'security_features', 'challenge', 'head_turn'] as const;

async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
	for (let attempt = 0; attempt < 200; attempt += 1) {
		if (await check()) return;
		await sleep(20);
	}
	throw new Error('condition not reached');
}

describe('VerificationService', () => {
	let world: World;

	beforeEach(async () => {
		world = await new World({ graceMs: 60_000 }).start();
	});

	afterEach(async () => {
		await world.destroy();
	});

	it('stamps every notification of one change with the revision it wrote, which the next snapshot shows', async () => {
		const { applicant, agent } = await world.inCall();
		const before = await world.handle('getState', applicant, {});
		world.notifications = [];
		await world.handle('promptStep', agent, { stepId: 'face' });
		const prompted = world.notifications.map((notification) => (notification.payload as { revision?: number }).revision);
		// One notice per role, all of the one change.
		expect(prompted).toEqual([before.revision + 1, before.revision + 1, before.revision + 1]);
		expect((await world.handle('getState', applicant, {})).revision).toBe(before.revision + 1);
		await world.handle('markStep', agent, { stepId: 'face', result: 'passed' });
		expect(world.received('stepMarked', applicant)).toEqual([expect.objectContaining({ revision: before.revision + 2 })]);
		// Chat changes no record: it carries no revision.
		await world.handle('sendChat', applicant, { text: 'hello' });
		expect(world.received('chatMessageSent', agent).at(-1)).not.toHaveProperty('revision');
	});

	it('takes a verification from creation to approval with a signed outcome, its webhook and every act journaled', async () => {
		const applicant = await world.waitingApplicant({ externalUserRef: 'user-1' });
		expect(await world.state(applicant.verificationId)).toBe('waiting');
		expect((await world.handle('getState', applicant, {})).queue).toMatchObject({ position: 1, queueLength: 1 });

		const agent = await world.availableAgent();
		const queue = await world.handle('getQueue', agent, {});
		expect(queue.items).toMatchObject([{ verificationId: applicant.verificationId, eligible: true, next: true }]);

		const accepted = await world.handle('accept', agent, {});
		expect(accepted).toMatchObject({ verificationId: applicant.verificationId, state: 'in_call' });
		const inCallAgent = { ...agent, verificationId: applicant.verificationId };

		await world.passSteps(inCallAgent, ['consent', 'face', 'document_front', 'document_back']);
		const tilt = await world.handle('promptStep', inCallAgent, { stepId: 'security_features' });
		expect(tilt.step.securityFeatures).toHaveLength(3);
		await world.handle('markStep', inCallAgent, { stepId: 'security_features', result: 'passed', note: 'hologram ok' });

		world.randomValues = [4242];
		const prompted = await world.handle('promptStep', inCallAgent, { stepId: 'challenge' });
		expect(prompted.challenge).toMatchObject({ value: '004242', typed: false });
		expect(world.received('stepPrompted', applicant).at(-1)).toMatchObject({ challenge: { value: '004242' } });
		const interpreterView: Actor = { role: 'interpreter', participantId: 'x', verificationId: applicant.verificationId };
		expect(world.received('stepPrompted', interpreterView).at(-1)).toMatchObject({ challenge: null });
		expect(world.received('stepPrompted', applicant).at(-1)).not.toHaveProperty('step.securityFeatures');
		await world.handle('markStep', inCallAgent, { stepId: 'challenge', result: 'passed' });
		await world.passSteps(inCallAgent, ['head_turn']);

		expect(await world.handle('checkDocument', inCallAgent, { documentType: 'passport', documentNumber: 'E 9QZ-XKW' })).toEqual({
			duplicate: false,
			check: { check: 1, documentType: 'passport', duplicate: false, at: expect.any(String) },
		});
		expect((await world.handle('getState', inCallAgent, {})).documentChecks).toMatchObject([{ check: 1, duplicate: false }]);
		expect((await world.handle('getState', applicant, {})).documentChecks).toBeNull();
		const decided = await world.handle('decide', inCallAgent, { decision: 'approve', applicantDocument: 1 });
		expect(decided.state).toBe('approved');

		const view = verificationViewSchema.parse(await world.service.getVerification(applicant.verificationId ?? ''));
		expect(view.outcome).toMatchObject({
			state: 'approved',
			decision: 'approved',
			decidedBy: { agentId: agent.agent?.agentId },
			consent: { version: CONSENT_VERSION },
			callQuality: null,
			documentChecks: { count: 1, duplicateFound: false },
		});
		expect(view.outcome?.steps.every((step) => step.status === 'passed')).toBe(true);
		expect(view.signedOutcome).toBe(`signed:${view.id}:approved`);

		const records = await world.records(view.id);
		const types = records.map((record) => record.type);
		expect(types).toEqual(
			expect.arrayContaining([
				'verification.created',
				'verification.consented',
				'verification.accepted',
				'challenge.issued',
				'document.checked',
				'verification.decided',
				'outcome.recorded',
				'webhook.enqueued',
			]),
		);
		const webhook = records.find((record) => record.type === 'webhook.enqueued');
		expect(webhook?.data).toMatchObject({ type: 'verification.decided', eventId: `${view.id}.approved` });
		const journalText = JSON.stringify(records);
		// Hex hashes and ids in the journal cannot contain these letters, so any hit would be the number itself.
		expect(journalText).not.toContain('"004242"');
		expect(journalText).not.toMatch(/9QZ|XKW/i);
		expect(world.received('decided', applicant).at(-1)).toMatchObject({ state: 'approved' });
	});

	it('checks a typed challenge once, in constant time, and a re-prompt issues a new number', async () => {
		const { applicant, agent } = await world.inCall({ accessibility: { textOnlyChallenge: true } });
		world.randomValues = [111111];
		await world.handle('promptStep', agent, { stepId: 'challenge' });
		expect(await world.handle('answerChallenge', applicant, { answer: '999999' })).toEqual({ matched: false });
		await expect(world.handle('answerChallenge', applicant, { answer: '111111' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
		expect(world.received('challengeAnswered', agent).at(-1)).toMatchObject({ matched: false });
		await expect(world.handle('markStep', agent, { stepId: 'challenge', result: 'passed' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});

		world.randomValues = [222222];
		const again = await world.handle('promptStep', agent, { stepId: 'challenge' });
		expect(again.challenge?.value).toBe('222222');
		expect(await world.handle('answerChallenge', applicant, { answer: '222 222' })).toEqual({ matched: true });
		expect((await world.handle('markStep', agent, { stepId: 'challenge', result: 'passed' })).step.status).toBe('passed');
	});

	it('refuses a typed answer once the number has expired', async () => {
		await world.destroy();
		world = await new World({ challengeTtlMs: 30 }).start();
		const { applicant, agent } = await world.inCall({ accessibility: { textOnlyChallenge: true } });
		world.randomValues = [123456];
		await world.handle('promptStep', agent, { stepId: 'challenge' });
		await sleep(80);
		await expect(world.handle('answerChallenge', applicant, { answer: '123456' })).rejects.toThrow(/expired/);
	});

	it('refuses approval while a required step has not passed', async () => {
		const { agent } = await world.inCall();
		await world.passSteps(agent, ['consent', 'face']);
		await world.handle('promptStep', agent, { stepId: 'document_front' });
		await world.handle('markStep', agent, { stepId: 'document_front', result: 'failed', note: 'glare' });
		await expect(world.handle('decide', agent, { decision: 'approve' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
			message: expect.stringContaining('document_front'),
		});
	});

	it('refuses a rejection for a poor connection until the measured quality shows one, then records it', async () => {
		const { agent, applicant } = await world.inCall();
		await expect(
			world.handle('decide', agent, { decision: 'reject', reasonCodes: ['connection_too_poor'] }),
		).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
			reason: 'reasonsNeedNote',
			params: { reasons: 'connection_too_poor' },
		});
		expect(await world.state(applicant.verificationId)).toBe('in_call');
		world.callQuality = {
			samples: 3,
			participants: [
				{
					participantId: applicant.participantId,
					role: 'applicant',
					averageVideoKbps: 120,
					worstPacketLossPercent: 1,
					averageRoundTripMs: 90,
					lowestResolution: { width: 320, height: 180 },
					lowestScore: 6,
				},
			],
		};
		await world.handle('decide', agent, { decision: 'reject', reasonCodes: ['connection_too_poor'] });
		const view = await world.service.getVerification(applicant.verificationId ?? '');
		expect(view.outcome).toMatchObject({ state: 'rejected', reasonCodes: ['connection_too_poor'] });
	});

	it('rejects with reason codes, a final outcome, and escalates with a note into review, with no outcome yet', async () => {
		const first = await world.inCall();
		await world.failSteps(first.agent, ['face', 'document_front']);
		await world.handle('decide', first.agent, {
			decision: 'reject',
			reasonCodes: ['document_expired', 'document_expired', 'face_mismatch'],
			note: 'expired in 2020',
		});
		const rejected = await world.service.getVerification(first.applicant.verificationId ?? '');
		expect(rejected.outcome).toMatchObject({
			state: 'rejected',
			reasonCodes: ['document_expired', 'face_mismatch'],
			note: 'expired in 2020',
		});
		expect(world.received('decided', first.applicant).at(-1)).not.toHaveProperty('note');
		await expect(world.handle('decide', first.agent, { decision: 'approve' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});

		const second = await world.inCall();
		const snapshot = await world.handle('decide', second.agent, { decision: 'escalate', note: 'document type unknown to me' });
		expect(snapshot).toMatchObject({ state: 'in_review', decision: { state: 'in_review', reasonCodes: [] } });
		const escalated = await world.service.getVerification(second.applicant.verificationId ?? '');
		expect(escalated).toMatchObject({
			state: 'in_review',
			outcome: null,
			endedAt: null,
			review: {
				agent: { decision: 'escalate', note: 'document type unknown to me', by: { agentId: second.agent.agent?.agentId } },
				reviewer: null,
			},
		});
		expect(world.received('decided', second.applicant).at(-1)).toMatchObject({ state: 'in_review' });
		expect(world.received('decided', second.applicant).at(-1)).not.toHaveProperty('note');
	});

	it('lets the applicant cancel while waiting: abandoned, with an outcome and a webhook', async () => {
		const applicant = await world.waitingApplicant();
		const snapshot = await world.handle('cancel', applicant, {});
		expect(snapshot.state).toBe('abandoned');
		const view = await world.service.getVerification(applicant.verificationId ?? '');
		expect(view.outcome).toMatchObject({ state: 'abandoned', decision: null, reasonCodes: ['applicant_left'] });
		const webhook = (await world.records(view.id)).find((record) => record.type === 'webhook.enqueued');
		expect(webhook?.data).toMatchObject({ type: 'verification.abandoned' });
		await expect(world.handle('consent', applicant, { consentVersion: CONSENT_VERSION })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
	});

	it('refuses at creation what the host already knows is not eligible, naming the reason', async () => {
		await expect(
			world.service.createVerification({ externalUserRef: 'u', purpose: 'c2c_video', eligibility: { age: 16 } }),
		).rejects.toMatchObject({ code: ErrorCode.INVALID_STATE, fields: [{ path: 'eligibility.age', message: 'underage' }] });
		await expect(
			world.service.createVerification({ externalUserRef: 'u', purpose: 'c2c_video', eligibility: { c2cFrozen: true } }),
		).rejects.toMatchObject({ fields: [{ message: 'c2c_frozen' }] });
	});

	it('answers CONFLICT to one of two agents accepting the same verification at once', async () => {
		const applicant = await world.waitingApplicant();
		const [first, second] = [await world.availableAgent(), await world.availableAgent()];
		const results = await Promise.allSettled([
			world.handle('accept', first, { verificationId: applicant.verificationId }),
			world.handle('accept', second, { verificationId: applicant.verificationId }),
		]);
		expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
		const refused = results.find((result) => result.status === 'rejected');
		expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ code: ErrorCode.CONFLICT });
	});

	it('routes by language and longest wait, and refuses an agent that is not eligible', async () => {
		const chinese = await world.waitingApplicant({ locale: 'zh-CN' });
		const english = await world.waitingApplicant({ locale: 'en' });
		const englishOnly = await world.availableAgent({ languages: ['en'] });
		const queue = await world.handle('getQueue', englishOnly, {});
		expect(queue.items.map(({ verificationId, eligible, next }) => ({ verificationId, eligible, next }))).toEqual([
			{ verificationId: chinese.verificationId, eligible: false, next: false },
			{ verificationId: english.verificationId, eligible: true, next: true },
		]);
		await expect(world.handle('accept', englishOnly, { verificationId: chinese.verificationId })).rejects.toMatchObject({
			code: ErrorCode.FORBIDDEN,
		});
		expect((await world.handle('accept', englishOnly, {})).verificationId).toBe(english.verificationId);
	});

	it('keeps an agent to its own verification and a participant to its own', async () => {
		const one = await world.inCall();
		const two = await world.inCall();
		await expect(
			world.handle('promptStep', { ...one.agent, verificationId: two.applicant.verificationId }, { stepId: 'face' }),
		).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
		await expect(
			world.handle('getState', { ...one.applicant, verificationId: two.applicant.verificationId }, {}),
		).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
	});

	it('runs the interpreter path: one-time invitation, declaration, interpreter steps, removal', async () => {
		const applicant = await world.waitingApplicant();
		const invitation = await world.handle('inviteInterpreter', applicant, {});
		expect(invitation.url).toContain(invitation.invitationId);
		expect(world.received('interpreterInvited', applicant).at(-1)).toMatchObject({ url: invitation.url });

		// An interpreter-assisted call needs an agent with the sign-language skill.
		const plain = await world.availableAgent();
		await expect(world.handle('accept', plain, { verificationId: applicant.verificationId })).rejects.toMatchObject({
			code: ErrorCode.FORBIDDEN,
		});
		const signing = await world.availableAgent({ skills: ['sign_language'] });
		await world.handle('accept', signing, { verificationId: applicant.verificationId });
		const agent = { ...signing, verificationId: applicant.verificationId };

		const state = await world.handle('getState', applicant, {});
		const interpreterId = state.interpreter?.participantId ?? '';
		const interpreter: Actor = { role: 'interpreter', participantId: interpreterId, verificationId: applicant.verificationId };
		await world.service.participantConnected(interpreter);
		await expect(world.service.participantConnected(interpreter)).rejects.toMatchObject({
			code: ErrorCode.UNAUTHENTICATED,
			message: 'invitation already used',
		});
		const checklist = (await world.handle('getState', agent, {})).checklist.map((step) => step.id);
		expect(checklist).toEqual([...C2C_STEPS, 'interpreter_declaration', 'interpreter_document', 'joint_presence']);

		// The interpreter's own consent is recorded once, with its version; giving it again changes nothing.
		expect((await world.handle('getState', interpreter, {})).interpreter?.consented).toBe(false);
		await expect(world.handle('consent', interpreter, { consentVersion: 'an-old-version' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
		expect((await world.handle('consent', interpreter, { consentVersion: CONSENT_VERSION })).interpreter?.consented).toBe(true);
		await world.handle('consent', interpreter, { consentVersion: CONSENT_VERSION });

		await world.handle('promptStep', agent, { stepId: 'interpreter_declaration' });
		await expect(world.handle('markStep', agent, { stepId: 'interpreter_declaration', result: 'passed' })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
		await world.handle('declareInterpreter', interpreter, { fullName: 'Li Wei', relation: 'sibling' });
		expect(world.received('interpreterDeclared', agent).at(-1)).toMatchObject({ fullName: 'Li Wei', relation: 'sibling' });
		await world.handle('markStep', agent, { stepId: 'interpreter_declaration', result: 'passed' });
		await world.passSteps(agent, C2C_STEPS);
		await expect(world.handle('decide', agent, { decision: 'approve' })).rejects.toThrow(/interpreter_document/);

		await world.handle('removeInterpreter', agent, {});
		expect(world.received('participantLeft', agent).at(-1)).toMatchObject({ participantId: interpreterId, reason: 'removed' });
		await expect(world.handle('getState', interpreter, {})).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
		await world.handle('decide', agent, { decision: 'approve' });

		const outcome = (await world.service.getVerification(applicant.verificationId ?? '')).outcome;
		expect(outcome?.interpreter).toEqual({
			joined: true,
			fullName: 'Li Wei',
			relation: 'sibling',
			removed: true,
			consent: { at: expect.any(String), version: CONSENT_VERSION },
			stepsOnRemoval: 'not_applicable',
		});
		expect(outcome?.steps.filter((step) => step.status === 'not_applicable').map((step) => step.id)).toEqual([
			'interpreter_document',
			'joint_presence',
		]);
	});

	it('refuses an interpreter invitation used after it expired', async () => {
		await world.destroy();
		world = await new World({ invitationTtlMs: 30 }).start();
		const applicant = await world.waitingApplicant();
		await world.handle('inviteInterpreter', applicant, {});
		const interpreterId = (await world.handle('getState', applicant, {})).interpreter?.participantId ?? '';
		await sleep(80);
		await expect(
			world.service.participantConnected({
				role: 'interpreter',
				participantId: interpreterId,
				verificationId: applicant.verificationId,
			}),
		).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
	});

	it('tells an agent whether a document is tied to another user with an approved outcome', async () => {
		const first = await world.inCall({ externalUserRef: 'alice' });
		// A document shown in the call that the agent does not record as alice's (her interpreter's, say).
		await world.handle('checkDocument', first.agent, { documentType: 'national_id', documentNumber: 'INTERP-7' });
		await world.handle('checkDocument', first.agent, { documentType: 'passport', documentNumber: 'X1' });
		await world.passSteps(first.agent, C2C_STEPS);
		await world.handle('decide', first.agent, { decision: 'approve', applicantDocument: 2 });

		const same = await world.inCall({ externalUserRef: 'alice', purpose: 'identity_reset' });
		expect(await world.handle('checkDocument', same.agent, { documentType: 'passport', documentNumber: 'x-1' })).toMatchObject({
			duplicate: false,
		});
		const other = await world.inCall({ externalUserRef: 'bob' });
		expect(await world.handle('checkDocument', other.agent, { documentType: 'passport', documentNumber: 'x 1' })).toMatchObject({
			duplicate: true,
			check: { check: 1, duplicate: true },
		});
		// Bob's own document is clear: the document alice's agent did not record is tied to nobody.
		expect(
			await world.handle('checkDocument', other.agent, { documentType: 'national_id', documentNumber: 'interp 7' }),
		).toMatchObject({
			duplicate: false,
			check: { check: 2 },
		});
		await world.passSteps(other.agent, C2C_STEPS);
		await expect(world.handle('decide', other.agent, { decision: 'approve', applicantDocument: 1 })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
			reason: 'documentHeldByAnother',
		});
		expect(await world.state(other.applicant.verificationId)).toBe('in_call');
	});

	it('shows the agent the host’s declared identity and keeps MRZ verdicts with a check, the outcome verdicts only', async () => {
		const declared = { fullName: 'Alex Sample', dateOfBirth: '1990-04-01' };
		const { agent, applicant } = await world.inCall({ declared });
		const id = applicant.verificationId ?? '';
		expect((await world.handle('getState', agent, {})).declared).toEqual(declared);
		expect((await world.handle('getState', applicant, {})).declared).toBeUndefined();
		const mrz = { checkDigits: 'valid', expired: false, matchesDeclaration: true } as const;
		expect(
			await world.handle('checkDocument', agent, { documentType: 'passport', documentNumber: 'L898902C3', mrz }),
		).toMatchObject({ check: { check: 1, mrz } });
		await world.passSteps(agent, C2C_STEPS);
		await world.handle('decide', agent, { decision: 'approve', applicantDocument: 1 });
		const outcomeOf = async () => verificationViewSchema.parse(await world.service.getVerification(id)).outcome;
		expect((await outcomeOf())?.documentChecks).toEqual({ count: 1, duplicateFound: false, mrz: [{ check: 1, ...mrz }] });
		expect(JSON.stringify(await outcomeOf())).not.toMatch(/Alex Sample|1990-04-01|L898902C3/);
		await world.restart();
		expect((await outcomeOf())?.documentChecks.mrz).toEqual([{ check: 1, ...mrz }]);
	});

	it('creates an identity reset with the earlier record only from this user’s verification that is over', async () => {
		const earlier = await world.inCall({ externalUserRef: 'alice' });
		const earlierId = earlier.applicant.verificationId ?? '';
		const reset = { externalUserRef: 'alice', purpose: 'identity_reset', earlierVerificationId: earlierId } as const;
		await expect(world.createApplicant(reset)).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
			reason: 'earlierVerificationNotOver',
			params: { verificationId: earlierId, state: 'in_call' },
		});
		await world.handle('decide', earlier.agent, {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});
		await expect(world.createApplicant({ ...reset, externalUserRef: 'bob' })).rejects.toMatchObject({
			reason: 'earlierVerificationOtherUser',
		});
		await expect(world.createApplicant({ ...reset, earlierVerificationId: 'no-such-id' })).rejects.toMatchObject({
			reason: 'earlierVerificationUnknown',
		});
		await expect(world.createApplicant({ ...reset, purpose: 'c2c_video' })).rejects.toMatchObject({
			reason: 'earlierVerificationNotReset',
		});
		const created = await world.createApplicant(reset);
		expect((await world.service.getVerification(created.verificationId ?? '')).earlierVerificationId).toBe(earlierId);
	});

	it('shows the agent of an identity reset the earlier record and whether this call’s document is the one it kept', async () => {
		const first = await world.inCall({ externalUserRef: 'alice' });
		const firstId = first.applicant.verificationId ?? '';
		await world.handle('checkDocument', first.agent, { documentType: 'passport', documentNumber: 'P-OLD-1' });
		await world.passSteps(first.agent, C2C_STEPS);
		await world.handle('decide', first.agent, { decision: 'approve', applicantDocument: 1 });
		const approved = await world.service.getVerification(firstId);

		const reset = await world.inCall({ externalUserRef: 'alice', purpose: 'identity_reset', earlierVerificationId: firstId });
		const snapshot = await world.handle('getState', reset.agent, {});
		expect(snapshot.earlierRecord).toEqual({
			verificationId: firstId,
			state: 'approved',
			decidedAt: approved.endedAt,
			reasonCodes: [],
			documentType: 'passport',
		});
		expect(await world.handle('getState', reset.applicant, {})).not.toHaveProperty('earlierRecord');
		const renewed = await world.handle('checkDocument', reset.agent, { documentType: 'passport', documentNumber: 'P-NEW-2' });
		expect(renewed).toMatchObject({ duplicate: false, check: { check: 1, matchesEarlier: false } });
		const old = await world.handle('checkDocument', reset.agent, { documentType: 'passport', documentNumber: 'p old 1' });
		expect(old).toMatchObject({ duplicate: false, check: { check: 2, matchesEarlier: true } });
		expect((await world.handle('getState', reset.agent, {})).documentChecks).toMatchObject([
			{ check: 1, matchesEarlier: false },
			{ check: 2, matchesEarlier: true },
		]);
		// A verification without an earlier record compares nothing.
		const plain = await world.inCall({ externalUserRef: 'carol' });
		expect(
			await world.handle('checkDocument', plain.agent, { documentType: 'passport', documentNumber: 'C1' }),
		).not.toHaveProperty('check.matchesEarlier');
		expect(await world.handle('getState', plain.agent, {})).not.toHaveProperty('earlierRecord');
	});

	it('leaves the earlier approval untouched when the identity reset is rejected, through a restart too', async () => {
		const first = await world.inCall({ externalUserRef: 'alice' });
		const firstId = first.applicant.verificationId ?? '';
		await world.handle('checkDocument', first.agent, { documentType: 'national_id', documentNumber: 'ID-1' });
		await world.passSteps(first.agent, C2C_STEPS);
		await world.handle('decide', first.agent, { decision: 'approve', applicantDocument: 1 });
		const before = await world.service.getVerification(firstId);
		const journaledBefore = await world.records(firstId);

		const reset = await world.inCall({ externalUserRef: 'alice', purpose: 'identity_reset', earlierVerificationId: firstId });
		await world.handle('checkDocument', reset.agent, { documentType: 'national_id', documentNumber: 'ID-2' });
		await world.handle('promptStep', reset.agent, { stepId: 'renewal_check' });
		await world.handle('markStep', reset.agent, { stepId: 'renewal_check', result: 'failed' });
		await world.handle('decide', reset.agent, { decision: 'reject', reasonCodes: ['face_mismatch'] });
		expect(await world.state(reset.applicant.verificationId)).toBe('rejected');

		const unchanged = async () => {
			expect(await world.service.getVerification(firstId)).toEqual(before);
			expect(await world.records(firstId)).toEqual(journaledBefore);
			// Alice's earlier document is still hers: another user showing it is told it is taken.
			const other = await world.inCall({ externalUserRef: `bob-${Math.random()}` });
			expect(
				await world.handle('checkDocument', other.agent, { documentType: 'national_id', documentNumber: 'ID-1' }),
			).toMatchObject({ duplicate: true });
			await world.handle('decide', other.agent, { decision: 'reject', reasonCodes: ['duplicate_identity'] });
		};
		await unchanged();
		await world.restart();
		await unchanged();
	});

	it('interrupts the call when the applicant leaves it, and lets an interpreter leave without ending it', async () => {
		const withInterpreter = await world.inCall({}, { skills: ['sign_language'] });
		await world.handle('inviteInterpreter', withInterpreter.agent, {});
		const interpreterId = (await world.handle('getState', withInterpreter.agent, {})).interpreter?.participantId ?? '';
		const interpreter: Actor = {
			role: 'interpreter',
			participantId: interpreterId,
			verificationId: withInterpreter.applicant.verificationId,
		};
		await world.service.participantConnected(interpreter);
		await world.handle('leave', interpreter, {});
		expect(world.received('participantLeft', withInterpreter.agent).at(-1)).toMatchObject({
			participantId: interpreterId,
			reason: 'left',
		});
		expect(await world.state(withInterpreter.applicant.verificationId)).toBe('in_call');
		await expect(world.service.participantConnected(interpreter)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });

		await world.handle('leave', withInterpreter.applicant, {});
		const view = await world.service.getVerification(withInterpreter.applicant.verificationId ?? '');
		expect(view.outcome).toMatchObject({ state: 'interrupted', reasonCodes: ['applicant_left'] });
	});

	it('refuses what a role may not send, even if the transport let it through', async () => {
		const { applicant } = await world.inCall();
		await expect(world.handle('decide', applicant, { decision: 'approve' })).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
		await expect(world.handle('markStep', applicant, { stepId: 'face', result: 'passed' })).rejects.toMatchObject({
			code: ErrorCode.FORBIDDEN,
		});
	});

	it('lets only an available agent accept, one call at a time', async () => {
		const first = await world.waitingApplicant();
		const second = await world.waitingApplicant();
		const agent = await world.availableAgent();
		await world.handle('setAvailability', agent, { availability: 'away' });
		await expect(world.handle('accept', agent, {})).rejects.toMatchObject({ code: ErrorCode.INVALID_STATE });
		await world.handle('setAvailability', agent, { availability: 'available' });
		expect((await world.handle('accept', agent, {})).verificationId).toBe(first.verificationId);
		await expect(world.handle('accept', agent, { verificationId: second.verificationId })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
	});

	it('tells a waiting applicant its place and estimated wait when they move, not when the queue only grows behind it', async () => {
		const first = await world.waitingApplicant();
		const second = await world.waitingApplicant();
		const snapshot = await world.handle('getState', second, {});
		expect(snapshot.queue).toMatchObject({
			position: 2,
			queueLength: 2,
			estimatedWaitSeconds: (2 * DEFAULT_DOMAIN_SETTINGS.defaultWaitEstimateMs) / 1000,
		});
		await world.waitingApplicant();
		await world.service.whenQueueTold();
		expect(world.received('queuePositionChanged', first)).toEqual([]);
		expect(world.received('queuePositionChanged', second)).toEqual([]);
		await world.handle('cancel', first, {});
		await world.service.whenQueueTold();
		expect(world.received('queuePositionChanged', second)).toEqual([
			{ position: 1, queueLength: 2, estimatedWaitSeconds: DEFAULT_DOMAIN_SETTINGS.defaultWaitEstimateMs / 1000 },
		]);
	});

	it("shows an agent's queue as it is now when a waiting verification changes between two reads of it", async () => {
		const applicant = await world.waitingApplicant();
		const agent = await world.availableAgent({ skills: ['sign_language'] });
		expect((await world.handle('getQueue', agent, {})).items).toMatchObject([{ interpreterNeeded: false }]);
		await world.handle('inviteInterpreter', applicant, {});
		expect((await world.handle('getQueue', agent, {})).items).toMatchObject([{ interpreterNeeded: true }]);
		await world.handle('cancel', applicant, {});
		expect((await world.handle('getQueue', agent, {})).items).toEqual([]);
	});

	it('lists verifications by state, page by page', async () => {
		const created = [];
		for (let index = 0; index < 5; index += 1) created.push(await world.createApplicant());
		await world.handle('cancel', created[1] as Actor, {});
		const firstPage = await world.service.listVerifications({ limit: 2 });
		expect(firstPage.items).toHaveLength(2);
		const secondPage = await world.service.listVerifications({ limit: 2, cursor: firstPage.nextCursor ?? '' });
		expect(secondPage.items.map((item) => item.id)).not.toContain(firstPage.items[0]?.id);
		const abandoned = await world.service.listVerifications({ state: 'abandoned' });
		expect(abandoned).toEqual({ items: [expect.objectContaining({ id: created[1]?.verificationId })], nextCursor: null });
	});
});

describe('VerificationService timeouts', () => {
	let world: World;

	afterEach(async () => {
		await world.destroy();
	});

	it('expires a verification that waited too long', async () => {
		world = await new World({ maxWaitMs: 50 }).start();
		const applicant = await world.waitingApplicant();
		await eventually(async () => (await world.state(applicant.verificationId)) === 'expired');
		const view = await world.service.getVerification(applicant.verificationId ?? '');
		expect(view.outcome).toMatchObject({ state: 'expired' });
	});

	it('expires a verification whose applicant never consented before the link expired', async () => {
		world = await new World({ joinWindowMs: 50 }).start();
		const applicant = await world.createApplicant();
		await eventually(async () => (await world.state(applicant.verificationId)) === 'expired');
		await expect(world.handle('consent', applicant, { consentVersion: CONSENT_VERSION })).rejects.toMatchObject({
			code: ErrorCode.INVALID_STATE,
		});
	});

	it('resumes a participant that reconnects within the grace period', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const { applicant, agent } = await world.inCall();
		await world.service.participantDisconnected(applicant);
		expect(world.received('participantReconnecting', agent).at(-1)).toMatchObject({ participantId: applicant.participantId });
		await world.service.participantConnected(applicant);
		expect(world.received('participantJoined', agent).at(-1)).toMatchObject({
			participant: { participantId: applicant.participantId },
			resumed: true,
		});
		expect(await world.state(applicant.verificationId)).toBe('in_call');
	});

	it('interrupts the call when the grace period passes without the applicant back', async () => {
		world = await new World({ graceMs: 40 }).start();
		const { applicant, agent } = await world.inCall();
		await world.service.participantDisconnected(applicant);
		await eventually(() =>
			world.received('stateChanged', agent).some((change) => (change as { state: string }).state === 'interrupted'),
		);
		expect(world.received('participantLeft', agent).at(-1)).toMatchObject({
			participantId: applicant.participantId,
			reason: 'connection_lost',
		});
		const view = await world.service.getVerification(applicant.verificationId ?? '');
		expect(view.outcome).toMatchObject({ state: 'interrupted', reasonCodes: ['applicant_left'] });
		// The agent is free for the next call.
		expect((await world.handle('getQueue', agent, {})).verificationId).toBeNull();
	});

	it('interrupts the call when the agent drops and does not come back in time', async () => {
		world = await new World({ graceMs: 40 }).start();
		const { applicant, agent } = await world.inCall();
		await world.service.participantDisconnected(agent);
		expect(world.received('participantReconnecting', applicant).at(-1)).toMatchObject({ role: 'agent' });
		await eventually(() =>
			world.received('stateChanged', applicant).some((change) => (change as { state: string }).state === 'interrupted'),
		);
		expect((await world.service.getVerification(applicant.verificationId ?? '')).outcome).toMatchObject({ reasonCodes: [] });
	});

	it('lets the call go on when an interpreter drops past the grace period', async () => {
		world = await new World({ graceMs: 40 }).start();
		const { applicant, agent } = await world.inCall({}, { skills: ['sign_language'] });
		await world.handle('inviteInterpreter', applicant, {});
		const interpreterId = (await world.handle('getState', applicant, {})).interpreter?.participantId ?? '';
		const interpreter: Actor = { role: 'interpreter', participantId: interpreterId, verificationId: applicant.verificationId };
		await world.service.participantConnected(interpreter);
		await world.service.participantDisconnected(interpreter);
		await eventually(() => world.received('participantLeft', agent).length > 0);
		expect(world.received('participantLeft', agent).at(-1)).toMatchObject({
			participantId: interpreterId,
			reason: 'connection_lost',
		});
		expect(await world.state(applicant.verificationId)).toBe('in_call');
	});

	it('abandons a wait when the applicant drops and does not come back in time', async () => {
		world = await new World({ graceMs: 40 }).start();
		const applicant = await world.waitingApplicant();
		await world.service.participantDisconnected(applicant);
		await eventually(async () => (await world.state(applicant.verificationId)) === 'abandoned');
	});
});

describe('VerificationService restart', () => {
	let world: World;

	afterEach(async () => {
		await world.destroy();
	});

	it('rebuilds the same states and outcomes from the journal, and a resumed call can still be decided', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const done = await world.inCall();
		await world.handle('decide', done.agent, {
			decision: 'reject',
			reasonCodes: ['procedure_not_followed'],
			note: 'read the answers from a script',
		});
		const waiting = await world.waitingApplicant({ locale: 'zh-CN' });
		const live = await world.inCall();
		await world.passSteps(live.agent, ['consent', 'face']);
		const before = await Promise.all(
			[done, { applicant: waiting }, live].map(({ applicant }) => world.service.getVerification(applicant.verificationId ?? '')),
		);

		await world.restart();

		const after = await Promise.all(
			[done, { applicant: waiting }, live].map(({ applicant }) => world.service.getVerification(applicant.verificationId ?? '')),
		);
		expect(after).toEqual(before);
		expect((await world.handle('getQueue', await world.availableAgent(), {})).items).toMatchObject([
			{ verificationId: waiting.verificationId },
		]);

		await world.service.participantConnected(live.agent);
		await world.service.participantConnected(live.applicant);
		const state = await world.handle('getState', live.agent, {});
		expect(state.checklist.filter((step) => step.status === 'passed').map((step) => step.id)).toEqual(['consent', 'face']);
		await world.handle('decide', live.agent, { decision: 'escalate', note: 'restart test' });
		expect(await world.state(live.applicant.verificationId)).toBe('in_review');
		expect((await world.journal.verify()).ok).toBe(true);
	});

	it('rebuilds only the document the approving agent recorded as the applicant’s for later duplicate checks', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const first = await world.inCall({ externalUserRef: 'alice' });
		await world.handle('checkDocument', first.agent, { documentType: 'national_id', documentNumber: 'SOMEONE-ELSE' });
		await world.handle('checkDocument', first.agent, { documentType: 'passport', documentNumber: 'ALICE-1' });
		await world.passSteps(first.agent, C2C_STEPS);
		await world.handle('decide', first.agent, { decision: 'approve', applicantDocument: 2 });

		await world.restart();

		const other = await world.inCall({ externalUserRef: 'bob' });
		const check = (documentType: 'passport' | 'national_id', documentNumber: string) =>
			world.handle('checkDocument', other.agent, { documentType, documentNumber });
		expect(await check('passport', 'alice-1')).toMatchObject({ duplicate: true });
		expect(await check('national_id', 'someone-else')).toMatchObject({ duplicate: false });
	});

	it('skips at the rebuild a journal record that is not a valid event of its type, and rebuilds the rest', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const { applicant, agent } = await world.inCall();
		await world.passSteps(agent, ['consent']);
		const id = applicant.verificationId ?? '';
		// A record of a known type whose data the fold would trip over: parsed, refused and skipped.
		await world.journal.append({ type: 'step.marked', verificationId: id, data: { at: 'yesterday', stepId: 'no_such_step' } });
		await world.restart();
		const record = await world.service.getVerification(id);
		expect(record.state).toBe('in_call');
		await world.service.participantConnected(agent);
		const state = await world.handle('getState', agent, {});
		expect(state.checklist.filter((step) => step.status === 'passed').map((step) => step.id)).toEqual(['consent']);
	});

	it('interrupts after a restart a call whose participants never come back within the grace period', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const live = await world.inCall();
		world.settings = { ...world.settings, graceMs: 40 };
		await world.restart();
		await eventually(async () => (await world.state(live.applicant.verificationId)) === 'interrupted');
	});
});

describe('VerificationService when the journal fails after the live write', () => {
	let world: World;

	beforeEach(async () => {
		world = new World({ graceMs: 60_000 });
		world.sweepIntervalMs = 20;
		await world.start();
	});

	afterEach(async () => {
		await world.destroy();
	});

	const typesOf = (records: JournalRecord[]) => records.map((record) => record.type);
	const count = (records: JournalRecord[], type: string) => records.filter((record) => record.type === type).length;
	const webhooksOf = async (eventId: string) =>
		(await world.allRecords()).filter((record) => record.type === 'webhook.enqueued' && record.data.eventId === eventId).length;

	it('answers an error for a decision whose outcome was not journaled, then journals it once with its webhook', async () => {
		const { applicant, agent } = await world.inCall();
		const id = applicant.verificationId ?? '';
		world.failAppend = (entry) => entry.type === 'outcome.recorded';
		await expect(
			world.handle('decide', agent, {
				decision: 'reject',
				reasonCodes: ['procedure_not_followed'],
				note: 'read the answers from a script',
			}),
		).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});
		// Applied, and half journaled: the decision without its outcome, which the sweeps keep failing to add.
		expect(await world.state(id)).toBe('rejected');
		await sleep(100);
		expect(count(await world.records(id), 'verification.decided')).toBe(1);
		expect(count(await world.records(id), 'outcome.recorded')).toBe(0);
		expect(await world.liveState.range('unjournaled')).toMatchObject([{ member: id }]);

		world.failAppend = undefined;
		await eventually(async () => (await webhooksOf(`${id}.rejected`)) === 1);
		await sleep(100);
		const records = await world.records(id);
		expect(count(records, 'verification.decided')).toBe(1);
		expect(count(records, 'outcome.recorded')).toBe(1);
		expect(typesOf(records).slice(-3)).toEqual(['verification.decided', 'outcome.recorded', 'webhook.enqueued']);
		expect(records.at(-2)?.data.rev).toBe(records.at(-3)?.data.rev);
		expect(await webhooksOf(`${id}.rejected`)).toBe(1);
		expect(await world.liveState.range('unjournaled')).toEqual([]);
		expect((await world.journal.verify()).ok).toBe(true);
		const before = await world.service.getVerification(id);
		expect(before.outcome).toMatchObject({ state: 'rejected', reasonCodes: ['procedure_not_followed'] });

		await world.restart();
		expect(await world.service.getVerification(id)).toEqual(before);
		expect(await webhooksOf(`${id}.rejected`)).toBe(1);
	});

	it('journals the events of a failed change before those of the next change, each once', async () => {
		await world.stop();
		world.sweepIntervalMs = 60_000;
		await world.start();
		const { applicant, agent } = await world.inCall();
		const id = applicant.verificationId ?? '';
		world.failAppend = (entry) => entry.type === 'step.prompted';
		await expect(world.handle('promptStep', agent, { stepId: 'consent' })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
		// A change without events neither waits for the journal nor drops what it has not journaled.
		await world.service.participantDisconnected(applicant);
		await world.service.participantConnected(applicant);
		await expect(world.handle('markStep', agent, { stepId: 'consent', result: 'passed' })).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});
		expect(count(await world.records(id), 'step.marked')).toBe(0);

		world.failAppend = undefined;
		await world.handle('markStep', agent, { stepId: 'consent', result: 'passed' });
		const records = await world.records(id);
		expect(typesOf(records).slice(-2)).toEqual(['step.prompted', 'step.marked']);
		expect(count(records, 'step.prompted')).toBe(1);
		expect(records.at(-1)?.data.rev).not.toBe(records.at(-2)?.data.rev);
		expect(await world.liveState.range('unjournaled')).toEqual([]);

		await world.restart();
		const step = (await world.service.getVerification(id)).state;
		expect(step).toBe('in_call');
		await world.service.participantConnected(agent);
		const state = await world.handle('getState', agent, {});
		expect(state.checklist.find((candidate) => candidate.id === 'consent')?.status).toBe('passed');
	});

	it('journals once when two processes repair the same change at once', async () => {
		const { applicant, agent } = await world.inCall();
		const id = applicant.verificationId ?? '';
		world.failAppend = () => true;
		await expect(world.handle('decide', agent, { decision: 'escalate', note: 'race' })).rejects.toMatchObject({
			code: ErrorCode.UNAVAILABLE,
		});
		// Ahead by more than the time a writer is given to journal its own: the change is stale to it.
		await world.otherService(() => new Date(Date.now() + 10_000));
		// Both sweeps read the journal before either appends.
		world.overlapReads = 2;
		world.failAppend = undefined;
		await eventually(async () => (await world.liveState.range('unjournaled')).length === 0);
		await eventually(async () => (await webhooksOf(`${id}.in_review`)) === 1);
		await sleep(200);
		const records = await world.records(id);
		expect(count(records, 'review.requested')).toBe(1);
		expect(await webhooksOf(`${id}.in_review`)).toBe(1);
		expect((await world.journal.verify()).ok).toBe(true);
	});
});

describe('VerificationService four-eyes review', () => {
	let world: World;

	afterEach(async () => {
		await world.destroy();
	});

	function reviewer(agentId = `reviewer-${Math.random().toString(36).slice(2)}`): Actor {
		return {
			role: 'agent',
			participantId: `participant-${agentId}`,
			verificationId: undefined,
			agent: { agentId, displayName: `Reviewer ${agentId}`, languages: ['en'], skills: [], permissions: ['review'] },
		};
	}

	async function review<N extends ReviewRequestName>(name: N, actor: Actor, payload: ReviewRequestPayload<N>) {
		const answer = await world.service.handleReview(name, actor, payload);
		reviewResponseSchemas[name].parse(answer);
		return answer;
	}

	async function escalatedCall() {
		const call = await world.inCall();
		await world.failSteps(call.agent, ['face']);
		await world.handle('decide', call.agent, { decision: 'escalate', note: 'face unclear in this light' });
		return { ...call, id: call.applicant.verificationId ?? '' };
	}

	const records = async (id: string, type: string) =>
		(await world.allRecords()).filter((record) => record.verificationId === id && record.type === type);

	it('lists a case in review for reviewers and the host, and a reviewer’s decision makes it final with both decisions', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const measured: CallQualitySummary = { samples: 2, participants: [] };
		world.callQuality = measured;
		const { id, agent } = await escalatedCall();
		// The call's figures are gone by the time a reviewer decides: the record kept them.
		world.callQuality = null;
		// The agent is free for the next call.
		expect(await world.service.desk.assignment(agent.agent?.agentId ?? '')).toBeNull();
		const first = reviewer();
		expect(await review('getReviewQueue', first, {})).toMatchObject({
			total: 1,
			items: [{ verificationId: id, agentDecision: 'escalate', agent: { agentId: agent.agent?.agentId } }],
		});
		expect(world.received('reviewQueueChanged', first).at(-1)).toMatchObject({ verificationId: id, state: 'in_review' });
		expect((await world.service.listVerifications({ state: 'in_review' })).items.map((item) => item.id)).toEqual([id]);
		const evidence = await review('getReviewCase', first, { verificationId: id });
		expect(evidence).toMatchObject({
			evidence: { failedSteps: ['face'] },
			agentDecision: { note: 'face unclear in this light' },
			callQuality: measured,
		});

		const decided = await review('decideReview', first, {
			verificationId: id,
			decision: 'reject',
			reasonCodes: ['face_mismatch'],
			note: 'the face step failed',
		});
		expect(decided).toMatchObject({ state: 'rejected', reasonCodes: ['face_mismatch'] });
		expect(world.received('reviewQueueChanged', first).at(-1)).toEqual({ verificationId: id, state: 'rejected', entry: null });
		expect((await review('getReviewQueue', first, {})).total).toBe(0);
		const view = verificationViewSchema.parse(await world.service.getVerification(id));
		expect(view.outcome).toMatchObject({
			state: 'rejected',
			callQuality: measured,
			decidedBy: { agentId: first.agent?.agentId },
			review: { agent: { decision: 'escalate', by: { agentId: agent.agent?.agentId } }, reviewer: { decision: 'reject' } },
		});
		expect((await records(id, 'webhook.enqueued')).map((record) => record.data.eventId)).toEqual([
			`${id}.in_review`,
			`${id}.rejected`,
		]);
		const final = (await records(id, 'webhook.enqueued')).at(-1)?.data as { payload: { outcome: unknown } };
		expect(final.payload.outcome).toEqual(view.outcome);
	});

	it('gives exactly one of two reviewers deciding the same case at once the decision, the other alreadyReviewed', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		for (let round = 0; round < 10; round += 1) {
			const { id } = await escalatedCall();
			const answers = await Promise.allSettled(
				[reviewer(), reviewer()].map((actor) =>
					review('decideReview', actor, {
						verificationId: id,
						decision: 'reject',
						reasonCodes: ['face_mismatch'],
						note: `round ${round}`,
					}),
				),
			);
			expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(1);
			const refused = answers.find((answer) => answer.status === 'rejected');
			expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
				code: ErrorCode.CONFLICT,
				reason: 'alreadyReviewed',
			});
			expect(await records(id, 'review.decided')).toHaveLength(1);
			expect(await records(id, 'outcome.recorded')).toHaveLength(1);
		}
	});

	it('refuses the call’s own agent, a token without review permission, and a case not in review', async () => {
		world = await new World({ graceMs: 60_000 }).start();
		const { id, agent } = await escalatedCall();
		const own = { ...agent, agent: { ...(agent.agent as AgentProfile), permissions: ['review' as const] } };
		await expect(review('getReviewCase', own, { verificationId: id })).rejects.toMatchObject({ reason: 'reviewOwnCall' });
		await expect(
			review('decideReview', own, { verificationId: id, decision: 'reject', reasonCodes: ['face_mismatch'] }),
		).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, reason: 'reviewOwnCall' });
		await expect(review('getReviewQueue', await world.availableAgent(), {})).rejects.toMatchObject({ reason: 'notAReviewer' });
		const live = await world.inCall();
		await expect(
			review('getReviewCase', reviewer(), { verificationId: live.applicant.verificationId ?? '' }),
		).rejects.toMatchObject({ code: ErrorCode.INVALID_STATE, reason: 'notAllowedInState' });
		expect(await world.state(id)).toBe('in_review');
	});

	it('sends approvals of a configured purpose to review, and keeps a case in review through a restart', async () => {
		world = await new World({ graceMs: 60_000, reviewedApprovals: ['c2c_video'] }).start();
		const call = await world.inCall();
		const id = call.applicant.verificationId ?? '';
		await world.handle('checkDocument', call.agent, { documentType: 'passport', documentNumber: 'P-REVIEWED-1' });
		await world.passSteps(call.agent, C2C_STEPS);
		expect((await world.handle('decide', call.agent, { decision: 'approve', applicantDocument: 1 })).state).toBe('in_review');
		// Not the applicant's yet: a later check of the same document finds no holder.
		const other = await world.inCall();
		expect(
			(await world.handle('checkDocument', other.agent, { documentType: 'passport', documentNumber: 'P-REVIEWED-1' })).duplicate,
		).toBe(false);

		await world.restart();
		const after = reviewer();
		expect((await review('getReviewQueue', after, {})).items.map((item) => item.verificationId)).toContain(id);
		await review('decideReview', after, { verificationId: id, decision: 'approve' });
		const view = await world.service.getVerification(id);
		expect(view.outcome).toMatchObject({
			decision: 'approved',
			review: { agent: { decision: 'approve' }, reviewer: { decision: 'approve' } },
		});
		const third = await world.inCall();
		expect(
			(await world.handle('checkDocument', third.agent, { documentType: 'passport', documentNumber: 'P-REVIEWED-1' })).duplicate,
		).toBe(true);
	});
});
