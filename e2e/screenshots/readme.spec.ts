// Takes the README's pictures from one real verification per language on a development server: the
// landing page's Try, the applicant's device check, call and end on a phone, the agent's call and
// decision on a desktop, and (in English) the interpreter on a phone. Each camera plays a generated
// specimen clip (support/specimenCameras.ts), so the pictures show a call without showing anyone.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, expect, type Locator, type Page, test } from '@playwright/test';
import type { Locale } from '@vidverify/shared';
import { type RunningServer, startServer } from '../../server/test/support/serverProcess.ts';
import { withCamera } from '../support/browser.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	decide,
	joinThroughDeviceCheck,
	PHONE,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { decodePng, encodeIndexedPng } from '../support/png.ts';
import { type CameraRole, specimenCamera } from '../support/specimenCameras.ts';

const OUTPUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const DESKTOP = { viewport: { width: 1280, height: 900 } } as const;
/** Enough for screens of flat colour, text and one drawn picture; keeps each file a few tens of KB. */
const COLOURS = 128;

type Window = { browser: Browser; page: Page };

async function open(role: CameraRole, locale: Locale, size: 'phone' | 'desktop'): Promise<Window> {
	const browser = await chromium.launch(withCamera(specimenCamera(role)));
	const context = await browser.newContext({ ...(size === 'phone' ? PHONE : DESKTOP), locale });
	return { browser, page: await context.newPage() };
}

/** Writes what the page shows (its viewport, at CSS size) as a small indexed PNG. */
async function picture(page: Page, locale: Locale, name: string): Promise<void> {
	// From the top of the page, with no hover or focus ring left over from the last click.
	await page.mouse.move(0, 0);
	await page.evaluate(() => {
		(document.activeElement as HTMLElement | null)?.blur?.();
		window.scrollTo(0, 0);
	});
	const png = encodeIndexedPng(
		decodePng(await page.screenshot({ scale: 'css', caret: 'hide', animations: 'disabled' })),
		COLOURS,
	);
	const file = path.join(OUTPUT, locale, `${name}.png`);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, png);
	console.log(`${path.relative(process.cwd(), file)}: ${(png.length / 1024).toFixed(1)} KB`);
}

/** Waits until the video has played a good part of a second, so the picture is not a first blurry frame. */
async function playing(video: Locator): Promise<void> {
	await expect
		.poll(() => video.evaluate((element) => (element as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames), {
			timeout: 60_000,
		})
		.toBeGreaterThan(20);
}

let server: RunningServer;
test.beforeAll(async () => {
	server = await startServer({ NODE_ENV: 'development' });
});
test.afterAll(async () => {
	await server?.stop();
});

for (const { locale, interpreter } of [
	{ locale: 'en', interpreter: true },
	{ locale: 'zh-CN', interpreter: false },
] as const) {
	test(`the README's pictures in ${locale}`, async () => {
		const agent = await open('agent', locale, 'desktop');
		const applicant = await open('applicant', locale, 'phone');
		const helper = interpreter ? await open('interpreter', locale, 'phone') : undefined;
		try {
			await agent.page.goto(server.url);
			await agent.page.getByTestId(interpreter ? 'try-interpreter' : 'try-standard').click();
			const result = agent.page.getByTestId('try-result');
			await expect(result).toBeVisible();
			await picture(agent.page, locale, 'home-try');
			const applicantUrl = await agent.page.getByTestId('try-applicant-url').inputValue();
			const agentUrl = await agent.page.getByTestId('try-agent-url').inputValue();
			const verificationId = (await result.getAttribute('data-verification-id')) ?? '';

			await agentGoesAvailable(agent.page, agentUrl);
			await joinThroughDeviceCheck(applicant.page, applicantUrl, async (screen) => {
				if (screen !== 'device-check') return;
				await playing(applicant.page.getByTestId('device-check').locator('video').first());
				await picture(applicant.page, locale, 'applicant-device-check');
			});
			await expect(applicant.page.getByTestId('waiting-room')).toBeVisible();
			await agentAccepts(agent.page, verificationId);
			await expect(applicant.page.getByTestId('call-screen')).toBeVisible();

			if (helper) {
				await applicant.page.getByTestId('invite-interpreter').click();
				const link = applicant.page.getByTestId('interpreter-link');
				await expect(link).toBeVisible();
				const invitation = (await link.inputValue().catch(() => link.innerText())).trim();
				await joinThroughDeviceCheck(helper.page, invitation);
				await expect(helper.page.getByTestId('call-screen')).toBeVisible();
				await playing(videoIn(agent.page, 'remote-video-interpreter'));
				await playing(videoIn(helper.page, 'remote-video-applicant'));
			}
			await playing(videoIn(agent.page, 'remote-video-applicant'));
			await playing(videoIn(applicant.page, 'remote-video-agent'));

			await walkChecklist(agent.page, applicant.page, {
				purpose: 'c2c_video',
				locale,
				interpreter: helper?.page,
				onPrompted: async (step) => {
					if (step !== 'document_front') return;
					await picture(applicant.page, locale, 'applicant-call');
					await picture(agent.page, locale, 'agent-call');
					if (helper) await picture(helper.page, locale, 'interpreter-call');
				},
			});
			await decide(agent.page, { approve: true }, () => picture(agent.page, locale, 'agent-decision'));
			await expect(applicant.page.getByTestId('end-screen')).toHaveAttribute('data-state', 'approved');
			await picture(applicant.page, locale, 'applicant-end');
		} finally {
			await agent.browser.close();
			await applicant.browser.close();
			await helper?.browser.close();
		}
	});
}
