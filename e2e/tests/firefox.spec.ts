// Journeys with Firefox ESR (Debian's, driven by puppeteer-core over WebDriver BiDi; see
// support/firefox.ts): the connection check, an applicant's whole verification in Firefox with the
// agent in Chromium, and an interpreter in Firefox joining a Chromium applicant's call. Firefox's fake camera is a cycling solid colour, so what arrives from Firefox
// must be that; what Firefox shows of the agent must be the agent's own colour.
import { expect, test } from '@playwright/test';
import { ROLE_COLOURS } from '../support/fakeVideo.ts';
import {
	byTestId,
	chromiumText,
	colourIn,
	expectFirefoxFakeCamera,
	expectVisible,
	firefoxParticipant,
	firefoxText,
	joinThroughDeviceCheck,
	readPatches,
	receivedAudioLevel,
	textOf,
	walkChecklistAcrossBrowsers,
} from '../support/firefox.ts';
import { agentLink, baseUrl, createVerification, getVerification, webhooksFor } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	decide,
	expectSound,
	joinThroughDeviceCheck as joinThroughDeviceCheckInChromium,
	participant,
	videoIn,
} from '../support/journey.ts';
import { sameColour } from '../support/pixels.ts';

test('Firefox: the connection check sends the camera through the SFU and decodes it when it comes back', async () => {
	const firefox = await firefoxParticipant();
	try {
		const { page } = firefox;
		await page.goto(`${baseUrl()}/check`);
		await page.locator('::-p-text(Start the check)').click();
		const status = `${byTestId('check-status')}[data-phase="passed"]`;
		await page.waitForSelector(status, { timeout: 30_000 });
		expect(await textOf(page, status)).toContain('Your connection works');
		expect(Number(await page.$eval(status, (element) => element.getAttribute('data-frames-decoded')))).toBeGreaterThan(0);
		// What comes back is Firefox's own camera, still cycling: decoded live, not one frozen frame.
		await expectFirefoxFakeCamera(() => page.$eval(byTestId('echo-video'), readPatches));
	} finally {
		await firefox.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('Firefox: an applicant in Firefox is verified by an agent in Chromium, from the link to the webhook', async ({}) => {
	// Two browsers sending and decoding video on two shared cores, and a dozen steps of round trips.
	test.setTimeout(180_000);
	const applicant = await firefoxParticipant();
	const agent = await participant('agent');
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(agent.page, agentUrl);

		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await expectVisible(applicant.page, 'waiting-room');
		await agentAccepts(agent.page, created.id);
		await expectVisible(applicant.page, 'call-screen');

		// The agent sees Firefox's camera live and hears its tone; Firefox shows the agent's own picture and
		// receives the agent's sound.
		await expectFirefoxFakeCamera(() => videoIn(agent.page, 'remote-video-applicant').evaluate(readPatches));
		await expect
			.poll(async () => sameColour(await colourIn(applicant.page, byTestId('remote-video-agent')), ROLE_COLOURS.agent), {
				timeout: 30_000,
			})
			.toBe(true);
		await expectSound(agent.page.getByTestId('remote-audio-applicant'));
		await expect.poll(() => receivedAudioLevel(applicant.page), { timeout: 20_000 }).toBeGreaterThan(0.01);

		await walkChecklistAcrossBrowsers(agent.page, firefoxText(applicant.page), { purpose: 'c2c_video', locale: 'en' });
		await decide(agent.page, { approve: true });
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		await expectVisible(applicant.page, 'end-screen');

		const stored = await getVerification<{ state: string; outcome: { decision: string } }>(created.id);
		expect(stored.outcome.decision).toBe('approved');
		await expect.poll(() => webhooksFor(created.id).length, { timeout: 20_000 }).toBe(1);
		expect(webhooksFor(created.id)[0]).toMatchObject({ type: 'verification.decided', signatureValid: true });
	} finally {
		await applicant.close();
		await agent.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('Firefox: an interpreter in Firefox joins a Chromium applicant’s call by invitation, declares, and the agent approves', async ({}) => {
	// Three browsers sending and decoding video on two shared cores, and a dozen steps of round trips.
	test.setTimeout(240_000);
	const applicant = await participant('applicant');
	const interpreter = await firefoxParticipant();
	const agent = await participant('agent');
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en', accessibility: { interpreter: true } });
		const { agentUrl } = await agentLink({ skills: ['sign_language'] });
		await agentGoesAvailable(agent.page, agentUrl);
		await joinThroughDeviceCheckInChromium(applicant.page, created.applicantUrl);
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();

		await applicant.page.getByTestId('invite-interpreter').click();
		const link = applicant.page.getByTestId('interpreter-link');
		await expect(link).toBeVisible();
		const invitation = (await link.inputValue().catch(() => link.innerText())).trim();
		await joinThroughDeviceCheck(interpreter.page, invitation);
		await expectVisible(interpreter.page, 'call-screen');
		await expect(agent.page.getByTestId('participant-interpreter')).toHaveAttribute('data-connected', 'true');

		// Both Chromiums see Firefox's camera live; Firefox shows each of them in their own colour.
		await expectFirefoxFakeCamera(() => videoIn(agent.page, 'remote-video-interpreter').evaluate(readPatches));
		await expectFirefoxFakeCamera(() => videoIn(applicant.page, 'remote-video-interpreter').evaluate(readPatches));
		for (const [tile, role] of [
			['remote-video-applicant', 'applicant'],
			['remote-video-agent', 'agent'],
		] as const) {
			await expect
				.poll(async () => sameColour(await colourIn(interpreter.page, byTestId(tile)), ROLE_COLOURS[role]), { timeout: 30_000 })
				.toBe(true);
		}

		await walkChecklistAcrossBrowsers(agent.page, chromiumText(applicant.page), {
			purpose: 'c2c_video',
			locale: 'en',
			interpreter: {
				text: firefoxText(interpreter.page),
				declare: async () => {
					await interpreter.page.locator(byTestId('declare-name')).fill('Lin Mei');
					await interpreter.page.select(byTestId('declare-relation'), 'sibling');
					await interpreter.page.locator(byTestId('declare-submit')).click();
					await expect(agent.page.getByTestId('interpreter-declaration-step')).toContainText('Lin Mei');
				},
			},
		});
		await decide(agent.page, { approve: true });
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		await expectVisible(interpreter.page, 'end-screen');
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();

		const stored = await getVerification<{ outcome: { interpreter: { relation: string } | null } }>(created.id);
		expect(stored.outcome.interpreter?.relation).toBe('sibling');
	} finally {
		await applicant.close();
		await interpreter.close();
		await agent.close();
	}
});
