// The first five minutes: on a development server a newcomer opens the landing page, presses Try, opens
// the applicant link and the agent link in two browsers and completes a verification; the variants
// make what they say, in Chinese too. A production server offers no Try and refuses its endpoint.
import { generateKeyPairSync } from 'node:crypto';
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import { TRY_VERIFICATION_PATH } from '@vidverify/shared';
import { type RunningServer, startServer } from '../../server/test/support/serverProcess.ts';
import { expectAccessible } from '../support/a11y.ts';
import { launchOptions } from '../support/browser.ts';
import { getVerification } from '../support/hostApi.ts';
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
import { expectNoEnglish } from '../support/untranslated.ts';

const API_KEY = 'try-e2e-api-key-0123456789abcdef';

/** Waits until the page knows whether its server offers trying (it asks once, on load). */
async function openLanding(page: Page, url: string, offer: 'offered' | 'none'): Promise<void> {
	await page.goto(url);
	await expect(page.getByTestId('home')).toHaveAttribute('data-try-offer', offer);
}

test.describe('on a development server', () => {
	let server: RunningServer;
	test.beforeAll(async () => {
		// NODE_ENV=development as `npm start` runs it: the try page is on by default. The API key is given
		// only so the test can read the outcome as a host would; every other secret is generated.
		server = await startServer({ NODE_ENV: 'development', API_KEYS: API_KEY, GRACE_PERIOD_MS: '8000' });
	});
	test.afterAll(async () => {
		await server?.stop();
	});

	// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
	test('the landing page’s Try gives two links that two browsers use to complete a verification', async ({}, testInfo) => {
		test.setTimeout(240_000);
		const shot = screenRecorder(testInfo, 'try');
		const applicant = await participant('applicant');
		const agent = await participant('agent');
		try {
			const home = applicant.page;
			await applicant.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
			await openLanding(home, server.url, 'offered');
			await expectAccessible(home, 'landing page with the try panel');
			await home.getByRole('button', { name: 'Try a verification on this machine' }).click();

			const result = home.getByTestId('try-result');
			await expect(result).toHaveAttribute('data-variant', 'standard');
			await expect(result.getByRole('heading', { name: 'Your demo verification is ready' })).toBeFocused();
			await expect(home.getByTestId('try-hint')).toContainText('two windows, one of them private');
			const applicantUrl = await home.getByLabel('Applicant link').inputValue();
			const agentUrl = await home.getByLabel('Agent link').inputValue();
			expect(applicantUrl).toMatch(new RegExp(`^${server.url}/join#.+`));
			expect(agentUrl).toMatch(new RegExp(`^${server.url}/agent#.+`));
			const verificationId = (await result.getAttribute('data-verification-id')) ?? '';
			await expectAccessible(home, 'landing page with the links');
			await shot(home, 'home-links');

			// The copy button puts the link on the clipboard and says so.
			await home.getByRole('button', { name: 'Copy Agent link' }).click();
			await expect(home.getByTestId('try-agent').getByRole('status')).toHaveText('Agent link copied.');
			expect(await home.evaluate(() => navigator.clipboard.readText())).toBe(agentUrl);

			// The agent's link in the agent's own browser, the applicant's in the page that pressed Try.
			await agentGoesAvailable(agent.page, agentUrl);
			await joinThroughDeviceCheck(home, applicantUrl);
			await expect(home.getByTestId('waiting-room')).toBeVisible();
			await agentAccepts(agent.page, verificationId);
			await expect(home.getByTestId('call-screen')).toBeVisible();
			await expectPictureFrom(videoIn(agent.page, 'remote-video-applicant'), 'applicant');

			await walkChecklist(agent.page, home, { purpose: 'c2c_video', locale: 'en' });
			await decide(agent.page, { approve: true });
			await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
			const end = home.getByTestId('end-screen');
			await expect(end).toHaveAttribute('data-state', 'approved');
			await expect(end.getByRole('heading', { name: 'Your check is complete' })).toBeVisible();
			await shot(home, 'applicant-end');

			const stored = await getVerification<{ state: string; outcome: { decidedBy: { agentId: string } } }>(verificationId, {
				url: server.url,
				apiKey: API_KEY,
			});
			expect(stored.state).toBe('approved');
			expect(stored.outcome.decidedBy.agentId).toBe('demo-agent');
		} finally {
			await applicant.close();
			await agent.close();
		}
	});

	test('the interpreter and typed-challenge variants make those verifications, and the panel is all Chinese in zh-CN', async () => {
		const browser: Browser = await chromium.launch(launchOptions());
		try {
			const context = await browser.newContext({ locale: 'zh-CN' });
			const page = await context.newPage();
			await openLanding(page, server.url, 'offered');
			await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
			let previousId = '';
			for (const [variant, accessibility] of [
				['interpreter', { interpreter: true, textOnlyChallenge: false }],
				['typed_challenge', { interpreter: false, textOnlyChallenge: true }],
			] as const) {
				await page.getByTestId(`try-${variant}`).click();
				const result = page.getByTestId('try-result');
				await expect(result).toHaveAttribute('data-variant', variant);
				await expect(result).not.toHaveAttribute('data-verification-id', previousId);
				const id = (await result.getAttribute('data-verification-id')) ?? '';
				previousId = id;
				const view = await getVerification<{ accessibility: unknown; locale: string }>(id, { url: server.url, apiKey: API_KEY });
				expect(view).toMatchObject({ accessibility, locale: 'zh-CN' });
				const links = [
					await page.getByTestId('try-applicant-url').inputValue(),
					await page.getByTestId('try-agent-url').inputValue(),
				];
				await expectNoEnglish(page, `landing page with the ${variant} links`, links);
			}
			await expectAccessible(page, 'landing page in Chinese');
		} finally {
			await browser.close();
		}
	});
});

test.describe('on a production server', () => {
	let server: RunningServer;
	test.beforeAll(async () => {
		server = await startServer({
			NODE_ENV: 'production',
			API_KEYS: API_KEY,
			JWT_SECRET: 'try-e2e-jwt-secret-0123456789abcdef0123456789',
			WEBHOOK_SECRET: 'try-e2e-webhook-secret-0123456789abcdef0123',
			DOCUMENT_HASH_SECRET: 'try-e2e-document-hash-secret-0123456789abcd',
			OUTCOME_SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
				.privateKey.export({ type: 'pkcs8', format: 'pem' })
				.toString(),
		});
	});
	test.afterAll(async () => {
		await server?.stop();
	});

	test('the landing page offers no Try, and the endpoint answers 404', async ({ page }) => {
		await openLanding(page, server.url, 'none');
		await expect(page.getByTestId('try-panel')).toHaveCount(0);
		await expect(page.getByRole('button', { name: /Try/ })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Check my camera and connection' })).toBeVisible();
		expect((await page.request.get(`${server.url}${TRY_VERIFICATION_PATH}`)).status()).toBe(404);
		expect((await page.request.post(`${server.url}${TRY_VERIFICATION_PATH}`, { data: { variant: 'standard' } })).status()).toBe(
			404,
		);
	});
});
