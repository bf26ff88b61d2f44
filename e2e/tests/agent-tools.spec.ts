// The agent's tools in real Chromium, used as an agent uses them, each checked on what the person
// sees. First call (the applicant holds the specimen card up): during the checklist, freeze (the
// picture stops while the camera goes on, and the page records nothing), zoom and pan by mouse and by
// keyboard (the view is the frozen frame through each zoom's transform), chat both ways and the
// security features picked for the call; the duplicate check finds no match and the agent approves.
// Second call, another user on a device with three of Chromium's own fake cameras: "Highest quality"
// (the picture the agent receives grows to 1920×1080), the switch to another camera the agent asks
// for in the chat (the agent's picture goes on from that camera: the fake cameras all draw the same
// pattern, so it is told apart by its track, not its colour), and the duplicate check of the first
// user's number, which hits, so the agent rejects for it.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { SECURITY_FEATURE_CATEGORIES, translate } from '@vidverify/shared';
import { withCamera, withFakeCameras } from '../support/browser.ts';
import { agentLink, createVerification, getVerification } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	checkDocument,
	decide,
	joinThroughDeviceCheck,
	type Participant,
	participant,
	recordingAttempts,
	videoIn,
	walkChecklist,
} from '../support/journey.ts';
import { centreColour, sameColour } from '../support/pixels.ts';
import { decodePng, type Image } from '../support/png.ts';
import { specimenCamera } from '../support/specimenCameras.ts';

/** A point of the viewport as fractions of its width and height, as zoom.ts counts them. */
type Point = { x: number; y: number };

/** What the agent sees in the applicant's viewer now: a screenshot of the picture's area. */
async function seen(viewport: Locator): Promise<Image> {
	return decodePng(await viewport.screenshot());
}

function colourAt(image: Image, point: Point): [number, number, number] {
	const x = Math.min(image.width - 1, Math.max(0, Math.round(point.x * image.width - 0.5)));
	const y = Math.min(image.height - 1, Math.max(0, Math.round(point.y * image.height - 0.5)));
	const at = (y * image.width + x) * 3;
	return [image.rgb[at] ?? 0, image.rgb[at + 1] ?? 0, image.rgb[at + 2] ?? 0];
}

/**
 * How far `later` is from `earlier` seen through `map` (where each point of `later` was in `earlier`):
 * the mean difference per colour channel over a grid of the viewport's middle (away from the badge in
 * the top left corner).
 */
function difference(later: Image, earlier: Image, map: (point: Point) => Point = (point) => point): number {
	let total = 0;
	let count = 0;
	for (let row = 0; row <= 60; row += 1) {
		for (let column = 0; column <= 80; column += 1) {
			const point = { x: 0.25 + (0.5 * column) / 80, y: 0.3 + (0.55 * row) / 60 };
			const a = colourAt(later, point);
			const b = colourAt(earlier, map(point));
			total += Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
			count += 3;
		}
	}
	return total / count;
}

function identical(a: Image, b: Image): boolean {
	return a.width === b.width && a.height === b.height && Buffer.from(a.rgb).equals(Buffer.from(b.rgb));
}

function framesShown(video: Locator): Promise<number> {
	return video.evaluate((element: HTMLVideoElement) => element.getVideoPlaybackQuality().totalVideoFrames);
}

/** Waits until the applicant's own camera has shown `count` more frames: the source has moved on. */
async function cameraMovesOn(applicant: Page, count: number): Promise<void> {
	const own = applicant.getByTestId('local-video').locator('video');
	const start = await framesShown(own);
	await expect.poll(() => framesShown(own), { timeout: 20_000 }).toBeGreaterThanOrEqual(start + count);
}

function videoSize(video: Locator): Promise<string> {
	return video.evaluate((element: HTMLVideoElement) => `${element.videoWidth}×${element.videoHeight}`);
}

/** Where a point of the viewport shows the unzoomed picture under a zoom (zoom.ts's transform). */
function through(zoom: { scale: number; x: number; y: number }): (point: Point) => Point {
	return ({ x, y }) => ({ x: (x - zoom.x) / zoom.scale, y: (y - zoom.y) / zoom.scale });
}

/**
 * Freeze, zoom and pan on the applicant's picture, by keyboard and by mouse, each checked on what the
 * agent sees: the frozen frame stays while the camera moves on (and the page records nothing), and
 * each zoom or pan shows the frozen frame through that zoom's transform, not through the one before.
 */
async function freezeZoomAndPan(page: Page, applicant: Page): Promise<void> {
	const viewer = page.getByTestId('remote-video-applicant');
	const viewport = viewer.locator('.agent-viewer-viewport');

	// Live, the picture changes from one look to the next.
	const live = await seen(viewport);
	await cameraMovesOn(applicant, 5);
	expect(identical(await seen(viewport), live)).toBe(false);

	// Frozen (the F key), it stays as it was while the camera goes on, and no recording is tried.
	await page.keyboard.press('f');
	await expect(viewer).toHaveAttribute('data-frozen', 'true');
	await expect(viewport).toContainText('Frozen picture: kept only in this page and never saved');
	const frozen = await seen(viewport);
	await cameraMovesOn(applicant, 10);
	expect(identical(await seen(viewport), frozen)).toBe(true);
	expect(await recordingAttempts(page)).toEqual([]);

	// Each view against the frozen frame through its own zoom and through the previous one.
	let previous = { scale: 1, x: 0, y: 0 };
	async function expectView(zoom: typeof previous, what: string): Promise<void> {
		const view = await seen(viewport);
		const right = difference(view, frozen, through(zoom));
		const wrong = difference(view, frozen, through(previous));
		console.log(
			`${what}: ${right.toFixed(2)} from the frozen frame through this zoom, ${wrong.toFixed(2)} through the one before`,
		);
		expect(right).toBeLessThan(wrong / 3);
		previous = zoom;
	}

	// Zoom in with the mouse: the middle of the frozen frame, 1.5 times larger.
	await page.getByTestId('zoom-in').click();
	await expect(viewer).toHaveAttribute('data-zoom', '1.5');
	await expect(page.getByTestId('zoom-level')).toHaveText('Zoom 1.5×');
	await expectView({ scale: 1.5, x: -0.25, y: -0.25 }, 'zoom 1.5× (button)');
	// And with the keyboard (+): 2×.
	await page.keyboard.press('+');
	await expect(viewer).toHaveAttribute('data-zoom', '2');
	await expectView({ scale: 2, x: -0.5, y: -0.5 }, 'zoom 2× (+ key)');
	// Pan with the arrow keys on the focused picture: the view moves right and down by a tenth each.
	await viewport.focus();
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('ArrowDown');
	await expectView({ scale: 2, x: -0.6, y: -0.6 }, 'pan right and down (arrow keys)');
	// And with the mouse: dragging the picture a fifth to the right moves the view back left.
	const box = await viewport.boundingBox();
	if (!box) throw new Error('the viewer has no box');
	await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
	await page.mouse.up();
	await expectView({ scale: 2, x: -0.4, y: -0.6 }, 'pan left (mouse drag)');
	// 0 fits the whole picture again.
	await page.keyboard.press('0');
	await expect(viewer).toHaveAttribute('data-zoom', '1');
	await expectView({ scale: 1, x: 0, y: 0 }, 'fit (0 key)');
	expect(await recordingAttempts(page)).toEqual([]);

	// The button brings back the live video.
	await page.getByTestId('freeze').click();
	await expect(viewer).toHaveAttribute('data-frozen', 'false');
	const liveAgain = await seen(viewport);
	await cameraMovesOn(applicant, 5);
	expect(identical(await seen(viewport), liveAgain)).toBe(false);
}

/** The security features picked at random for this call (three, from different categories), each named with what to look for. */
async function expectSecurityFeatures(page: Page): Promise<void> {
	const features = page.getByTestId('security-features').locator('li');
	await expect(features).toHaveCount(3);
	const categories = new Set<string>();
	for (const item of await features.all()) {
		const featureId = await item.getAttribute('data-feature');
		const category = SECURITY_FEATURE_CATEGORIES.find((entry) => entry.features.some(({ id }) => id === featureId));
		const feature = category?.features.find(({ id }) => id === featureId);
		if (!category || !feature) throw new Error(`the agent was shown a feature not in the catalogue: ${featureId}`);
		categories.add(category.id);
		await expect(item).toContainText(
			`${translate('en', feature.labelKey)} (${translate('en', category.labelKey)}): ${translate('en', feature.hintKey)}`,
		);
	}
	expect(categories.size).toBe(3);
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('the agent uses every tool: freeze, zoom, pan, chat, security features, highest quality, the camera switch, the duplicate check missing and hitting', async ({}) => {
	test.setTimeout(300_000);
	const agent = await participant('agent');
	const page = agent.page;
	// The first applicant holds the specimen card beside the face: detail everywhere for the viewer.
	const first = await participant('applicant', { launch: withCamera(specimenCamera('applicant')) });
	let second: Participant | undefined;
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(page, agentUrl);
		await joinThroughDeviceCheck(first.page, created.applicantUrl);
		await agentAccepts(page, created.id);
		const video = videoIn(page, 'remote-video-applicant');
		await expect.poll(() => videoSize(video), { timeout: 30_000 }).toBe('1280×720');

		await walkChecklist(page, first.page, {
			purpose: 'c2c_video',
			locale: 'en',
			onPrompted: async (step) => {
				if (step === 'document_front') await freezeZoomAndPan(page, first.page);
				if (step === 'document_back') {
					// Chat both ways: the agent types and presses Send, the applicant answers with Enter.
					await page.locator('#chat-input').fill('Please hold the card a little closer.');
					await page.getByRole('button', { name: 'Send' }).click();
					await expect(first.page.getByTestId('chat-messages')).toContainText('Agent: Please hold the card a little closer.');
					await first.page.locator('#chat-input').fill('Like this?');
					await first.page.locator('#chat-input').press('Enter');
					await expect(page.getByTestId('chat-messages')).toContainText('Applicant: Like this?');
				}
				if (step === 'security_features') await expectSecurityFeatures(page);
			},
		});

		// The duplicate check: no other account holds this number yet.
		const documentNumber = `T${created.id.slice(-8).toUpperCase()}`;
		expect(await checkDocument(page, 'national_id', documentNumber)).toBe('clear');
		await expect(page.getByTestId('document-check-result')).toHaveText('No other account uses this National ID card.');
		await decide(page, { approve: true }, () => page.getByTestId('decision-dialog').getByTestId('decision-document-1').check());
		await expect(page.getByTestId('last-result')).toHaveAttribute('data-state', 'approved');
		expect(await recordingAttempts(page)).toEqual([]);
		expect(await recordingAttempts(first.page)).toEqual([]);
		await first.close();

		// Another user, on a device with more than one camera (Chromium's own test pattern), which can
		// give 1920×1080.
		second = await participant('applicant', { launch: withFakeCameras(3) });
		const applicant = second.page;
		const other = await createVerification({ purpose: 'c2c_video', locale: 'en' });
		await agentGoesAvailable(page, agentUrl);
		await joinThroughDeviceCheck(applicant, other.applicantUrl);
		await agentAccepts(page, other.id);
		await expect.poll(() => videoSize(video), { timeout: 30_000 }).toBe('1280×720');
		await page.getByTestId('prompt-document_front').click();

		// Highest quality: the applicant is told, the camera is asked for 1080p and the encoder for more
		// bits; the agent's picture grows, and the quality panel says so.
		await page.getByTestId('high-quality').click();
		await expect(applicant.getByTestId('high-quality-note')).toBeVisible();
		await expect(page.getByText('The applicant’s camera was asked for its sharpest picture.')).toBeVisible();
		await expect.poll(() => videoSize(video), { timeout: 30_000 }).toBe('1920×1080');
		await expect(page.getByTestId('quality-applicant')).toContainText('1920×1080', { timeout: 30_000 });

		// The agent asks in the chat for the other camera; the applicant picks it in the call's camera
		// list. Chromium's fake cameras: the third one (the second is a 16-bit depth camera no encoder
		// takes, which would stop the picture), drawing the same pattern anew from its own start.
		const own = applicant.getByTestId('local-video').locator('video');
		await page.locator('#chat-input').fill('Please switch to your other camera.');
		await page.locator('#chat-input').press('Enter');
		await expect(applicant.getByTestId('chat-messages')).toContainText('Agent: Please switch to your other camera.');
		const select = applicant.getByTestId('camera-select');
		expect(await select.locator('option').allTextContents()).toEqual(['fake_device_0', 'fake_device_1', 'fake_device_2']);
		const cameraInUse = () =>
			own.evaluate((element: HTMLVideoElement) => (element.srcObject as MediaStream).getVideoTracks()[0]?.label);
		expect(await cameraInUse()).toBe('fake_device_0');
		await select.selectOption({ label: 'fake_device_2' });
		await expect.poll(cameraInUse).toBe('fake_device_2');
		// The agent's picture goes on from the new camera: frames keep arriving, and show what the
		// applicant's own preview of that camera shows (the pattern's moving shape passes the measured
		// patch now and then, so the two agree soon enough rather than at once).
		const framesAtSwitch = await framesShown(video);
		await expect.poll(() => framesShown(video), { timeout: 20_000 }).toBeGreaterThan(framesAtSwitch + 30);
		await expect.poll(async () => sameColour(await centreColour(video), await centreColour(own)), { timeout: 20_000 }).toBe(true);
		// The other camera was opened as sharp as the agent had asked.
		await expect.poll(() => videoSize(video), { timeout: 30_000 }).toBe('1920×1080');

		// The same number as the approved user's: tied to another account; the agent rejects with the
		// reason that check supports.
		expect(await checkDocument(page, 'national_id', documentNumber)).toBe('duplicate');
		await expect(page.getByTestId('document-check-result')).toContainText('National ID card');
		await expect(page.getByTestId('document-history')).toContainText('Check 1: National ID card, tied to another account');
		await decide(page, { reject: ['duplicate_identity'] });
		await expect(page.getByTestId('last-result')).toHaveAttribute('data-state', 'rejected');
		const rejected = await getVerification<{ state: string; outcome: { reasonCodes: string[]; documentChecks: unknown } }>(
			other.id,
		);
		expect(rejected.outcome.reasonCodes).toEqual(['duplicate_identity']);
		expect(rejected.outcome.documentChecks).toMatchObject({ count: 1, duplicateFound: true });
		expect(await recordingAttempts(page)).toEqual([]);
	} finally {
		await agent.close();
		await first.close();
		await second?.close();
	}
});
