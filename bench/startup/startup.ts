// S1: how long the embedded service takes to start with a long history: a journal of N verifications
// that are over (default 100,000; ten records each, personal fields sealed as the service seals them,
// outcome and delivered webhook included), then the start measured as the service does it: open the
// stores (journal, checkpoints, keys, webhook outbox) and rebuild every verification (VerificationService.create).
// Printed as the start's wall time and the process's CPU time for it. Start-up reads the whole journal
// (no snapshot yet), so both grow with history; see docs/performance.md.
//
//   node bench/startup/startup.ts
//   BENCH_STARTUP_VERIFICATIONS=100000   verifications journaled before the start
//   BENCH_STARTUP_DIR=/dev/shm           where the data folder is made (a tmpfs keeps the fill short)
//   BENCH_STARTUP_KEEP=1                 leave the data folder there afterwards (to profile a start)
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CONSENT_VERSION, checklistFor } from '@vidverify/shared';
import { pino } from 'pino';
import { Sealer, sealingJournal } from '../../server/src/privacy/Sealer.ts';
import type { VerificationEvent } from '../../server/src/sessions/events.ts';
import { DEFAULT_DOMAIN_SETTINGS } from '../../server/src/sessions/types.ts';
import { applyEvent, applyEvents } from '../../server/src/sessions/VerificationRecord.ts';
import { VerificationService } from '../../server/src/sessions/VerificationService.ts';
import { buildOutcome } from '../../server/src/sessions/views.ts';
import { EmbeddedJournal } from '../../server/src/store/embedded/EmbeddedJournal.ts';
import { EmbeddedKeyStore } from '../../server/src/store/embedded/EmbeddedKeyStore.ts';
import { openEmbeddedStores } from '../../server/src/store/embedded/openEmbeddedStores.ts';

const COUNT = Number(process.env.BENCH_STARTUP_VERIFICATIONS ?? 100_000);
if (!Number.isSafeInteger(COUNT) || COUNT < 1) throw new TypeError('BENCH_STARTUP_VERIFICATIONS must be a whole number');
const base = process.env.BENCH_STARTUP_DIR ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
const silent = pino({ level: 'silent' });
const CONCURRENCY = 64;

function note(text: string): void {
	process.stderr.write(`${text}\n`);
}

function figure(id: string, description: string, value: number, unit: string): void {
	console.log(`${id} ${description}: ${value} ${unit}`);
}

/** The ten records of one rejected verification whose webhook was delivered, as the domain journals them. */
function historyOf(id: string, index: number): { type: string; data: Record<string, unknown> }[] {
	const at = (second: number) => new Date(Date.UTC(2026, 0, 1) + index * 60_000 + second * 1000).toISOString();
	const checklist = checklistFor('c2c_video', { interpreter: false });
	const events: VerificationEvent[] = [
		{
			type: 'verification.created',
			data: {
				at: at(0),
				externalUserRef: `user-${index}`,
				purpose: 'c2c_video',
				locale: 'en',
				accessibility: { interpreter: false, textOnlyChallenge: false },
				expiresAt: at(7200),
				applicantParticipantId: `applicant-${index}`,
				checklist,
			},
		},
		{ type: 'participant.joined', data: { at: at(5), participantId: `applicant-${index}`, role: 'applicant' } },
		{ type: 'verification.consented', data: { at: at(10), consentVersion: CONSENT_VERSION } },
		{ type: 'verification.accepted', data: { at: at(40), agentId: 'agent-1', agentName: 'Agent', participantId: 'agent-p' } },
		{ type: 'step.prompted', data: { at: at(50), stepId: 'consent', securityFeatures: null } },
		{ type: 'step.marked', data: { at: at(60), stepId: 'consent', result: 'passed', note: 'in person, clearly' } },
		{
			type: 'verification.decided',
			data: {
				at: at(90),
				state: 'rejected',
				reasonCodes: ['procedure_not_followed'],
				note: 'read the answers from a script',
				agentId: 'agent-1',
				agentName: 'Agent',
				applicantDocument: null,
			},
		},
	];
	const [first, ...rest] = events as [VerificationEvent, ...VerificationEvent[]];
	const record = applyEvents(applyEvent(undefined, first, id), rest);
	const outcome = buildOutcome(record, null);
	const signedOutcome = `bench.${createHash('sha256').update(id).digest('base64url')}.signature`;
	const eventId = `${id}.rejected`;
	return [
		...events.map((event, rev) => ({ type: event.type, data: { ...event.data, rev: `${rev + 1}.bench` } })),
		{ type: 'outcome.recorded', data: { at: at(90), outcome, signedOutcome, rev: '8.bench' } },
		{
			type: 'webhook.enqueued',
			data: {
				eventId,
				type: 'verification.decided',
				verificationId: id,
				occurredAt: at(90),
				payload: { outcome, signedOutcome },
			},
		},
		{ type: 'webhook.delivered', data: { eventId, attempts: 1, status: 200, at: at(91) } },
	];
}

async function fill(dataDir: string): Promise<void> {
	const file = await EmbeddedJournal.open({ dataDir, logger: silent });
	const keys = await EmbeddedKeyStore.open({ dataDir, logger: silent });
	const journal = sealingJournal(file, new Sealer({ keys, stored: file, logger: silent }));
	let next = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			for (let index = next++; index < COUNT; index = next++) {
				const id = randomUUID();
				for (const entry of historyOf(id, index)) await journal.append({ ...entry, verificationId: id });
				if (index % 10_000 === 9_999)
					note(`journaled ${index + 1} verifications (${Math.round((performance.now() - started) / 1000)} s)`);
			}
		}),
	);
	await journal.close();
	await keys.close();
}

const dataDir = fs.mkdtempSync(path.join(base, 'vidverify-startup-'));
try {
	note(`startup: journaling ${COUNT} verifications in ${dataDir}`);
	await fill(dataDir);
	const bytes = fs.statSync(path.join(dataDir, 'journal.jsonl')).size;
	note(`startup: journal of ${(bytes / 2 ** 20).toFixed(0)} MiB; starting`);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const stores = await openEmbeddedStores({
		dataDir,
		webhook: { url: undefined, secret: 'bench-webhook-secret-0123456789abcdef' },
		logger: silent,
	});
	const opened = performance.now();
	const service = await VerificationService.create({
		journal: stores.journal,
		liveState: stores.liveState,
		outbox: stores.outbox,
		logger: silent,
		settings: DEFAULT_DOMAIN_SETTINGS,
		signOutcome: () => 'bench',
		sealing: stores.sealer,
		hashDocument: (type, number) => `${type}:${number}`,
		interpreterLink: () => 'https://vidverify.test/join',
	});
	const done = performance.now();
	const cpu = process.cpuUsage(cpuBefore);
	const listed = await service.listVerifications({ limit: 1 });
	if (listed.items.length !== 1) throw new Error('the rebuilt service lists no verification');
	const label = `${Math.round(COUNT / 1000)}k`;
	figure(
		`S1.${label}.start`,
		`start-up with ${COUNT} journaled verifications, wall time`,
		Number(((done - started) / 1000).toFixed(2)),
		's',
	);
	figure(
		`S1.${label}.open`,
		'of which opening the stores (journal, keys, outbox replay)',
		Number(((opened - started) / 1000).toFixed(2)),
		's',
	);
	figure(`S1.${label}.cpu`, 'start-up CPU time of the process', Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), 's');
	figure(`S1.${label}.heap`, 'heap used once started', Math.round(process.memoryUsage().heapUsed / 2 ** 20), 'MiB');
	await service.close();
	await stores.close();
} finally {
	if (!process.env.BENCH_STARTUP_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
}
