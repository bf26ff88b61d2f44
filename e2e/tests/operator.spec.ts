// The operator view, as the person running the service uses it, by keyboard only: a wrong key is
// refused and the right one opens the view; an agent going available, an applicant in the queue with
// their wait, then the two in a real call with the applicant's quality measured, the agent busy in it
// and the media worker carrying it all show up as they happen, with the time of the last refresh
// moving on its own and on "Refresh now"; a server that cannot be reached is said to be so while the
// last figures stay. Accessible, and all Chinese in Chinese.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { OPERATOR_OVERVIEW_PATH } from '@vidverify/shared';
import { expectAccessible } from '../support/a11y.ts';
import { agentLink, baseUrl, createVerification } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, joinThroughDeviceCheck, participant } from '../support/journey.ts';
import { screenRecorder } from '../support/screens.ts';
import { expectNoEnglish } from '../support/untranslated.ts';

function operatorKey(): string {
	const key = process.env.VIDVERIFY_E2E_OPERATOR_KEY;
	if (!key) throw new Error('VIDVERIFY_E2E_OPERATOR_KEY is not set: run the journeys through the Playwright config');
	return key;
}

/** Moves the focus with the keyboard alone until it is on `target`. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
	for (let presses = 0; presses < 40; presses += 1) {
		if (await target.evaluate((element) => element === document.activeElement)) return;
		await page.keyboard.press(key);
	}
	throw new Error(`${target} could not be reached with ${key}`);
}

test('the operator follows the queue, a live call and its agent as they happen, by keyboard only', async ({ page }, testInfo) => {
	// Well under two minutes on a quiet machine; the margin is for a machine shared with other runs.
	test.setTimeout(180_000);
	const shot = screenRecorder(testInfo, 'operator');
	const agent = await participant('agent');
	const applicant = await participant('applicant');
	try {
		await page.goto(`${baseUrl()}/operator`);
		const keyField = page.getByLabel('Operator key');
		await tabTo(page, keyField);
		await page.keyboard.type('not-the-operator-key-0123456789abcdef');
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('operator-refusal')).toHaveText(
			'This operator key was not accepted. Check it and enter it again.',
		);
		await expect(keyField).toBeFocused();
		await expectAccessible(page, 'operator key form after a refused key');
		await shot(page, 'operator-key-refused');

		await page.keyboard.press('ControlOrMeta+A');
		await page.keyboard.type(operatorKey());
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name: 'At a glance' })).toBeFocused();
		// The key went in a header only: the address is as it was.
		expect(page.url()).toBe(`${baseUrl()}/operator`);
		const refreshed = page.getByTestId('operator-refreshed');
		await expect(refreshed).toHaveText(/^Last refreshed at \d\d:\d\d:\d\d( [AP]M)?$/);

		// The agent comes online, then an applicant waits: both show up without the operator doing anything.
		const agentId = `e2e-operator-agent-${Date.now()}`;
		const displayName = 'Agent Operator-View';
		const { agentUrl } = await agentLink({ agentId, displayName });
		const agentRow = page.locator(`[data-testid="operator-agent"][data-agent-id="${agentId}"]`);
		await agentGoesAvailable(agent.page, agentUrl);
		await expect(agentRow).toHaveAttribute('data-state', 'available');
		const inCall = await createVerification();
		await joinThroughDeviceCheck(applicant.page, inCall.applicantUrl);
		await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
		const queued = page.locator(`[data-testid="operator-queue-item"][data-verification-id="${inCall.id}"]`);
		await expect(queued).toContainText('C2C trading unlock');
		await expect(queued.getByTestId('operator-waited')).toHaveText(/^\d+:\d\d$/);
		await expect(page.getByTestId('operator-queue')).toContainText(/Queue: [1-9]\d* waiting, the longest for \d+:\d\d/);

		// The agent takes the call: it appears with the applicant's quality, the agent busy in it.
		await agentAccepts(agent.page, inCall.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();
		await expect(queued).toHaveCount(0);
		const call = page.locator(`[data-testid="operator-call"][data-verification-id="${inCall.id}"]`);
		await expect(call).toContainText(`Agent: ${displayName}`);
		const applicantRow = call.getByTestId('operator-call-applicant');
		await expect(applicantRow.getByTestId('operator-bitrate')).toHaveText(/^\d[\d,]* kbit\/s$/);
		await expect(applicantRow.getByTestId('operator-loss')).toHaveText(/^[\d.]+ %$/);
		await expect(applicantRow.getByTestId('operator-rtt')).toHaveText(/^\d+ ms$/);
		await expect(applicantRow.getByTestId('operator-resolution')).toHaveText(/^\d+×\d+$/);
		await expect(call.getByTestId('operator-call-agent')).toBeVisible();
		await expect(agentRow).toHaveAttribute('data-state', 'busy');
		await expect(agentRow).toContainText('Busy');
		await expect(agentRow).toContainText(inCall.id);

		// The worker carries the call, and its CPU between two refreshes is known.
		const worker = page.getByTestId('operator-worker').first();
		await expect(worker.getByTestId('operator-routers')).toHaveText(/^[1-9]/);
		await expect(worker.getByTestId('operator-consumers')).toHaveText(/^\d+ \/ [1-9]\d*$/);
		await expect(worker.getByTestId('operator-cpu-now')).toHaveText(/^[\d.]+ %$/);

		// The time of the last refresh moves on its own, and on "Refresh now" pressed from the keyboard.
		const shownAt = await refreshed.textContent();
		await expect(refreshed).not.toHaveText(shownAt ?? '');
		const refreshNow = page.getByRole('button', { name: 'Refresh now' });
		await tabTo(page, refreshNow, 'Shift+Tab');
		const readAt = await refreshed.getAttribute('data-at');
		await page.keyboard.press('Enter');
		await expect(refreshed).not.toHaveAttribute('data-at', readAt ?? '');
		// Each table is reachable by keyboard (to scroll it on a narrow screen).
		await tabTo(page, page.getByRole('region', { name: /^Live calls on this server/ }));
		await expectAccessible(page, 'operator view with a live call');
		await shot(page, 'operator-live');

		// The server cannot be reached: the page says so and keeps the last figures; then it recovers.
		await page.route(`**${OPERATOR_OVERVIEW_PATH}`, (route) => route.abort('connectionrefused'));
		const problem = page.getByTestId('operator-problem');
		await expect(problem).toHaveText(
			'The server cannot be reached. The figures below are from the last refresh; this page tries again every 3 s.',
		);
		await expect(page.getByTestId('operator-last-try')).toHaveText(/^Last try at \d\d:\d\d:\d\d( [AP]M)?\.$/);
		await expect(call).toBeVisible();
		await expectAccessible(page, 'operator view with the server unreachable');
		await shot(page, 'operator-unreachable');
		await page.unroute(`**${OPERATOR_OVERVIEW_PATH}`);
		await expect(problem).toHaveCount(0);

		// In Chinese, nothing is left in English but the ids and names the service holds.
		await page.getByLabel('Language').selectOption('zh-CN');
		await expect(page.getByRole('heading', { name: '运维视图' })).toBeVisible();
		const values = [...(await page.locator('code').allTextContents()), ...(await agentNames(page))];
		await expectNoEnglish(page, 'operator view', values);
		await shot(page, 'operator-live-zh-CN');
	} finally {
		await Promise.all([agent.close(), applicant.close()]);
	}
});

function agentNames(page: Page): Promise<string[]> {
	return page.getByTestId('operator-agent').locator('th').allTextContents();
}
