// The three flows in browsers set to Simplified Chinese: every main screen of the applicant, the
// interpreter and the agent reads in Chinese, with no English left over, and a request the server
// refuses (a second device opening a used invitation) is explained in Chinese by its reason.
import { expect, test } from '@playwright/test';
import { agentLink, createVerification } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, decide, joinThroughDeviceCheck, participant } from '../support/journey.ts';
import { expectNoEnglish } from '../support/untranslated.ts';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('applicant, interpreter and agent see every main screen in Chinese, and a refusal says why in Chinese', async ({}) => {
	test.setTimeout(240_000);
	const applicant = await participant('applicant', { locale: 'zh-CN' });
	const interpreter = await participant('interpreter', { locale: 'zh-CN' });
	const agent = await participant('agent', { locale: 'zh-CN' });
	try {
		const created = await createVerification({
			purpose: 'c2c_video',
			locale: 'zh-CN',
			accessibility: { interpreter: true, textOnlyChallenge: false },
		});
		const agentName = '王审核';
		const { agentUrl } = await agentLink({ displayName: agentName, skills: ['sign_language'] });
		const shown = [created.id, agentName];

		await agentGoesAvailable(agent.page, agentUrl);
		await expect(agent.page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await expect(agent.page.getByTestId('queue-view')).toBeVisible();
		await expectNoEnglish(agent.page, 'agent queue', shown);

		await joinThroughDeviceCheck(applicant.page, created.applicantUrl, async (screen) => {
			await expectNoEnglish(applicant.page, `applicant ${screen}`, shown);
		});
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		await expectNoEnglish(applicant.page, 'applicant waiting room', shown);

		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();
		await expectNoEnglish(agent.page, 'agent call', shown);
		await expectNoEnglish(applicant.page, 'applicant call', shown);

		await applicant.page.getByTestId('invite-interpreter').click();
		const link = applicant.page.getByTestId('interpreter-link');
		await expect(link).toBeVisible();
		const invitation = (await link.inputValue().catch(() => link.innerText())).trim();
		await expectNoEnglish(applicant.page, 'applicant invitation', shown);

		await joinThroughDeviceCheck(interpreter.page, invitation, async (screen) => {
			await expectNoEnglish(interpreter.page, `interpreter ${screen}`, shown);
		});
		await expect(interpreter.page.getByTestId('call-screen')).toBeVisible();
		await expect(agent.page.getByTestId('participant-interpreter')).toHaveAttribute('data-connected', 'true');
		await expectNoEnglish(interpreter.page, 'interpreter call', shown);
		await expectNoEnglish(agent.page, 'agent call with interpreter', shown);

		// The same invitation on a second device: the server refuses the handshake, the page says why.
		const intruder = await interpreter.browser.newContext({ locale: 'zh-CN' });
		const page = await intruder.newPage();
		await page.goto(invitation);
		const problem = page.getByTestId('link-problem');
		await expect(problem).toHaveAttribute('data-reason', 'invitationUsed');
		await expect(page.getByTestId('link-problem-reason')).toContainText('此邀请已在另一台设备上使用过');
		await expectNoEnglish(page, 'used invitation');
		await intruder.close();

		await decide(agent.page, { escalate: '需要复核人员查看证件。' }, async () => {
			await expectNoEnglish(agent.page, 'agent decision', shown);
		});
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'in_review');
		await expectNoEnglish(agent.page, 'agent last result', [...shown, '需要复核人员查看证件。']);
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();
		await expectNoEnglish(applicant.page, 'applicant end', shown);
		await expect(interpreter.page.getByTestId('end-screen')).toBeVisible();
		await expectNoEnglish(interpreter.page, 'interpreter end', shown);
	} finally {
		await applicant.close();
		await interpreter.close();
		await agent.close();
	}
});
