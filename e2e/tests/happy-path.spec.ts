// The whole product once, as people use it: the host creates a verification, the applicant joins
// from the link, consents, passes the device check and waits; an agent takes the call; each sees and
// hears the other (the picture that arrives is the one that was sent); the agent walks every step,
// the applicant sees every prompt and the challenge number the agent expects; the agent approves;
// while the applicant waits its camera is connected and sends nothing, and the agent receives nothing;
// the host reads the outcome by API and receives it by signed webhook.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, createVerification, getVerification, webhooksFor } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	checkDocument,
	expectPictureFrom,
	expectSound,
	joinThroughDeviceCheck,
	participant,
	recordingAttempts,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { notePeerConnections, peerTraffic } from '../support/peerConnections.ts';
import { screenRecorder } from '../support/screens.ts';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a verification from creation to an approved outcome delivered by webhook', async ({}, testInfo) => {
	// Generous: the walk through every step is dozens of round trips, and CI machines are shared.
	test.setTimeout(300_000);
	const shot = screenRecorder(testInfo, 'happy-path');
	const applicant = await participant('applicant');
	const agent = await participant('agent');
	await notePeerConnections(applicant.context);
	await notePeerConnections(agent.context);
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		expect(created.state).toBe('created');
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(agent.page, agentUrl);
		await shot(agent.page, 'agent-queue-empty');

		await joinThroughDeviceCheck(applicant.page, created.applicantUrl, async (screen) => {
			await shot(applicant.page, `applicant-${screen}`);
			await expectAccessible(applicant.page, `applicant ${screen}`);
		});
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await expect(applicant.page.getByTestId('queue-position')).toContainText('1');
		await shot(applicant.page, 'applicant-waiting');
		await expectAccessible(applicant.page, 'applicant waiting room');
		await shot(agent.page, 'agent-queue');
		await expectAccessible(agent.page, 'agent queue');

		// Pre-connected media: while it waits, the applicant's camera is connected to the media server
		// (DTLS up) and sends no RTP; the agent's browser has received nothing of it.
		const waitingMedia = applicant.page.getByTestId('waiting-media');
		await expect(waitingMedia).toHaveAttribute('data-media-state', 'connected');
		await expect(waitingMedia).toContainText('Nobody sees or hears you until an agent takes your call.');
		await expect.poll(async () => (await peerTraffic(applicant.page)).connected).toBeGreaterThan(0);
		const sentWhileWaiting = (await peerTraffic(applicant.page)).packetsSent;
		await applicant.page.waitForTimeout(1000);
		expect((await peerTraffic(applicant.page)).packetsSent).toBe(sentWhileWaiting);
		expect(await peerTraffic(agent.page)).toMatchObject({ packetsReceived: 0, framesDecoded: 0 });

		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();

		// Each side sees the other's own picture and hears the other's microphone.
		await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');
		await expectSound(agent.page.getByTestId('remote-audio-applicant'));
		await expectSound(applicant.page.getByTestId('remote-video-agent').locator('audio'));
		await shot(agent.page, 'agent-call');
		await shot(applicant.page, 'applicant-call');
		await expectAccessible(agent.page, 'agent call');
		await expectAccessible(applicant.page, 'applicant call');

		await walkChecklist(agent.page, applicant.page, { purpose: 'c2c_video', locale: 'en' });
		await expect(agent.page.getByTestId('quality-panel')).toBeVisible();
		// Two documents are checked (one the applicant held up by mistake); only the one the agent records
		// as the applicant's own is tied to them, and the dialog will not approve until the agent says which.
		const suffix = created.id.slice(-8).toUpperCase();
		expect(await checkDocument(agent.page, 'driving_licence', `DL-${suffix}`)).toBe('clear');
		expect(await checkDocument(agent.page, 'national_id', `ID-${suffix}`)).toBe('clear');
		const history = agent.page.getByTestId('document-history');
		await expect(history).toContainText('Check 1: Driving licence, no other account');
		await expect(history).toContainText('Check 2: National ID card, no other account');
		await agent.page.getByTestId('decide-open').click();
		const dialog = agent.page.getByTestId('decision-dialog');
		await dialog.getByTestId('decision-approve').check();
		await dialog.getByTestId('decision-confirm').click();
		await expect(dialog.getByTestId('decision-problem')).toHaveText(
			'Say which checked document is the applicant’s own, or that none is.',
		);
		await expect(dialog.getByTestId('decision-documents')).toContainText('Check 2: National ID card');
		await dialog.getByTestId('decision-document-2').check();
		await shot(agent.page, 'agent-decision-dialog');
		await expectAccessible(agent.page, 'agent decision dialog');
		await dialog.getByTestId('decision-confirm').click();
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();
		await shot(applicant.page, 'applicant-end');
		await shot(agent.page, 'agent-after-decision');
		await expectAccessible(agent.page, 'agent after the decision');
		await expectAccessible(applicant.page, 'applicant end screen');

		// Nothing recorded or exported a frame in either browser during the whole call.
		expect(await recordingAttempts(applicant.page)).toEqual([]);
		expect(await recordingAttempts(agent.page)).toEqual([]);

		const stored = await getVerification<{
			state: string;
			outcome: { decision: string; steps: unknown[]; documentChecks: { count: number; duplicateFound: boolean } };
		}>(created.id);
		expect(stored.state).toBe('approved');
		expect(stored.outcome.decision).toBe('approved');
		expect(stored.outcome.documentChecks).toEqual({ count: 2, duplicateFound: false, mrz: [] });
		await expect.poll(() => webhooksFor(created.id).length, { timeout: 20_000 }).toBe(1);
		const [webhook] = webhooksFor(created.id);
		expect(webhook).toMatchObject({ type: 'verification.decided', signatureValid: true });
	} finally {
		await applicant.close();
		await agent.close();
	}
});
