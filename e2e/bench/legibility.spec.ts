// How legible the document stays at the agent (`npm run bench:legibility`): the applicant's camera
// plays the specimen card held still beside the face at 30, 40 and 50 % of the 1280×720 frame's
// width; the applicant's video sender is capped at several bitrates and scaled down to smaller
// pictures in turn; at each, the agent's page reads the card's machine-readable zone off the live
// video (several frames) and off a sharp photo, and each read is scored by character against the
// printed text, as is the same read of the source frame. The ratio agent ÷ source is printed for the
// document number (line 1, positions 6-14) and for the whole zone. Nothing is asserted about the
// figures: they are measured, not promised.
import { type Browser, chromium, expect, type Locator, type Page, test } from '@playwright/test';
import { withCamera } from '../support/browser.ts';
import {
	brightnessOf,
	documentCamera,
	documentFrame,
	documentLines,
	readDocumentIn,
	readLine,
} from '../support/documentReading.ts';
import { agentLink, createVerification } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, joinThroughDeviceCheck, participant, videoIn } from '../support/journey.ts';
import { drawSpecimenCard, SPECIMEN_CLIPS } from '../support/specimenCameras.ts';

const FRAME_WIDTH = SPECIMEN_CLIPS.applicant.width;
const CARD_SHARES = [0.3, 0.4, 0.5];
/**
 * What the applicant's video sender is held to: a bitrate cap in bits per second (null: the product's
 * own, 1.5 Mbit/s for the applicant's camera) and a scale-down of the 1280×720 picture (a phone on a
 * weak uplink ends up at 640×360 or 480×270).
 */
type Case = { cap: number | null; downscale: number };
const CASES: Case[] = [
	{ cap: null, downscale: 1 },
	{ cap: 500_000, downscale: 1 },
	{ cap: 250_000, downscale: 1 },
	{ cap: 100_000, downscale: 1 },
	{ cap: 50_000, downscale: 1 },
	{ cap: null, downscale: 2 },
	{ cap: null, downscale: 1280 / 480 },
	{ cap: 50_000, downscale: 1280 / 480 },
];
const READS_PER_CASE = Number(process.env.BENCH_READS ?? 6);
/** How long the encoder is given to settle at a new cap before the reads. */
const SETTLE_MS = 6000;
/** The document number's place in the first line of a TD1 zone. */
const NUMBER = { from: 5, to: 14 };

type Lines = ReturnType<typeof documentLines>;

/** The share of characters read as printed, over the whole zone or over the document number alone. */
function accuracy(read: readonly string[], lines: Lines): { zone: number; number: number } {
	let right = 0;
	let total = 0;
	for (const [index, line] of lines.entries()) {
		for (const [at, character] of [...line.text].entries()) {
			total += 1;
			if (read[index]?.[at] === character) right += 1;
		}
	}
	const printed = lines[0]?.text.slice(NUMBER.from, NUMBER.to) ?? '';
	const number = read[0]?.slice(NUMBER.from, NUMBER.to) ?? '';
	const numberRight = [...printed].filter((character, at) => number[at] === character).length;
	return { zone: right / total, number: numberRight / printed.length };
}

/** Printed character → what was read instead, counted over all reads of a case. */
function confusions(read: readonly string[], lines: Lines, into: Map<string, number>): void {
	for (const [index, line] of lines.entries()) {
		for (const [at, character] of [...line.text].entries()) {
			const seen = read[index]?.[at] ?? '∅';
			if (seen !== character) into.set(`${character}→${seen}`, (into.get(`${character}→${seen}`) ?? 0) + 1);
		}
	}
}

/**
 * In the applicant's page, before its scripts: keeps every peer connection, so the benchmark can cap
 * the video sender's bitrate (`__capVideo`) and count the bytes it sent (`__videoBytesSent`).
 */
function exposeVideoSender(): void {
	const connections: RTCPeerConnection[] = [];
	const Original = window.RTCPeerConnection;
	window.RTCPeerConnection = class extends Original {
		constructor(configuration?: RTCConfiguration) {
			super(configuration);
			connections.push(this);
		}
	};
	const videoSenders = () =>
		connections.flatMap((connection) => connection.getSenders().filter((sender) => sender.track?.kind === 'video'));
	// What the product set, so that null can put it back.
	const productCaps = new WeakMap<RTCRtpSender, (number | undefined)[]>();
	Object.defineProperty(window, '__capVideo', {
		value: async (bitsPerSecond: number | null, downscale: number) => {
			const caps: (number | undefined)[] = [];
			for (const sender of videoSenders()) {
				const parameters = sender.getParameters();
				const product = productCaps.get(sender) ?? parameters.encodings.map((encoding) => encoding.maxBitrate);
				productCaps.set(sender, product);
				for (const [index, encoding] of parameters.encodings.entries()) {
					encoding.maxBitrate = bitsPerSecond ?? product[index];
					encoding.scaleResolutionDownBy = downscale;
					caps.push(encoding.maxBitrate);
				}
				await sender.setParameters(parameters);
			}
			return caps;
		},
	});
	Object.defineProperty(window, '__videoBytesSent', {
		value: async () => {
			let bytes = 0;
			for (const sender of videoSenders()) {
				for (const report of (await sender.getStats()).values())
					if (report.type === 'outbound-rtp') bytes += report.bytesSent ?? 0;
			}
			return bytes;
		},
	});
}

const capVideo = (page: Page, held: Case) =>
	page.evaluate(
		({ cap, downscale }) =>
			(window as unknown as { __capVideo: (cap: number | null, downscale: number) => Promise<number[]> }).__capVideo(
				cap,
				downscale,
			),
		held,
	);
const videoBytesSent = (page: Page) =>
	page.evaluate(() => (window as unknown as { __videoBytesSent: () => Promise<number> }).__videoBytesSent());

function framesShown(video: Locator): Promise<number> {
	return video.evaluate((element: HTMLVideoElement) => element.getVideoPlaybackQuality().totalVideoFrames);
}

const percent = (value: number) => value.toFixed(2);
const label = (cap: number | null) => (cap === null ? 'product cap 1.5 Mbit/s' : `cap ${cap / 1000} kbit/s`);

for (const share of CARD_SHARES) {
	const cardWidth = Math.round(FRAME_WIDTH * share);
	// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
	test(`legibility of a card ${share * 100} % of the frame's width`, async ({}) => {
		const lines = documentLines(cardWidth);
		const sourceRead = lines.map((line) => readLine(brightnessOf(documentFrame(0, drawSpecimenCard(cardWidth))), line));
		const source = accuracy(sourceRead, lines);
		const agent = await participant('agent');
		let applicantBrowser: Browser | undefined;
		try {
			applicantBrowser = await chromium.launch(withCamera(documentCamera(cardWidth)));
			const context = await applicantBrowser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
			await context.addInitScript(exposeVideoSender);
			const applicant = await context.newPage();
			const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
			const { agentUrl } = await agentLink();
			await agentGoesAvailable(agent.page, agentUrl);
			await joinThroughDeviceCheck(applicant, created.applicantUrl);
			await agentAccepts(agent.page, created.id);
			const video = videoIn(agent.page, 'remote-video-applicant');
			await expect.poll(() => framesShown(video), { timeout: 30_000 }).toBeGreaterThan(10);
			await agent.page.getByTestId('prompt-document_front').click();

			for (const held of CASES) {
				const caps = await capVideo(applicant, held);
				await agent.page.waitForTimeout(SETTLE_MS);
				const bytesBefore = await videoBytesSent(applicant);
				const startedAt = Date.now();
				const misread = new Map<string, number>();
				const scores: { zone: number; number: number }[] = [];
				let size = '';
				for (let read = 0; read < READS_PER_CASE; read += 1) {
					const shown = await framesShown(video);
					await expect.poll(() => framesShown(video)).toBeGreaterThan(shown + 2);
					const reading = await readDocumentIn(video, lines);
					size = `${reading.width}×${reading.height}`;
					scores.push(accuracy(reading.lines, lines));
					confusions(reading.lines, lines, misread);
				}
				const kbps = (((await videoBytesSent(applicant)) - bytesBefore) * 8) / (Date.now() - startedAt);
				const mean = (key: 'zone' | 'number') => scores.reduce((sum, score) => sum + score[key], 0) / scores.length;

				await agent.page.getByTestId('sharp-photo').click();
				const image = agent.page.getByTestId('still-image');
				await expect(image).toBeVisible({ timeout: 30_000 });
				await image.evaluate((element: HTMLImageElement) => element.decode());
				const stillReading = await readDocumentIn(image, lines);
				const still = accuracy(stillReading.lines, lines);
				await agent.page.getByTestId('sharp-photo-dismiss').click();
				await expect(image).toHaveCount(0);

				const worst = [...misread.entries()]
					.sort((a, b) => b[1] - a[1])
					.slice(0, 4)
					.map(([pair, count]) => `${pair} ×${count}`)
					.join(', ');
				console.log(
					[
						`card ${share * 100} % (${cardWidth} px), ${label(held.cap)}${held.downscale === 1 ? '' : `, scaled down ${held.downscale.toFixed(2)}×`} (sender ${caps.map((value) => `${value / 1000}`).join('/')} kbit/s, sent ${kbps.toFixed(0)} kbit/s)`,
						`video ${size}: number ${percent(mean('number'))}/${percent(source.number)} = ${percent(mean('number') / source.number)}, MRZ ${percent(mean('zone'))}/${percent(source.zone)} = ${percent(mean('zone') / source.zone)}`,
						`still ${stillReading.width}×${stillReading.height}: number ${percent(still.number / source.number)}, MRZ ${percent(still.zone / source.zone)}`,
						`video misreads: ${worst || 'none'}`,
					].join(' | '),
				);
			}
			// The applicant leaves, so the call is over before the next card's call starts.
			await applicant.getByTestId('leave-call').click();
			await applicant.getByTestId('confirm-yes').click();
			await expect(applicant.getByTestId('end-screen')).toBeVisible({ timeout: 30_000 });
		} finally {
			await agent.close();
			await applicantBrowser?.close();
		}
	});
}
