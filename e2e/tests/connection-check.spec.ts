// The proof that a real browser talks to the worker this project builds: the fake camera goes
// through the server's mediasoup router over WebRTC (ICE + DTLS + SRTP) and comes back decoded.
import { expect, test } from '@playwright/test';

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

	const echoed = await page.getByTestId('echo-video').evaluate(async (element) => {
		const video = element as HTMLVideoElement;
		// Give the decoder a few frames so the figures below are not from the very first one.
		await new Promise((resolve) => setTimeout(resolve, 500));
		return { width: video.videoWidth, height: video.videoHeight };
	});
	expect(echoed.width).toBeGreaterThan(0);
	expect(echoed.height).toBeGreaterThan(0);
});

test('the server answers health and readiness', async ({ request }) => {
	const health = await request.get(`${baseUrl()}/healthz`);
	expect(health.status()).toBe(200);
	const ready = await request.get(`${baseUrl()}/readyz`);
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mediaWorkers: true } });
});
