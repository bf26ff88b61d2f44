// The agent's sharp photo in real Chromium: the applicant's fake camera is 1920×1080 while the call
// asks it for 1280×720, so the still (the camera's own photo) is larger than the video the agent
// watches. The agent takes it during a document step; the applicant is told; the agent sees it in the
// viewer, zoomable like the video; the bytes the agent's page decoded are the bytes the applicant's
// page sent (hashed on both pages); dismissing it removes it and revokes its object URL. On the photo
// the agent reads the specimen card's MRZ in its own browser (tesseract loaded then, from our own
// server: no request leaves the origin), sees its fields and check digits, the comparison with the
// host's declaration, and sends the number to the duplicate check; the outcome keeps the verdicts only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, type Page, test } from '@playwright/test';
import { STILL_CHUNK_BYTES } from '@vidverify/shared';
import { withCamera } from '../support/browser.ts';
import { agentLink, baseUrl, createVerification, getVerification, webhooksFor } from '../support/hostApi.ts';
import {
	agentAccepts,
	agentGoesAvailable,
	joinThroughDeviceCheck,
	participant,
	recordingAttempts,
	videoIn,
} from '../support/journey.ts';
import { cameraFrame, drawSpecimenCard } from '../support/specimenCameras.ts';
import { SPECIMEN_HOLDER } from '../support/specimenMrz.ts';
import { writeY4m } from '../support/y4m.ts';

/** The applicant's specimen scene (face and card) at 1920×1080: detail enough that the photo takes many chunks. */
function fullHdCamera(): string {
	const clip = { width: 1920, height: 1080, frames: 4, fps: 12 };
	const card = drawSpecimenCard();
	function* frames() {
		for (let frame = 0; frame < clip.frames; frame += 1) yield cameraFrame('applicant', frame, clip, card);
	}
	return writeY4m(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-still-')), 'applicant.y4m'), frames(), clip.fps);
}

/** In the applicant's page: every still chunk the page hands to its WebSocket, as sent. */
function recordSentChunks(): void {
	const sent: string[] = [];
	Object.defineProperty(window, '__stillChunksSent', { value: sent });
	const send = WebSocket.prototype.send;
	WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
		if (typeof data === 'string' && data.includes('"sendStillChunk"')) sent.push(data);
		return send.call(this, data);
	};
}

/** In the agent's page: every Blob given an object URL, and which URLs were revoked. */
function recordObjectUrls(): void {
	const blobs = new Map<string, Blob>();
	const revoked: string[] = [];
	Object.defineProperty(window, '__stillObjectUrls', { value: { blobs, revoked } });
	const create = URL.createObjectURL;
	const revoke = URL.revokeObjectURL;
	URL.createObjectURL = (object: Blob | MediaSource) => {
		const url = create(object);
		if (object instanceof Blob) blobs.set(url, object);
		return url;
	};
	URL.revokeObjectURL = (url: string) => {
		revoked.push(url);
		revoke(url);
	};
}

async function sha256Hex(page: Page, expression: 'sent' | { url: string }): Promise<{ hash: string; bytes: number }> {
	return page.evaluate(async (what) => {
		let bytes: Uint8Array;
		if (what === 'sent') {
			const frames = (window as unknown as { __stillChunksSent: string[] }).__stillChunksSent;
			const chunks = frames
				.map((frame) => JSON.parse(frame.slice(frame.indexOf('['))) as [string, { index: number; data: string }])
				.map(([, payload]) => payload)
				.sort((a, b) => a.index - b.index);
			const parts = chunks.map(({ data }) => Uint8Array.from(atob(data), (character) => character.charCodeAt(0)));
			bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
			let offset = 0;
			for (const part of parts) {
				bytes.set(part, offset);
				offset += part.length;
			}
		} else {
			const { blobs } = (window as unknown as { __stillObjectUrls: { blobs: Map<string, Blob> } }).__stillObjectUrls;
			const blob = blobs.get(what.url);
			if (!blob) throw new Error(`no blob behind ${what.url}`);
			bytes = new Uint8Array(await blob.arrayBuffer());
		}
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
		return { hash: [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join(''), bytes: bytes.length };
	}, expression);
}

/**
 * In the agent's page, with the sharp photo shown: the MRZ reader proposes the zone at the foot of the
 * card, reads it (its tesseract files are only fetched now, from our own server) and shows the
 * specimen's fields, every check digit holding, the expiry and the match with the declaration; the
 * number goes to the duplicate check with the verdicts.
 */
async function readMrz(page: Page, requests: string[]): Promise<void> {
	const tesseract = () => requests.filter((url) => /\/tesseract\/|mrzOcr|tesseract/.test(url));
	expect(tesseract()).toEqual([]);
	await page.getByTestId('mrz-start').click();
	await expect(page.getByTestId('mrz-status')).toContainText('Proposed: the foot of the card');
	await expect(page.getByTestId('mrz-region')).toBeVisible();
	// The keyboard moves the marked zone: down and back up again.
	await page.getByTestId('mrz-picture').focus();
	const proposed = await page.getByTestId('mrz-region').getAttribute('data-region');
	await page.keyboard.press('ArrowDown');
	await expect(page.getByTestId('mrz-region')).not.toHaveAttribute('data-region', proposed ?? '');
	await page.keyboard.press('ArrowUp');
	await expect(page.getByTestId('mrz-region')).toHaveAttribute('data-region', proposed ?? '');
	const started = Date.now();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('mrz-result')).toBeVisible({ timeout: 90_000 });
	const readMs = await page.getByTestId('mrz-status').getAttribute('data-ms');
	console.log(`MRZ read in the browser: ${readMs} ms by the page's clock, ${Date.now() - started} ms from the key press`);
	const digits = await page
		.locator('[data-testid^="mrz-digit-"]')
		.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-testid')}=${item.getAttribute('data-holds')}`));
	console.log(`MRZ lines read: ${JSON.stringify(await page.getByTestId('mrz-lines').textContent())}; ${digits.join(' ')}`);
	for (const [field, text] of [
		['documentNumber', SPECIMEN_HOLDER.documentNumber],
		['surname', SPECIMEN_HOLDER.surname],
		['givenNames', SPECIMEN_HOLDER.givenNames],
		['birthDate', '900101'],
		['issuingState', 'UTO'],
		['documentCode', 'I'],
		['format', 'TD1'],
	] as const) {
		await expect(page.getByTestId(`mrz-field-${field}`)).toHaveText(text);
	}
	await expect(page.getByTestId('mrz-check-digits')).toHaveText('Check digits hold');
	for (const digit of ['documentNumber', 'birthDate', 'expirationDate', 'composite']) {
		await expect(page.getByTestId(`mrz-digit-${digit}`)).toHaveAttribute('data-holds', 'true');
	}
	await expect(page.getByTestId('mrz-expiry')).toHaveText(`Valid until ${SPECIMEN_HOLDER.expires}`);
	await expect(page.getByTestId('mrz-compare-fullName')).toHaveAttribute('data-result', 'match');
	await expect(page.getByTestId('mrz-compare-dateOfBirth')).toHaveAttribute('data-result', 'match');
	// The reader's files came from our own server, each once.
	const loaded = tesseract().map((url) => new URL(url).pathname);
	for (const file of ['/tesseract/worker.min.js', '/tesseract/lang/eng.traineddata.gz']) expect(loaded).toContain(file);
	expect(loaded.some((pathname) => /^\/tesseract\/core\/tesseract-core-[a-z]*-?lstm\.wasm\.js$/.test(pathname))).toBe(true);

	await page.getByTestId('mrz-send').click();
	await expect(page.getByTestId('mrz-sent')).toContainText('check 1');
	await expect(page.getByTestId('document-history').locator('li')).toHaveText([
		'Check 1: National ID card, no other account · MRZ check digits hold, not expired, matches the declaration',
	]);
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('the agent takes a sharp photo larger than the video; the applicant is told; the bytes arrive unchanged; the agent reads its MRZ; dismissing or the call ending removes it', async ({}) => {
	test.setTimeout(180_000);
	const camera = fullHdCamera();
	const applicantBrowser = await chromium.launch(withCamera(camera));
	const applicantContext = await applicantBrowser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
	await applicantContext.addInitScript(recordSentChunks);
	const applicant = await applicantContext.newPage();
	const agent = await participant('agent');
	await agent.context.addInitScript(recordObjectUrls);
	try {
		// The host declares who the applicant is: the specimen card's holder, as a host would write the name.
		const declared = { fullName: 'Robin Alex Testwell', dateOfBirth: SPECIMEN_HOLDER.dateOfBirth };
		const created = await createVerification({ purpose: 'c2c_video', locale: 'en', declared });
		// Every request of the agent's page: none may leave the origin, the MRZ reader's files included.
		const requests: string[] = [];
		agent.page.on('request', (request) => requests.push(request.url()));
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(agent.page, agentUrl);
		await joinThroughDeviceCheck(applicant, created.applicantUrl);
		await agentAccepts(agent.page, created.id);
		const video = videoIn(agent.page, 'remote-video-applicant');
		await expect
			.poll(() => video.evaluate((element: HTMLVideoElement) => element.videoWidth), { timeout: 30_000 })
			.toBeGreaterThan(0);

		const take = agent.page.getByTestId('sharp-photo');
		// Only during a face or document step.
		await expect(take).toBeDisabled();
		await agent.page.getByTestId('prompt-document_front').click();
		await expect(take).toBeEnabled();
		await take.click();

		await expect(applicant.getByTestId('still-taken-note')).toBeVisible();
		await expect(applicant.getByTestId('still-taken-note')).toContainText('The agent took a sharp photo');
		const image = agent.page.getByTestId('still-image');
		await expect(image).toBeVisible({ timeout: 30_000 });
		await expect(agent.page.getByTestId('sharp-photo-status')).toHaveAttribute('data-status', 'shown');
		await expect(agent.page.getByTestId('remote-video-applicant')).toHaveAttribute('data-still', 'true');

		const still = await image.evaluate(async (element: HTMLImageElement) => {
			await element.decode();
			return { width: element.naturalWidth, height: element.naturalHeight, url: element.src };
		});
		const videoSize = await video.evaluate((element: HTMLVideoElement) => ({
			width: element.videoWidth,
			height: element.videoHeight,
		}));
		console.log(`still ${still.width}×${still.height}, video ${videoSize.width}×${videoSize.height}`);
		expect(still).toMatchObject({ width: 1920, height: 1080 });
		expect(still.width).toBeGreaterThan(videoSize.width);
		expect(still.height).toBeGreaterThan(videoSize.height);

		const sent = await sha256Hex(applicant, 'sent');
		const decoded = await sha256Hex(agent.page, { url: still.url });
		console.log(`still bytes sent ${sent.bytes}, decoded ${decoded.bytes}, sha-256 ${decoded.hash}`);
		// Many chunks, not one: the relay's order and reassembly are what is checked.
		expect(sent.bytes).toBeGreaterThan(STILL_CHUNK_BYTES * 4);
		expect(decoded).toEqual(sent);

		// The same zoom as the video: the picture in the viewer follows the zoom buttons.
		await agent.page.getByTestId('zoom-in').click();
		await expect(agent.page.getByTestId('remote-video-applicant')).toHaveAttribute('data-zoom', '1.5');
		expect(await image.evaluate((element) => element.style.transform)).toContain('scale(1.5)');

		await readMrz(agent.page, requests);

		await agent.page.getByTestId('sharp-photo-dismiss').click();
		await expect(image).toHaveCount(0);
		// The reader's copy of the photo and what it read go with it.
		await expect(agent.page.getByTestId('mrz-result')).toHaveCount(0);
		await expect(agent.page.getByTestId('mrz-start')).toBeDisabled();
		await expect(agent.page.getByTestId('remote-video-applicant')).toHaveAttribute('data-still', 'false');
		const revoked = await agent.page.evaluate(
			() => (window as unknown as { __stillObjectUrls: { revoked: string[] } }).__stillObjectUrls.revoked,
		);
		expect(revoked).toContain(still.url);
		const stillReadable = await agent.page.evaluate(
			(url) =>
				fetch(url).then(
					() => true,
					() => false,
				),
			still.url,
		);
		expect(stillReadable).toBe(false);
		await expect(video).toBeVisible();

		// Another photo, then the call ends (the applicant leaves): the photo goes with it.
		await take.click();
		await expect(image).toBeVisible({ timeout: 30_000 });
		const second = await image.evaluate((element: HTMLImageElement) => element.src);
		expect(second).not.toBe(still.url);
		await applicant.getByTestId('leave-call').click();
		await applicant.getByTestId('confirm-yes').click();
		await expect(image).toHaveCount(0, { timeout: 30_000 });
		await expect
			.poll(() =>
				agent.page.evaluate(() => (window as unknown as { __stillObjectUrls: { revoked: string[] } }).__stillObjectUrls.revoked),
			)
			.toContain(second);
		expect(await recordingAttempts(agent.page)).toEqual([]);
		const origin = new URL(baseUrl()).origin;
		expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(blob|data):/.test(url))).toEqual([]);

		// The outcome (interrupted: the applicant left) keeps the MRZ verdicts of check 1, never what was read.
		const verdicts = { check: 1, checkDigits: 'valid', expired: false, matchesDeclaration: true };
		await expect
			.poll(async () => (await getVerification<{ outcome: unknown }>(created.id)).outcome, { timeout: 20_000 })
			.not.toBeNull();
		const stored = await getVerification<{ outcome: { documentChecks: unknown } }>(created.id);
		expect(stored.outcome.documentChecks).toEqual({ count: 1, duplicateFound: false, mrz: [verdicts] });
		await expect.poll(() => webhooksFor(created.id).length, { timeout: 20_000 }).toBeGreaterThan(0);
		for (const text of [JSON.stringify(stored.outcome), ...webhooksFor(created.id).map((hook) => JSON.stringify(hook.body))]) {
			for (const field of [
				SPECIMEN_HOLDER.documentNumber,
				SPECIMEN_HOLDER.surname,
				'Testwell',
				SPECIMEN_HOLDER.dateOfBirth,
				'900101',
			]) {
				expect(text).not.toContain(field);
			}
		}
	} finally {
		await agent.close();
		await applicantBrowser.close();
	}
});
