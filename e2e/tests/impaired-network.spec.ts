// An applicant on a bad network. The applicant's media may only go through the TURN relay (relay-only
// ICE), and between the browser and the relay sits the impaired-network relay (support/impairedRelay.ts):
// its uplink and downlink are the applicant's access network. The applicant's page and signalling come
// through a second impaired relay in front of the server, so an outage can cut everything the
// applicant has. The agent connects directly and is not impaired.
//
// - A 500 kbit/s uplink with 3 % loss each way and 150 ms round trip keeps the call going and the
//   document legible at the agent (the card's machine-readable zone read back from the agent's video).
// - A 10 s media outage (signalling untouched) is recovered by the client's ICE restart on the same
//   peer connections, without a reload; the pictures come back.
// - An outage of the whole network past the grace period ends the call as interrupted.
import { chromium, expect, type Page, test } from '@playwright/test';
import { freePort } from '../../server/test/redis.ts';
import { type RunningServer, startServer } from '../../server/test/support/serverProcess.ts';
import { withCamera } from '../support/browser.ts';
import { documentCamera, readDocumentIn } from '../support/documentReading.ts';
import { agentLink, createVerification, getVerification, type HostTarget } from '../support/hostApi.ts';
import { ImpairedRelay, type LinkConditions } from '../support/impairedRelay.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	expectPictureFrom,
	joinThroughDeviceCheck,
	type Participant,
	participant,
	videoIn,
} from '../support/journey.ts';
import { startTurn, type TurnServer, withoutRelay } from '../support/turnServer.ts';

const API_KEY = 'e2e-impaired-network-api-key-0123456789';
const TURN_SECRET = 'e2e-impaired-network-turn-secret-0123456789';
/** Longer than the 10 s outage that must be survived, and short enough for the one that must not. */
const GRACE_PERIOD_MS = 12_000;

type Conditions = { uplink?: LinkConditions; downlink?: LinkConditions };

type IceLog = {
	peerConnections: number;
	states: { pc: number; state: RTCPeerConnectionState; at: number }[];
	localUfrags: string[][];
	remoteUfrags: string[][];
	loads: number;
};

/**
 * Runs in the applicant's page first: relay-only ICE, and a log of every peer connection's states and
 * of the ICE credentials each one is given (a new pair on the same connection is an ICE restart).
 */
function relayOnlyWithIceLog(): void {
	const log: IceLog = { peerConnections: 0, states: [], localUfrags: [], remoteUfrags: [], loads: 1 };
	Object.defineProperty(window, '__iceLog', { value: log });
	const ufragOf = (description?: RTCSessionDescriptionInit | null) => /a=ice-ufrag:(\S+)/.exec(description?.sdp ?? '')?.[1];
	const note = (list: string[], ufrag: string | undefined) => {
		if (ufrag && list.at(-1) !== ufrag) list.push(ufrag);
	};
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		readonly #id: number;
		constructor(configuration?: RTCConfiguration) {
			super({ ...configuration, iceTransportPolicy: 'relay' });
			this.#id = log.peerConnections++;
			log.localUfrags[this.#id] = [];
			log.remoteUfrags[this.#id] = [];
			this.addEventListener('connectionstatechange', () =>
				log.states.push({ pc: this.#id, state: this.connectionState, at: Date.now() }),
			);
		}
		override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
			await super.setLocalDescription(description);
			note(log.localUfrags[this.#id] ?? [], ufragOf(this.localDescription));
		}
		override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
			await super.setRemoteDescription(description);
			note(log.remoteUfrags[this.#id] ?? [], ufragOf(description));
		}
	};
}

const iceLog = (page: Page) => page.evaluate(() => (window as unknown as { __iceLog: IceLog }).__iceLog);

/** The agent's view of the applicant's video: what arrives, at what size and rate. */
async function inboundVideo(agent: Page) {
	return agent.evaluate(async () => {
		const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video-applicant"] video');
		const quality = video?.getVideoPlaybackQuality();
		return {
			width: video?.videoWidth ?? 0,
			height: video?.videoHeight ?? 0,
			framesDecoded: quality?.totalVideoFrames ?? 0,
			framesDropped: quality?.droppedVideoFrames ?? 0,
		};
	});
}

type Call = {
	applicant: Participant;
	agent: Participant;
	id: string;
	/** The applicant's signalling (its page's origin), in front of the server. */
	signalling: ImpairedRelay;
	close: () => Promise<void>;
};

let turn: TurnServer;
let server: RunningServer;
let target: HostTarget;
/** The applicant's media path: in front of coturn, on the port the server hands out as the TURN server's. */
let media: ImpairedRelay;

test.beforeAll(async () => {
	const turnPort = await freePort();
	turn = await startTurn({ port: turnPort, secret: TURN_SECRET, relayPorts: { min: 49400, max: 49499 } });
	media = await ImpairedRelay.start({ target: { host: '127.0.0.1', port: turnPort } });
	server = await startServer({
		API_KEYS: API_KEY,
		TURN_URLS: `turn:127.0.0.1:${media.port}?transport=udp`,
		TURN_SECRET,
		GRACE_PERIOD_MS: String(GRACE_PERIOD_MS),
		QUALITY_SAMPLE_MS: '1000',
	});
	target = { url: server.url, apiKey: API_KEY };
});

test.afterAll(async () => {
	await media?.close();
	await server?.stop();
	await turn?.stop();
});

/** The applicant in a browser of its own whose camera shows the document held still beside the face. */
async function documentApplicant(): Promise<Participant> {
	const browser = await chromium.launch(withCamera(documentCamera()));
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
	await context.addInitScript(relayOnlyWithIceLog);
	const page = await context.newPage();
	return { role: 'applicant', browser, context, page, close: () => browser.close() };
}

/**
 * Applicant (through the impaired network, on the given conditions from the start) and agent (direct)
 * in one call.
 */
async function call(conditions: { media?: Conditions; signalling?: Conditions } = {}): Promise<Call> {
	media.set({ uplink: conditions.media?.uplink ?? {}, downlink: conditions.media?.downlink ?? {} });
	const url = new URL(server.url);
	const signalling = await ImpairedRelay.start({
		target: { host: url.hostname, port: Number(url.port) },
		protocols: ['tcp'],
		...conditions.signalling,
	});
	const applicant = await documentApplicant();
	const agent = await participant('agent');
	await agent.context.addInitScript(withoutRelay);
	const created = await createVerification({ purpose: 'c2c_video', locale: 'en' }, target);
	const { agentUrl } = await agentLink({}, target);
	await agentGoesAvailable(agent.page, agentUrl);
	const throughRelay = new URL(created.applicantUrl);
	throughRelay.host = `${signalling.host}:${signalling.port}`;
	await joinThroughDeviceCheck(applicant.page, throughRelay.toString());
	await agentAccepts(agent.page, created.id);
	await expect(applicant.page.getByTestId('call-screen')).toBeVisible();
	return {
		applicant,
		agent,
		id: created.id,
		signalling,
		close: async () => {
			await applicant.close();
			await agent.close();
			await signalling.close();
			media.set({ uplink: {}, downlink: {} });
		},
	};
}

/** Waits until the agent reads the document off the applicant's video; resolves with what was read. */
async function expectDocumentLegible(agent: Page) {
	const video = videoIn(agent, 'remote-video-applicant');
	let last = await readDocumentIn(video);
	await expect
		.poll(
			async () => {
				last = await readDocumentIn(video);
				return last.legible;
			},
			{ timeout: 45_000, message: 'the agent reads the document' },
		)
		.toBe(true);
	return last;
}

async function expectPictureMoving(agent: Page): Promise<void> {
	const before = (await inboundVideo(agent)).framesDecoded;
	await expect.poll(async () => (await inboundVideo(agent)).framesDecoded, { timeout: 30_000 }).toBeGreaterThan(before + 5);
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('on a 500 kbit/s uplink with 3 % loss and 150 ms round trip the call goes on and the agent still reads the document', async ({}, testInfo) => {
	test.setTimeout(120_000);
	// The network is bad from the start: the browser's first estimate meets the cap.
	const c = await call({
		media: {
			uplink: { rateKbps: 500, delayMs: 75, jitterMs: 10, lossPercent: 3, queueMs: 200 },
			downlink: { delayMs: 75, jitterMs: 10, lossPercent: 3 },
		},
		signalling: { uplink: { delayMs: 75, jitterMs: 10 }, downlink: { delayMs: 75, jitterMs: 10 } },
	});
	try {
		const startedAt = Date.now();
		const startStats = media.stats;
		const first = await expectDocumentLegible(c.agent.page);
		// Under the cap for a while longer: the call goes on and the print stays readable.
		await expectPictureMoving(c.agent.page);
		await c.agent.page.waitForTimeout(15_000);
		const later = await expectDocumentLegible(c.agent.page);
		await expectPictureMoving(c.agent.page);
		await expect(c.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'true');
		expect((await getVerification<{ state: string }>(c.id, target)).state).toBe('in_call');

		const seconds = (Date.now() - startedAt) / 1000;
		const stats = media.stats;
		const uplinkKbps = ((stats.uplink.deliveredBytes - startStats.uplink.deliveredBytes) * 8) / 1000 / seconds;
		// The impairment really applied: packets were lost at random both ways (the cap's own test is the relay's).
		expect(stats.uplink.lost).toBeGreaterThan(startStats.uplink.lost);
		expect(stats.downlink.lost).toBeGreaterThan(startStats.downlink.lost);
		const figures = {
			uplinkKbps: Math.round(uplinkKbps),
			uplink: stats.uplink,
			downlink: stats.downlink,
			firstRead: first,
			lastRead: later,
			inbound: await inboundVideo(c.agent.page),
		};
		console.log(`[impaired-network] 500 kbit/s, 3 % loss, 150 ms RTT: ${JSON.stringify(figures)}`);
		testInfo.annotations.push({ type: 'figures', description: JSON.stringify(figures) });
	} finally {
		await c.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a 10 s media outage is recovered by an ICE restart on the same connections, without a reload', async ({}, testInfo) => {
	test.setTimeout(120_000);
	const c = await call();
	try {
		await expectPictureFrom(videoIn(c.applicant.page, 'remote-video-agent'), 'agent');
		await expectDocumentLegible(c.agent.page);
		const before = await iceLog(c.applicant.page);
		// The call's send and receive transports are the last two (the device check made its own before).
		const inCall = [before.peerConnections - 2, before.peerConnections - 1];
		let navigations = 0;
		c.applicant.page.on('framenavigated', (frame) => {
			if (frame === c.applicant.page.mainFrame()) navigations += 1;
		});

		const outageAt = Date.now();
		media.outage(true);
		// The applicant's transports notice (disconnected, or failed).
		await expect
			.poll(
				async () => (await iceLog(c.applicant.page)).states.some((entry) => entry.at > outageAt && entry.state !== 'connected'),
				{
					timeout: 20_000,
				},
			)
			.toBe(true);
		await expect(c.applicant.page.getByTestId('connection-banner')).toContainText('Video connection interrupted');
		await c.applicant.page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - outageAt)));
		const endedAt = Date.now();
		media.outage(false);

		// Both peer connections come back to connected after the outage...
		await expect
			.poll(
				async () => {
					const log = await iceLog(c.applicant.page);
					return inCall.every((pc) => log.states.filter((entry) => entry.pc === pc).at(-1)?.state === 'connected');
				},
				{ timeout: 60_000 },
			)
			.toBe(true);
		const connectedAt = Date.now();
		await expectDocumentLegible(c.agent.page);
		const pictureAt = Date.now();
		await expectPictureFrom(videoIn(c.applicant.page, 'remote-video-agent'), 'agent');
		await expect(c.applicant.page.getByTestId('connection-banner')).not.toContainText('Video connection interrupted');

		// ...the same two, each given new ICE credentials by the server (an ICE restart), with no reload.
		const after = await iceLog(c.applicant.page);
		expect(after.peerConnections).toBe(before.peerConnections);
		for (const pc of inCall) {
			expect(after.remoteUfrags[pc]?.length, `peer connection ${pc}'s remote ICE credentials`).toBeGreaterThan(
				before.remoteUfrags[pc]?.length ?? 0,
			);
			expect(after.localUfrags[pc]?.length).toBeGreaterThan(before.localUfrags[pc]?.length ?? 0);
			const states = after.states.filter((entry) => entry.pc === pc && entry.at > outageAt).map((entry) => entry.state);
			expect(states, `peer connection ${pc}'s states`).toContain('connected');
			expect(states.some((state) => state === 'disconnected' || state === 'failed')).toBe(true);
		}
		expect(navigations).toBe(0);
		expect(after.loads).toBe(1);
		expect((await getVerification<{ state: string }>(c.id, target)).state).toBe('in_call');

		const figures = {
			outageMs: endedAt - outageAt,
			connectedAfterOutageMs: connectedAt - endedAt,
			documentReadAfterOutageMs: pictureAt - endedAt,
			states: after.states.map((entry) => ({ ...entry, at: entry.at - outageAt })),
			iceCredentials: inCall.map((pc) => after.remoteUfrags[pc]?.length),
		};
		console.log(`[impaired-network] 10 s media outage: ${JSON.stringify(figures)}`);
		testInfo.annotations.push({ type: 'figures', description: JSON.stringify(figures) });
	} finally {
		await c.close();
	}
});

test('an outage of the whole network past the grace period ends the call as interrupted', async () => {
	test.setTimeout(120_000);
	const c = await call();
	try {
		await expectPictureMoving(c.agent.page);
		media.outage(true);
		c.signalling.outage(true);
		// Nothing arrives from the applicant, not even a FIN: the heartbeat (a ping every 10 s, 10 s to
		// answer) finds the connection gone, then the grace period runs out.
		await expect(c.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'false', {
			timeout: 30_000,
		});
		await expect(c.agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'interrupted', {
			timeout: GRACE_PERIOD_MS + 15_000,
		});
		expect((await getVerification<{ state: string }>(c.id, target)).state).toBe('interrupted');
		// Back on the network, the applicant's reconnect is refused and the page says the verification has ended.
		c.signalling.outage(false);
		media.outage(false);
		await expect(c.applicant.page.getByTestId('link-problem')).toHaveAttribute('data-kind', 'ended', { timeout: 40_000 });
	} finally {
		await c.close();
	}
});
