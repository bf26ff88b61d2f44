// M5: signalling requests and verification creations per server CPU-second, with their latency as
// the client sees it (p50/p99, wall time: the client shares the machine, so these are upper bounds),
// and MEM: the server's memory per call in progress. The server runs in a process of its own; its
// CPU time is its process.cpuUsage(). See docs/performance.md, "Signalling".
//
//   node bench/signalling/requests.ts
//   BENCH_SECONDS=2           length of each measuring window
//   BENCH_CONCURRENCY=16      requests in flight in the concurrent windows
//   BENCH_MEMORY_CALLS=100    calls opened to measure memory per call
//   BENCH_LIFECYCLES=10       whole verifications (created to approved, no media) for M5.lifecycle
import { CONSENT_VERSION, type StepView } from '@vidverify/shared';
import {
	BenchServer,
	benchSeconds,
	connectParticipant,
	inBatches,
	note,
	type Participant,
	percentile,
	printFigure,
	request,
	serverCpuSeconds,
	tokenOf,
} from './support.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 100);
const LIFECYCLES = Number(process.env.BENCH_LIFECYCLES ?? 10);
const SECONDS = benchSeconds();

type Window = { done: number; cpuSeconds: number; latenciesMs: number[] };

/** Runs `lanes` loops of one request at a time for the window; counts them and the server's CPU. */
async function window(server: BenchServer, lanes: number, once: (lane: number) => Promise<unknown>): Promise<Window> {
	const latenciesMs: number[] = [];
	const start = await server.usage();
	const until = performance.now() + SECONDS * 1000;
	await Promise.all(
		Array.from({ length: lanes }, async (_, lane) => {
			while (performance.now() < until) {
				const from = performance.now();
				await once(lane);
				latenciesMs.push(performance.now() - from);
			}
		}),
	);
	const end = await server.usage();
	latenciesMs.sort((a, b) => a - b);
	return { done: latenciesMs.length, cpuSeconds: serverCpuSeconds(start, end), latenciesMs };
}

function report(id: string, what: string, unit: string, result: Window): void {
	printFigure(id, `${what} per server CPU-second`, result.done / result.cpuSeconds, unit);
	printFigure(`${id}.p50`, `${what} latency p50`, percentile(result.latenciesMs, 0.5), 'ms', 2);
	printFigure(`${id}.p99`, `${what} latency p99`, percentile(result.latenciesMs, 0.99), 'ms', 2);
}

async function createVerification(server: BenchServer): Promise<{ id: string; applicantUrl: string }> {
	const created = await server.api.post<{ id: string; applicantUrl: string }>('/verifications', {
		externalUserRef: `bench-${Math.random().toString(36).slice(2)}`,
		purpose: 'c2c_video',
	});
	if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
	return created.body;
}

let agents = 0;

/** A whole verification without media: created, consented, accepted, every step prompted and passed, approved. */
async function lifecycle(server: BenchServer): Promise<void> {
	const { applicant, agent, checklist } = await callInProgress(server);
	for (const step of checklist) {
		await request(agent, 'promptStep', { stepId: step.id });
		await request(agent, 'markStep', { stepId: step.id, result: 'passed' });
	}
	await request(agent, 'decide', { decision: 'approve' });
	applicant.close();
	agent.close();
}

/** A call in progress: an applicant who consented and an agent who accepted it, both connected. */
async function callInProgress(
	server: BenchServer,
): Promise<{ applicant: Participant; agent: Participant; checklist: StepView[] }> {
	const created = await createVerification(server);
	const applicant = await connectParticipant(server.url, tokenOf(created.applicantUrl));
	await request(applicant, 'consent', { consentVersion: CONSENT_VERSION });
	agents += 1;
	const minted = await server.api.post<{ token: string }>('/agent-tokens', {
		agentId: `bench-agent-${agents}`,
		displayName: `Bench agent ${agents}`,
		languages: ['en'],
		skills: [],
	});
	const agent = await connectParticipant(server.url, minted.body.token);
	await request(agent, 'setAvailability', { availability: 'available' });
	const { checklist } = await request<{ checklist: StepView[] }>(agent, 'accept', { verificationId: created.id });
	return { applicant, agent, checklist };
}

const server = await BenchServer.start();
const sockets: Participant[] = [];
try {
	printFigure(
		'MEM.server.base',
		'server resident memory with no call (one media worker started)',
		(await server.usage({ collect: true })).memory.rss / 1024 / 1024,
		'MiB',
	);
	note(`requests: ${CONCURRENCY} calls in progress`);
	const calls = await inBatches(Array.from({ length: CONCURRENCY }), 4, () => callInProgress(server));
	sockets.push(...calls.flatMap(({ applicant, agent }) => [applicant, agent]));
	const applicants = calls.map(({ applicant }) => applicant);

	note('requests: getState, one in flight');
	report(
		'M5.getState.1',
		'getState requests, one in flight',
		'requests/CPU-s',
		await window(server, 1, () => request(applicants[0] as Participant, 'getState')),
	);
	note(`requests: getState, ${CONCURRENCY} in flight`);
	report(
		`M5.getState.${CONCURRENCY}`,
		`getState requests, ${CONCURRENCY} in flight`,
		'requests/CPU-s',
		await window(server, CONCURRENCY, (lane) => request(applicants[lane] as Participant, 'getState')),
	);
	note('requests: verification creations, one in flight');
	report(
		'M5.create.1',
		'verification creations, one in flight',
		'creations/CPU-s',
		await window(server, 1, () => createVerification(server)),
	);
	note(`requests: verification creations, ${CONCURRENCY} in flight`);
	report(
		`M5.create.${CONCURRENCY}`,
		`verification creations, ${CONCURRENCY} in flight`,
		'creations/CPU-s',
		await window(server, CONCURRENCY, () => createVerification(server)),
	);

	note(`requests: ${LIFECYCLES} whole verifications, one after the other`);
	const start = await server.usage();
	for (let index = 0; index < LIFECYCLES; index += 1) await lifecycle(server);
	printFigure(
		'M5.lifecycle',
		'server CPU per whole verification without media (create, connect, consent, accept, every step, approve)',
		(serverCpuSeconds(start, await server.usage()) * 1000) / LIFECYCLES,
		'ms',
		1,
	);

	note(`memory: ${MEMORY_CALLS} more calls in progress`);
	const before = await server.usage({ collect: true });
	const more = await inBatches(Array.from({ length: MEMORY_CALLS }), 4, () => callInProgress(server));
	sockets.push(...more.flatMap(({ applicant, agent }) => [applicant, agent]));
	const after = await server.usage({ collect: true });
	printFigure(
		'MEM.server.heap',
		'server heap per call in progress (applicant and agent connected, no media)',
		(after.memory.heapUsed - before.memory.heapUsed) / MEMORY_CALLS / 1024,
		'KiB',
	);
	printFigure(
		'MEM.server.rss',
		'server resident memory per call in progress (applicant and agent connected, no media)',
		(after.memory.rss - before.memory.rss) / MEMORY_CALLS / 1024,
		'KiB',
	);
} finally {
	for (const socket of sockets) socket.close();
	await server.stop();
}
