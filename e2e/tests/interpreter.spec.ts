// A deaf applicant brings a family interpreter: the applicant (on a phone) hands over a one-time
// invitation link, the interpreter joins from a phone of their own, all three see each other, the
// interpreter declares name and relation when prompted, the interpreter's steps are walked, and the
// agent (with the sign-language skill) approves.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, createVerification, getVerification, webhooksFor } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	decide,
	expectPictureFrom,
	joinThroughDeviceCheck,
	participant,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { screenRecorder } from '../support/screens.ts';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('an interpreter-assisted verification on phones, decided by a sign-language agent', async ({}, testInfo) => {
	// Three phone-sized browsers sending and decoding video on two shared cores: about four minutes on an idle
	// machine, more when it is busy. A budget for the journey, not a claim about its speed.
	test.setTimeout(720_000);
	const shot = screenRecorder(testInfo, 'interpreter');
	const applicant = await participant('applicant', { phone: true });
	const interpreter = await participant('interpreter', { phone: true });
	const agent = await participant('agent');
	try {
		const created = await createVerification({
			purpose: 'c2c_video',
			locale: 'en',
			accessibility: { interpreter: true, textOnlyChallenge: true },
		});
		const { agentUrl } = await agentLink({ skills: ['sign_language'] });
		await agentGoesAvailable(agent.page, agentUrl);

		await joinThroughDeviceCheck(applicant.page, created.applicantUrl, (screen) =>
			shot(applicant.page, `applicant-phone-${screen}`),
		);
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();

		// The applicant asks for the invitation and hands the link over.
		await applicant.page.getByTestId('invite-interpreter').click();
		const link = applicant.page.getByTestId('interpreter-link');
		await expect(link).toBeVisible();
		const invitation = (await link.inputValue().catch(() => link.innerText())).trim();
		expect(invitation).toContain('/join#');
		await shot(applicant.page, 'applicant-phone-invitation');

		await joinThroughDeviceCheck(interpreter.page, invitation, async (screen) => {
			await shot(interpreter.page, `interpreter-phone-${screen}`);
			await expectAccessible(interpreter.page, `interpreter ${screen}`);
		});
		await expect(interpreter.page.getByTestId('call-screen')).toBeVisible();
		await expect(agent.page.getByTestId('participant-interpreter')).toHaveAttribute('data-connected', 'true');

		// All three decode each other's own pictures.
		await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(agent.page, 'remote-video-interpreter'), 'interpreter');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-interpreter'), 'interpreter');
		await expectPictureFrom(videoIn(interpreter.page, 'remote-video-applicant'), 'applicant');
		await expectPictureFrom(videoIn(interpreter.page, 'remote-video-agent'), 'agent');
		await shot(interpreter.page, 'interpreter-phone-call');
		await shot(applicant.page, 'applicant-phone-call');
		await shot(agent.page, 'agent-call-with-interpreter');
		await expectAccessible(interpreter.page, 'interpreter call');
		await expectAccessible(applicant.page, 'applicant call on a phone');

		// A second use of the same invitation is refused with a message a person can act on.
		const intruder = await interpreter.context.browser()?.newContext();
		if (intruder) {
			const page = await intruder.newPage();
			await page.goto(invitation);
			await expect(page.getByTestId('link-problem')).toBeVisible();
			await intruder.close();
		}

		await walkChecklist(agent.page, applicant.page, {
			purpose: 'c2c_video',
			locale: 'en',
			interpreter: interpreter.page,
			textOnly: true,
		});
		await decide(agent.page, { approve: true });
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		await expect(interpreter.page.getByTestId('end-screen')).toBeVisible();
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();
		await shot(interpreter.page, 'interpreter-phone-end');

		const stored = await getVerification<{
			outcome: { interpreter: { relation: string; consent: { version: string } | null } | null };
		}>(created.id);
		expect(stored.outcome.interpreter?.relation).toBe('sibling');
		// The interpreter's own consent is part of the record.
		expect(stored.outcome.interpreter?.consent?.version).toMatch(/\S/);
		await expect.poll(() => webhooksFor(created.id).length, { timeout: 20_000 }).toBe(1);
	} finally {
		await applicant.close();
		await interpreter.close();
		await agent.close();
	}
});
