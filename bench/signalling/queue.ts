// Q1: what one consent costs the server while 10, 100 and 1,000 applicants already wait, with two
// agents online: server CPU per consent (process.cpuUsage of the server process, its idle rate taken
// off) and notifications per consent (counted by the clients), for a burst of simultaneous consents.
// Flat from 10 to 1,000 is the point: the queue used to be sent in full to everyone on every change.
// See docs/performance.md, "Queue cost".
//
//   node bench/signalling/queue.ts
//   BENCH_QUEUE_SIZES=10,100,1000   the queue lengths measured
//   BENCH_QUEUE_CONSENTS=50         the burst of consents measured at each
//   BENCH_QUEUE_COMPARE=<revision>  the same measurement on that revision's server first, in this run
import { CONSENT_VERSION } from '@vidverify/shared';
import {
	BenchServer,
	connectParticipant,
	inBatches,
	note,
	type Participant,
	printFigure,
	quiet,
	request,
	revisionTree,
	serverCpuSeconds,
	tokenOf,
} from './support.ts';

const SIZES = (process.env.BENCH_QUEUE_SIZES ?? '10,100,1000').split(',').map(Number);
const CONSENTS = Number(process.env.BENCH_QUEUE_CONSENTS ?? 50);
if (!SIZES.every((size) => Number.isInteger(size) && size >= 0) || !(Number.isInteger(CONSENTS) && CONSENTS > 0)) {
	throw new TypeError('BENCH_QUEUE_SIZES and BENCH_QUEUE_CONSENTS must be whole numbers');
}
/** Longer than a queue tick: when nothing has arrived for this long, everything told has arrived. */
const QUIET_MS = 400;
const CONCURRENCY = 16;

type Result = { cpuMsPerConsent: number; notificationsPerConsent: number };

async function createVerification(server: BenchServer): Promise<string> {
	const created = await server.api.post<{ id: string; applicantUrl: string }>('/verifications', {
		externalUserRef: `bench-${Math.random().toString(36).slice(2)}`,
		purpose: 'c2c_video',
	});
	if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
	return tokenOf(created.body.applicantUrl);
}

/**
 * An applicant who consented and left again (within its grace period): while the queue fills, only
 * the few consenting at the moment are connected, so that filling it costs the benchmark's own client
 * little even where every consent is sent to everyone (the server's work is the same).
 */
async function waitingApplicant(server: BenchServer): Promise<string> {
	const token = await createVerification(server);
	const socket = await connectParticipant(server.url, token);
	await request(socket, 'consent', { consentVersion: CONSENT_VERSION });
	socket.close();
	return token;
}

async function agent(server: BenchServer, index: number): Promise<Participant> {
	const minted = await server.api.post<{ token: string }>('/agent-tokens', {
		agentId: `bench-agent-${index}`,
		displayName: `Bench agent ${index}`,
		languages: ['en'],
		skills: [],
	});
	if (minted.status !== 201) throw new Error(`agent token: ${minted.status}`);
	const socket = await connectParticipant(server.url, minted.body.token);
	await request(socket, 'setAvailability', { availability: 'available' });
	return socket;
}

const heardInTotal = (sockets: Participant[]) =>
	sockets.reduce((total, socket) => total + [...socket.heard.values()].reduce((sum, count) => sum + count, 0), 0);

async function measure(waiting: number, root: string | undefined): Promise<Result> {
	const server = await BenchServer.start({ root });
	try {
		const agents = [await agent(server, 1), await agent(server, 2)];
		let lastView = 0;
		for (const socket of agents)
			socket.on('queueUpdated' as never, (view: { items: unknown[] }) => {
				lastView = view.items.length;
			});
		const tokens = await inBatches(Array.from({ length: waiting }), CONCURRENCY, () => waitingApplicant(server));
		await quiet(QUIET_MS, () => lastView === waiting);
		// Everyone waiting is connected while the burst is measured: they are who the queue tells. Each
		// reads its snapshot on connecting, as the page does.
		const waitingSockets = await inBatches(tokens, CONCURRENCY, async (token) => {
			const socket = await connectParticipant(server.url, token);
			await request(socket, 'getState');
			return socket;
		});
		const burst = await inBatches(Array.from({ length: CONSENTS }), CONCURRENCY, async () =>
			connectParticipant(server.url, await createVerification(server)),
		);
		await quiet(QUIET_MS);
		const sockets = [...agents, ...waitingSockets, ...burst];

		// The idle server's own timers (sweeps, heartbeats), taken off the burst's CPU below.
		const idleStart = await server.usage();
		const idleFrom = performance.now();
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const idleEnd = await server.usage();
		const idleCpuPerMs = serverCpuSeconds(idleStart, idleEnd) / (performance.now() - idleFrom);

		const heardBefore = heardInTotal(sockets);
		const start = await server.usage();
		const from = performance.now();
		await Promise.all(burst.map((socket) => request(socket, 'consent', { consentVersion: CONSENT_VERSION })));
		await quiet(QUIET_MS, () => lastView === waiting + CONSENTS);
		const end = await server.usage();
		const cpuSeconds = serverCpuSeconds(start, end) - idleCpuPerMs * (performance.now() - from);
		const result = {
			cpuMsPerConsent: (cpuSeconds * 1000) / CONSENTS,
			notificationsPerConsent: (heardInTotal(sockets) - heardBefore) / CONSENTS,
		};
		for (const socket of sockets) socket.close();
		return result;
	} finally {
		await server.stop();
	}
}

const compare = process.env.BENCH_QUEUE_COMPARE;
const before = compare ? revisionTree(compare) : undefined;
try {
	for (const waiting of SIZES) {
		const label = `${waiting} waiting, ${CONSENTS} consents at once`;
		let old: Result | undefined;
		if (before) {
			note(`queue: ${label}, server of ${compare}`);
			old = await measure(waiting, before.root);
			printFigure(`Q1.${waiting}.before`, `server CPU per consent, ${label}, before (${compare})`, old.cpuMsPerConsent, 'ms', 2);
			printFigure(
				`Q1.${waiting}.before`,
				`notifications per consent, ${label}, before`,
				old.notificationsPerConsent,
				'notifications',
				1,
			);
		}
		note(`queue: ${label}`);
		const now = await measure(waiting, undefined);
		printFigure(`Q1.${waiting}`, `server CPU per consent, ${label}`, now.cpuMsPerConsent, 'ms', 2);
		printFigure(`Q1.${waiting}`, `notifications per consent, ${label}`, now.notificationsPerConsent, 'notifications', 1);
		if (old)
			printFigure(
				`Q1.${waiting}.ratio`,
				`server CPU per consent, before ÷ after, ${label}`,
				old.cpuMsPerConsent / now.cpuMsPerConsent,
				'x',
				1,
			);
	}
} finally {
	before?.remove();
}
