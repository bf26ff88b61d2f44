// A network whose only way out is TLS to the TURN relay (as where only port 443 is open): coturn with a
// self-signed certificate made for this run, listening for TURN over TLS only (no plain UDP or TCP
// listener), the server handing out only a `turns:` URL, and both browsers limited to relayed
// candidates. The call connects through the relay over TLS and each side sees the other's picture.
//
// The browsers trust that one certificate and nothing else: Chromium's
// --ignore-certificate-errors-spki-list with the certificate's key hash, in these two browsers only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { type Browser, chromium, expect, test } from '@playwright/test';
import { freePort } from '../../server/test/redis.ts';
import { startServer } from '../../server/test/support/serverProcess.ts';
import { launchOptions } from '../support/browser.ts';
import { ROLE_COLOURS, writeFakeVideo } from '../support/fakeVideo.ts';
import { agentLink, createVerification } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	expectPictureFrom,
	joinThroughDeviceCheck,
	type Participant,
	type Role,
	videoIn,
} from '../support/journey.ts';
import { relayOnly, selfSignedCertificate, startTurn } from '../support/turnServer.ts';

const API_KEY = 'e2e-turn-tls-api-key-0123456789';
const TURN_SECRET = 'e2e-turn-tls-shared-secret-0123456789';

/** The base64 SHA-256 of the certificate's public key, as --ignore-certificate-errors-spki-list takes it. */
function spkiHash(certificate: string): string {
	const publicKey = execFileSync('openssl', ['x509', '-in', certificate, '-pubkey', '-noout']);
	const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
	return execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
}

async function trustingParticipant(role: Role, spki: string): Promise<Participant> {
	const camera = writeFakeVideo({ colour: ROLE_COLOURS[role], width: 640, height: 360, frames: 10 });
	const browser: Browser = await chromium.launch(
		launchOptions([`--use-file-for-fake-video-capture=${camera}`, `--ignore-certificate-errors-spki-list=${spki}`]),
	);
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
	await context.addInitScript(relayOnly);
	const page = await context.newPage();
	return { role, browser, context, page, close: () => browser.close() };
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('with only TLS to the TURN relay open, the call connects through it and both pictures arrive', async ({}) => {
	test.setTimeout(120_000);
	const tls = selfSignedCertificate();
	const turn = await startTurn({
		port: await freePort(),
		secret: TURN_SECRET,
		relayPorts: { min: 49500, max: 49599 },
		tls: { port: await freePort(), certificate: tls.certificate, key: tls.key },
	});
	const server = await startServer({
		API_KEYS: API_KEY,
		TURN_URLS: `turns:localhost:${turn.port}?transport=tcp`,
		TURN_SECRET,
	});
	const target = { url: server.url, apiKey: API_KEY };
	const spki = spkiHash(tls.certificate);
	const applicant = await trustingParticipant('applicant', spki);
	const agent = await trustingParticipant('agent', spki);
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' }, target);
		const { agentUrl } = await agentLink({}, target);
		await agentGoesAvailable(agent.page, agentUrl);
		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await agentAccepts(agent.page, created.id);

		await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');
		// The relay allocated for the browsers, over TLS: its only listener, and every session's.
		expect(turn.log()).toMatch(/incoming packet ALLOCATE processed, success/);
		const log = turn.log();
		const listeners = log.match(/\w+ listener opened on/g) ?? [];
		expect(listeners.length).toBeGreaterThan(0);
		expect(new Set(listeners)).toEqual(new Set(['TLS listener opened on']));
		const sessions = log.match(/session \d+: new, .*/g) ?? [];
		expect(sessions.length).toBeGreaterThan(0);
		for (const session of sessions) expect(session).toMatch(/method=TLSv1\.[23]/);
	} finally {
		await applicant.close();
		await agent.close();
		await server.stop();
		await turn.stop();
		fs.rmSync(tls.directory, { recursive: true, force: true });
	}
});
