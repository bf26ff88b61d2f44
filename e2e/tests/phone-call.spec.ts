// The applicant's call on a phone, on one screen: at 390×844 and at 360×640 the prompt, the applicant's
// own picture (with a card-shaped frame during document steps), the agent's picture over its corner and
// the controls are all in view without scrolling; the chat opens as a sheet and works both ways.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, createVerification } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	expectPictureFrom,
	joinThroughDeviceCheck,
	participant,
	videoIn,
} from '../support/journey.ts';

async function expectInView(page: Page, parts: Record<string, Locator>): Promise<void> {
	const viewport = page.viewportSize();
	if (!viewport) throw new Error('no viewport');
	const at = `${viewport.width}×${viewport.height}`;
	for (const [partName, part] of Object.entries(parts)) {
		const name = `${partName} at ${at}`;
		await expect(part, name).toBeVisible();
		const box = await part.boundingBox();
		if (!box) throw new Error(`${name} has no box`);
		expect({ name, top: box.y >= 0, bottom: box.y + box.height <= viewport.height + 0.5 }).toEqual({
			name,
			top: true,
			bottom: true,
		});
	}
	// Nothing had to be scrolled to get there.
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('the phone call fits one screen at 390×844 and 360×640, with a frame for the ID and the chat as a sheet', async ({}) => {
	test.setTimeout(180_000);
	const applicant = await participant('applicant', { phone: true });
	const agent = await participant('agent');
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		await agentGoesAvailable(agent.page, (await agentLink()).agentUrl);
		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await agentAccepts(agent.page, created.id);
		const screen = applicant.page.getByTestId('call-screen');
		await expect(screen).toHaveAttribute('data-layout', 'phone');
		await expectPictureFrom(videoIn(applicant.page, 'remote-video-agent'), 'agent');

		await agent.page.getByTestId('prompt-document_front').click();
		await expect(applicant.page.getByTestId('prompt')).toContainText(/front/i);
		await expect(applicant.page.getByTestId('framing-guide')).toContainText('Fit your ID inside the frame');
		for (const size of [
			{ width: 390, height: 844 },
			{ width: 360, height: 640 },
		]) {
			await applicant.page.setViewportSize(size);
			await expectInView(applicant.page, {
				prompt: applicant.page.getByTestId('prompt'),
				'own picture': applicant.page.getByTestId('local-video'),
				'ID frame': applicant.page.getByTestId('framing-guide'),
				"agent's picture": applicant.page.getByTestId('remote-video-agent'),
				leave: applicant.page.getByTestId('leave-call'),
				chat: applicant.page.getByTestId('chat-toggle'),
			});
		}
		await expectAccessible(applicant.page, 'phone call');

		// The chat is a sheet: a message from the agent is counted on the button, read in the sheet, answered.
		await agent.page.locator('#chat-input').fill('Please hold the card a little closer.');
		await agent.page.locator('#chat-input').press('Enter');
		await expect(applicant.page.getByTestId('chat-toggle')).toHaveText('Chat (1 new message)');
		await applicant.page.getByTestId('chat-toggle').click();
		const sheet = applicant.page.getByTestId('chat-sheet');
		await expect(sheet.getByTestId('chat-messages')).toContainText('Please hold the card a little closer.');
		await sheet.locator('#chat-input').fill('Like this?');
		await sheet.locator('#chat-input').press('Enter');
		await expect(agent.page.getByTestId('chat-messages')).toContainText('Like this?');
		await applicant.page.keyboard.press('Escape');
		await expect(sheet).toBeHidden();
		await expect(applicant.page.getByTestId('chat-toggle')).toHaveText('Chat');

		// Out of document steps the frame goes.
		await agent.page.getByTestId('prompt-face').click();
		await expect(applicant.page.getByTestId('framing-guide')).toHaveCount(0);
	} finally {
		await applicant.close();
		await agent.close();
	}
});
