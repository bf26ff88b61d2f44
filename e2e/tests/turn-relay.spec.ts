// A network where nothing but the TURN relay gets through: a real coturn (Debian's turnserver) with
// the shared-secret credentials the server hands out, and browsers limited to relayed candidates (as
// behind a firewall that blocks the media ports). The call still connects, through the relay, and
// each side sees the other's own picture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../../server/test/redis.ts';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { agentLink, createVerification } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	expectPictureFrom,
	joinThroughDeviceCheck,
	participant,
	videoIn,
} from '../support/journey.ts';
import { relayOnly, startTurn } from '../support/turnServer.ts';

const API_KEY = 'e2e-turn-relay-api-key-0123456789';
const TURN_SECRET = 'e2e-turn-relay-shared-secret-0123456789';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('with only the TURN relay reachable, the call connects through it and both pictures arrive', async ({}) => {
	test.setTimeout(180_000);
	const turnPort = await freePort();
	const turn = await startTurn({ port: turnPort, secret: TURN_SECRET, relayPorts: { min: 49300, max: 49399 } });
	const server = await startServer({
		DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-turn-')),
		API_KEYS: API_KEY,
		TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=udp`,
		TURN_SECRET,
	});
	const target = { url: server.url, apiKey: API_KEY };
	const applicant = await participant('applicant');
	const agent = await participant('agent');
	try {
		await applicant.context.addInitScript(relayOnly);
		await agent.context.addInitScript(relayOnly);
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' }, target);
		const { agentUrl } = await agentLink({}, target);
		await agentGoesAvailable(agent.page, agentUrl);
		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await agentAccepts(agent.page, created.id);

		await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');
		// The relay authenticated each browser with a credential derived from the shared secret.
		expect(turn.log()).toMatch(/incoming packet ALLOCATE processed, success/);
	} finally {
		await applicant.close();
		await agent.close();
		await server.stop();
		await turn.stop();
	}
});
