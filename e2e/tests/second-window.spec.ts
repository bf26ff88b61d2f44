// One connection per participant, as a person meets it: opening the same join link in a second window
// (or on a second device) moves the verification there, and the first window says so in the person's
// language, with what to do, instead of going on silently or going blank.
import { chromium, expect, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { launchOptions } from '../support/browser.ts';
import { createVerification } from '../support/hostApi.ts';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('a join link opened in a second window moves the verification there, and the first window says so', async ({}) => {
	const browser = await chromium.launch(launchOptions());
	try {
		const context = await browser.newContext({ locale: 'zh-CN' });
		const created = await createVerification({ purpose: 'c2c_video', locale: 'zh-CN' });
		const first = await context.newPage();
		await first.goto(created.applicantUrl);
		await expect(first.getByTestId('consent-accept')).toBeVisible();
		const second = await context.newPage();
		await second.goto(created.applicantUrl);
		await expect(second.getByTestId('consent-accept')).toBeVisible();

		const banner = first.getByTestId('connection-banner');
		await expect(banner).toHaveAttribute('data-state', 'replaced');
		await expect(banner).toContainText('另一个窗口');
		await expectAccessible(first, 'replaced connection');
		// The second window carries on: its consent puts the applicant in the queue.
		await second.getByTestId('consent-accept').click();
		await expect(second.getByTestId('connection-banner')).not.toHaveAttribute('data-state', 'replaced');
	} finally {
		await browser.close();
	}
});
