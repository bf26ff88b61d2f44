// The proof that a real browser talks to the worker this project builds: the fake camera goes
// through the server's mediasoup router over WebRTC (ICE + DTLS + SRTP) and comes back decoded.
import { expect, test } from '@playwright/test';
import { expectAccessible } from '../support/a11y.ts';
import { withCamera } from '../support/browser.ts';
import { ROLE_COLOURS, writeFakeVideo } from '../support/fakeVideo.ts';
import { createVerification } from '../support/hostApi.ts';
import { centreColour, sameColour } from '../support/pixels.ts';

const camera = writeFakeVideo({ colour: ROLE_COLOURS.applicant, width: 640, height: 360 });
test.use({ launchOptions: withCamera(camera) });

const baseUrl = () => {
	const url = process.env.VIDVERIFY_E2E_URL;
	if (!url) throw new Error('VIDVERIFY_E2E_URL is not set: run through the Playwright config (globalSetup starts the server)');
	return url;
};

test('the connection check sends the camera through the SFU and decodes it when it comes back', async ({ page }) => {
	await page.goto(`${baseUrl()}/check`);
	await page.getByRole('button', { name: 'Start the check' }).click();

	const status = page.getByTestId('check-status');
	await expect(status).toHaveAttribute('data-phase', 'passed');
	await expect(status).toContainText('Your connection works');
	expect(Number(await status.getAttribute('data-frames-decoded'))).toBeGreaterThan(0);

	// The picture that comes back is the one that was sent: the applicant's colour, at its size.
	await expect
		.poll(async () => sameColour(await centreColour(page.getByTestId('echo-video')), ROLE_COLOURS.applicant))
		.toBe(true);
	const echoed = await centreColour(page.getByTestId('echo-video'));
	expect(echoed.width).toBe(640);
	expect(echoed.height).toBe(360);
});

test('the check speaks the visitor’s language', async ({ page }) => {
	await page.goto(`${baseUrl()}/check`);
	await page.getByLabel('Language').selectOption('zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('连接检查');
	await page.getByRole('button', { name: '开始检查' }).click();
	await expect(page.getByTestId('check-status')).toHaveText('您的连接正常：您的视频已通过我们的服务器传回。');
	await expectAccessible(page, 'connection check in Chinese');
});

test('a browser without video calling (no WebRTC) is told so, and what to use instead, on the check and on a join link', async ({
	page,
}) => {
	// As WebKitGTK without WebRTC, or a locked-down browser: the camera API exists, the call API does not.
	await page.addInitScript(() => {
		Reflect.deleteProperty(window, 'RTCPeerConnection');
		Reflect.deleteProperty(window, 'webkitRTCPeerConnection');
	});
	await page.goto(`${baseUrl()}/check`);
	await page.getByRole('button', { name: 'Start the check' }).click();
	const problem = page.getByTestId('device-problem');
	await expect(problem).toHaveAttribute('data-kind', 'no_webrtc');
	await expect(problem).toContainText('This browser cannot make video calls');
	await expect(problem).toContainText('Chrome, Edge, Firefox or Safari');
	// Trying again cannot help here, so no retry is offered.
	await expect(page.getByTestId('device-retry')).toHaveCount(0);
	await expectAccessible(page, 'connection check without WebRTC');

	const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
	await page.goto(created.applicantUrl);
	await page.getByTestId('consent-accept').click();
	await expect(page.getByTestId('device-problem')).toHaveAttribute('data-kind', 'no_webrtc');
	await expect(page.getByTestId('device-check-continue')).toBeDisabled();
});

test('the server answers health and readiness', async ({ request }) => {
	const health = await request.get(`${baseUrl()}/healthz`);
	expect(health.status()).toBe(200);
	const ready = await request.get(`${baseUrl()}/readyz`);
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mediaWorkers: true } });
});
