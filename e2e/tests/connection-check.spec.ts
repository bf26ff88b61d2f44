// The proof that a real browser talks to the worker this project builds: the fake camera goes
// through the server's mediasoup router over WebRTC (ICE + DTLS + SRTP) and comes back decoded.
import { expect, test } from '@playwright/test';
import { withCamera } from '../support/browser.ts';
import { ROLE_COLOURS, writeFakeVideo } from '../support/fakeVideo.ts';
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

test('the server answers health and readiness', async ({ request }) => {
	const health = await request.get(`${baseUrl()}/healthz`);
	expect(health.status()).toBe(200);
	const ready = await request.get(`${baseUrl()}/readyz`);
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mediaWorkers: true } });
});
