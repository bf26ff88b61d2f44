// The screens a journey does not pass through, scanned the same way: the landing page, the
// connection check, broken links for each role, and the agent console in Chinese.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, baseUrl } from '../support/hostApi.ts';
import { screenRecorder } from '../support/screens.ts';

test('the landing page and the connection check are accessible', async ({ page }, testInfo) => {
	const shot = screenRecorder(testInfo, 'public-pages');
	await page.goto(baseUrl());
	await expectAccessible(page, 'landing page');
	await shot(page, 'home');
	await page.goto(`${baseUrl()}/check`);
	await expect(page.getByRole('button', { name: 'Start the check' })).toBeVisible();
	await expectAccessible(page, 'connection check');
	await shot(page, 'connection-check');
});

test('a join link without a token, or with a broken one, says what to do, for applicants and agents', async ({
	page,
}, testInfo) => {
	const shot = screenRecorder(testInfo, 'link-problems');
	for (const [name, url] of [
		['join-without-token', `${baseUrl()}/join`],
		['join-broken-token', `${baseUrl()}/join#not-a-token`],
		['agent-broken-token', `${baseUrl()}/agent#not-a-token`],
	] as const) {
		await page.goto(url);
		const problem = name.startsWith('agent') ? page.getByTestId('agent-link-problem') : page.getByTestId('link-problem');
		await expect(problem).toBeVisible();
		await expect(problem).not.toBeEmpty();
		await expectAccessible(page, name);
		await shot(page, name);
	}
});

test('the agent console in Simplified Chinese is accessible and translated', async ({ page }, testInfo) => {
	const shot = screenRecorder(testInfo, 'agent-zh-CN');
	const { agentUrl } = await agentLink();
	await page.goto(agentUrl);
	await page.getByLabel('Language').selectOption('zh-CN');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByTestId('availability-toggle')).toContainText(/[\u4e00-\u9fff]/);
	await expectAccessible(page, 'agent console in Chinese');
	await shot(page, 'agent-queue-zh-CN');
});
