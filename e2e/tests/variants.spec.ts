// The other ways a verification goes: rejected after a text-only challenge with the reason codes a
// failed step proposes (one it does not support refused first), an identity reset compared with the
// earlier record (and rejected, leaving that record as it was), the applicant leaving the queue, camera
// access refused, a page reload mid-call that resumes within the grace period, and an applicant who
// stays away past it (interrupted).
import { chromium, expect, test } from '@playwright/test';
import type { CreateVerificationBody } from '@vidverify/shared';
import { expectAccessible } from '../support/a11y.ts';
import { launchOptions } from '../support/browser.ts';
import { agentLink, createVerification, getVerification, webhooksFor } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	checkDocument,
	decide,
	expectPictureFrom,
	joinThroughDeviceCheck,
	participant,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { screenRecorder } from '../support/screens.ts';

/** An applicant in a call with an agent, both pictures flowing. */
async function inCall(options: { textOnly?: boolean; body?: Partial<CreateVerificationBody> } = {}) {
	const applicant = await participant('applicant');
	const agent = await participant('agent');
	const created = await createVerification({
		purpose: 'c2c_video',
		locale: 'en',
		accessibility: { textOnlyChallenge: options.textOnly ?? false },
		...options.body,
	});
	const { agentUrl } = await agentLink();
	await agentGoesAvailable(agent.page, agentUrl);
	await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
	await agentAccepts(agent.page, created.id);
	await expect(applicant.page.getByTestId('call-screen')).toBeVisible();
	await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
	return {
		applicant,
		agent,
		created,
		close: async () => {
			await applicant.close();
			await agent.close();
		},
	};
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a text-only challenge is typed and matched, then the agent rejects with reason codes', async ({}, testInfo) => {
	test.setTimeout(180_000);
	const shot = screenRecorder(testInfo, 'reject');
	const call = await inCall({ textOnly: true });
	try {
		await walkChecklist(call.agent.page, call.applicant.page, { purpose: 'c2c_video', locale: 'en', textOnly: true });
		// On a second look the document front does not hold: the agent fails it, which proposes its causes.
		const agent = call.agent.page;
		await agent.getByTestId('fail-document_front').click();
		await expect(agent.getByTestId('step-document_front')).toHaveAttribute('data-status', 'failed');
		await agent.getByTestId('decide-open').click();
		const dialog = agent.getByTestId('decision-dialog');
		await dialog.getByTestId('decision-reject').check();
		const proposed = dialog.getByTestId('decision-proposed');
		for (const code of ['document_expired', 'document_blurred', 'document_unreadable']) {
			await expect(proposed.getByTestId(`proposed-${code}`)).toContainText('Document front failed');
		}
		// A step with several possible causes leaves the pick to the agent: none is ticked for them.
		await expect(proposed.getByTestId('reason-document_expired')).not.toBeChecked();
		await dialog.getByTestId('reason-document_expired').check();
		await dialog.getByTestId('reason-document_blurred').check();
		// A cause no failed step supports: the server refuses it and the dialog says which and what to do.
		await expect(proposed.getByTestId('reason-face_mismatch')).toHaveCount(0);
		await dialog.getByTestId('reason-face_mismatch').check();
		await dialog.getByTestId('decision-note').fill('Expiry date passed last month.');
		await dialog.getByTestId('decision-confirm').click();
		const refusal = dialog.getByTestId('decision-failure');
		await expect(refusal).toHaveAttribute('data-reason', 'reasonsNotSupported');
		await expect(refusal).toContainText('No failed step or check of this call supports: Face does not match document');
		await shot(agent, 'agent-rejection-refused');
		expect((await getVerification<{ state: string }>(call.created.id)).state).toBe('in_call');
		await dialog.getByTestId('reason-face_mismatch').uncheck();
		await expect(refusal).toHaveCount(0);
		await dialog.getByTestId('decision-confirm').click();
		await expect(agent.getByTestId('last-result')).toHaveAttribute('data-state', 'rejected');
		await expect(call.applicant.page.getByTestId('end-screen')).toBeVisible();
		await shot(call.applicant.page, 'applicant-end-rejected');
		await shot(call.agent.page, 'agent-after-reject');
		const stored = await getVerification<{ state: string; outcome: { reasonCodes: string[] } }>(call.created.id);
		expect(stored.state).toBe('rejected');
		expect(stored.outcome.reasonCodes.sort()).toEqual(['document_blurred', 'document_expired']);
		await expect.poll(() => webhooksFor(call.created.id).map((webhook) => webhook.type)).toEqual(['verification.decided']);
	} finally {
		await call.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('an identity reset shows the agent the earlier record, and its rejection leaves the earlier approval as it was', async ({}, testInfo) => {
	test.setTimeout(300_000);
	const shot = screenRecorder(testInfo, 'identity-reset');
	const externalUserRef = `e2e-reset-${process.pid}-${Date.now()}`;
	const first = await inCall({ body: { externalUserRef } });
	const passport = `P-${first.created.id.slice(-8).toUpperCase()}`;
	try {
		expect(await checkDocument(first.agent.page, 'passport', passport)).toBe('clear');
		await walkChecklist(first.agent.page, first.applicant.page, { purpose: 'c2c_video', locale: 'en' });
		await decide(first.agent.page, { approve: true }, () =>
			first.agent.page.getByTestId('decision-dialog').getByTestId('decision-document-1').check(),
		);
		await expect(first.agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
	} finally {
		await first.close();
	}
	const approved = await getVerification(first.created.id);

	const reset = await inCall({ body: { externalUserRef, purpose: 'identity_reset', earlierVerificationId: first.created.id } });
	try {
		const agent = reset.agent.page;
		const earlier = agent.getByTestId('earlier-record');
		await expect(earlier.getByTestId('earlier-decision')).toHaveAttribute('data-state', 'approved');
		await expect(earlier.getByTestId('earlier-decision')).toHaveText('Approved');
		await expect(earlier.getByTestId('earlier-date')).not.toBeEmpty();
		await expect(earlier.getByTestId('earlier-document-type')).toHaveText('Passport');
		await expect(earlier.getByTestId('earlier-document-match')).toHaveAttribute('data-match', 'not_checked');
		// The applicant holds up the earlier passport, not a renewed one: the panel says it is the same.
		expect(await checkDocument(agent, 'passport', passport)).toBe('clear');
		await expect(earlier.getByTestId('earlier-document-match')).toHaveAttribute('data-match', 'same');
		await expect(earlier.getByTestId('earlier-document-match')).toContainText('The same document as the earlier record');
		await shot(agent, 'agent-earlier-record');
		await expectAccessible(agent, 'agent call with the earlier record');

		await agent.getByTestId('prompt-renewal_check').click();
		await agent.getByTestId('fail-renewal_check').click();
		await expect(agent.getByTestId('step-renewal_check')).toHaveAttribute('data-status', 'failed');
		await decide(agent, { reject: ['document_expired'], note: 'Showed the earlier passport, not the renewed one.' });
		await expect(agent.getByTestId('last-result')).toHaveAttribute('data-state', 'rejected');
		expect((await getVerification<{ state: string }>(reset.created.id)).state).toBe('rejected');
		expect(await getVerification(first.created.id)).toEqual(approved);
	} finally {
		await reset.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('an applicant who leaves the queue ends the verification as abandoned and is told what to do', async ({}, testInfo) => {
	const shot = screenRecorder(testInfo, 'leave-queue');
	const applicant = await participant('applicant', { phone: true });
	try {
		const created = await createVerification({ purpose: 'identity_reset', locale: 'en' });
		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await shot(applicant.page, 'applicant-phone-waiting');
		await applicant.page.getByTestId('leave-queue').click();
		const confirm = applicant.page.getByTestId('confirm-yes');
		if (await confirm.isVisible().catch(() => false)) await confirm.click();
		const end = applicant.page.getByTestId('end-screen');
		await expect(end).toHaveAttribute('data-state', 'abandoned');
		await expect(end).toContainText('try again');
		await shot(applicant.page, 'applicant-phone-end-abandoned');
		await expectAccessible(applicant.page, 'applicant end screen after leaving');
		await expect.poll(async () => (await getVerification<{ state: string }>(created.id)).state).toBe('abandoned');
		await expect.poll(() => webhooksFor(created.id).map((webhook) => webhook.type)).toEqual(['verification.abandoned']);
	} finally {
		await applicant.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('refused camera access gets a message that says how to allow it, and a retry', async ({}, testInfo) => {
	const shot = screenRecorder(testInfo, 'camera-denied');
	// Without the flag that grants media without asking, headless Chromium refuses the request.
	const options = launchOptions();
	const browser = await chromium.launch({
		...options,
		args: (options.args ?? []).filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
	});
	try {
		const page = await (
			await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
		).newPage();
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		await page.goto(created.applicantUrl);
		await page.getByTestId('consent-accept').click();
		const problem = page.getByTestId('device-problem');
		await expect(problem).toBeVisible();
		await expect(problem).toHaveAttribute('data-kind', 'permission_denied');
		await expect(page.getByTestId('device-problem-fix')).not.toBeEmpty();
		await expect(page.getByTestId('device-retry')).toBeVisible();
		await expect(page.getByTestId('device-check-continue')).toBeDisabled();
		await shot(page, 'applicant-phone-camera-denied');
		await expectAccessible(page, 'camera refused');
	} finally {
		await browser.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a page reload during the call comes back into the same call within the grace period', async ({}, testInfo) => {
	test.setTimeout(180_000);
	const shot = screenRecorder(testInfo, 'reload');
	const call = await inCall();
	try {
		await call.agent.page.getByTestId('prompt-face').click();
		await call.applicant.page.reload();
		await expect(call.applicant.page.getByTestId('call-screen')).toBeVisible();
		// The state survives: the prompt shown before the reload is shown again, and media flows again.
		await expect(call.applicant.page.getByTestId('prompt')).not.toContainText('The agent will tell you');
		await expectPictureFrom(videoIn(call.applicant.page, 'remote-video-agent'), 'agent');
		await expectPictureFrom(videoIn(call.agent.page, 'remote-video-applicant'), 'applicant');
		await expect(call.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'true');
		await shot(call.applicant.page, 'applicant-after-reload');
		expect((await getVerification<{ state: string }>(call.created.id)).state).toBe('in_call');
	} finally {
		await call.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a dropped network shows a reconnecting state, then the same call comes back with its pictures', async ({}, testInfo) => {
	test.setTimeout(180_000);
	const shot = screenRecorder(testInfo, 'network-drop');
	const call = await inCall();
	try {
		await call.applicant.context.setOffline(true);
		await expect(call.applicant.page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'reconnecting');
		await expect(call.applicant.page.getByTestId('call-screen')).toBeVisible();
		await shot(call.applicant.page, 'applicant-reconnecting');
		// An offline browser sends nothing, not even a FIN: the server's heartbeat (a ping every 10 s, 10 s to
		// answer) finds the connection gone within 20 s of the drop.
		await expect(call.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'false', {
			timeout: 35_000,
		});
		await call.applicant.context.setOffline(false);
		await expect(call.applicant.page.getByTestId('connection-banner')).toHaveAttribute('data-state', 'connected');
		await expect(call.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'true');
		await expectPictureFrom(videoIn(call.agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(call.applicant.page, 'remote-video-agent'), 'agent');
		await shot(call.applicant.page, 'applicant-back');
		expect((await getVerification<{ state: string }>(call.created.id)).state).toBe('in_call');
	} finally {
		await call.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('an applicant who stays away past the grace period ends the call as interrupted', async ({}, testInfo) => {
	test.setTimeout(180_000);
	const shot = screenRecorder(testInfo, 'interrupted');
	const call = await inCall();
	try {
		await call.applicant.context.close();
		await expect(call.agent.page.getByTestId('participant-applicant')).toHaveAttribute('data-connected', 'false');
		await shot(call.agent.page, 'agent-applicant-reconnecting');
		// The e2e server's grace period is a few seconds.
		await expect(call.agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'interrupted', { timeout: 30_000 });
		await shot(call.agent.page, 'agent-after-interruption');
		expect((await getVerification<{ state: string }>(call.created.id)).state).toBe('interrupted');
		await expect.poll(() => webhooksFor(call.created.id).map((webhook) => webhook.type)).toEqual(['verification.interrupted']);
	} finally {
		await call.close();
	}
});
