// How the journeys drive Firefox: Debian's Firefox ESR (the test preflight installs it), headless,
// through puppeteer-core over WebDriver BiDi. Playwright 1.65's stock-Firefox path cannot be used:
// it sends emulation.setMediaFeaturesOverride, which only Firefox 159 and later know, and ESR 153
// refuses the session. A journey mixes the two drivers in one Playwright test: Playwright's Chromium
// for the agent, this Firefox for the applicant, asserting with Playwright's expect.
//
// Firefox's fake camera cannot play a file: it shows one solid colour that cycles through hues, so
// the pixel checks of a Firefox sender look for a solid, non-black colour that changes, not a role's
// colour (it runs through the hues, green to cyan to blue and on, over a few seconds). Its
// fake microphone plays a tone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page as PlaywrightPage } from '@playwright/test';
import { checklistFor, type Locale, type Purpose, translate } from '@vidverify/shared';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { Rgb } from './fakeVideo.ts';
import { type CentreColour, readCentreColour } from './pixels.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Fake camera and microphone granted without a prompt. The permission prefs matter as much as the fake
 * streams: without a real camera permission Firefox gathers no loopback candidates and ICE fails.
 */
export const FIREFOX_PREFS = {
	'media.navigator.streams.fake': true,
	'media.navigator.permission.disabled': true,
	'media.peerconnection.ice.loopback': true,
	'permissions.default.camera': 1,
	'permissions.default.microphone': 1,
	// Remote audio plays (and can be measured) without a click, as after a user's consent click.
	'media.autoplay.default': 0,
	'media.autoplay.block-webaudio': false,
} as const;

export type FirefoxParticipant = { browser: Browser; page: Page; close: () => Promise<void> };

/** A Firefox of its own (own profile, own fake devices) with one page at a laptop's size. */
export async function firefoxParticipant(options: { locale?: string } = {}): Promise<FirefoxParticipant> {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-firefox-'));
	const browser = await puppeteer.launch({
		browser: 'firefox',
		executablePath: FIREFOX_PATH,
		headless: true,
		userDataDir: profile,
		extraPrefsFirefox: { ...FIREFOX_PREFS, 'intl.accept_languages': options.locale ?? 'en-GB' },
	});
	const [page = await browser.newPage()] = await browser.pages();
	await page.setViewport({ width: 1280, height: 900 });
	await page.evaluateOnNewDocument(notePeerConnections);
	return {
		browser,
		page,
		close: async () => {
			await browser.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

export const byTestId = (testId: string) => `[data-testid="${testId}"]`;

/** Waits until an element with the test id is visible. */
export async function expectVisible(page: Page, testId: string, timeout = 20_000): Promise<void> {
	await page.waitForSelector(byTestId(testId), { visible: true, timeout });
}

/** Clicks the element once it is visible and enabled. */
export async function click(page: Page, testId: string): Promise<void> {
	await page.locator(byTestId(testId)).setTimeout(20_000).click();
}

/** The element's text, or '' while there is no such element. */
export function textOf(page: Page, selector: string): Promise<string> {
	return page.$eval(selector, (element) => (element as HTMLElement).innerText).catch(() => '');
}

export function attributeOf(page: Page, selector: string, name: string): Promise<string | null> {
	return page.$eval(selector, (element, attribute) => element.getAttribute(attribute), name).catch(() => null);
}

/** The applicant (or interpreter) from the link to the waiting room or the call: consent, device check. */
export async function joinThroughDeviceCheck(page: Page, link: string): Promise<void> {
	await page.goto(link);
	await expectVisible(page, 'consent-screen');
	await click(page, 'consent-accept');
	await expectVisible(page, 'device-check');
	await click(page, 'device-check-continue');
}

/** What the first <video> under the selector shows (Playwright's centreColour, in Firefox). */
export function colourIn(page: Page, selector: string): Promise<CentreColour> {
	return page
		.$eval(`${selector} video`, readCentreColour)
		.catch(() => ({ r: -1, g: -1, b: -1, width: 0, height: 0, framesDecoded: 0 }));
}

/**
 * Runs in every page before its own scripts: each RTCPeerConnection the page makes is kept in
 * `window.__peerConnections`, so a test can read what its receivers get.
 */
function notePeerConnections(): void {
	const Original = window.RTCPeerConnection;
	if (!Original) return;
	const made: RTCPeerConnection[] = [];
	Object.defineProperty(window, '__peerConnections', { value: made });
	window.RTCPeerConnection = class extends Original {
		constructor(configuration?: RTCConfiguration) {
			super(configuration);
			made.push(this);
		}
	};
}

/**
 * The loudest audio level (0–1) the page's receivers report over two seconds, from the level each RTP
 * packet carries. Headless Firefox here cannot play sound into Web Audio (with no audio output device
 * its AudioContext never leaves "suspended"), so this stands in for support/audio.ts. The level is that
 * of the latest packets only and the fake microphone beeps about once a second, so one reading per
 * poll can keep landing between beeps (a clean-clone run read 0.00007 for 20 s); sampling every 20 ms
 * over two seconds always takes in a beep when there is sound.
 */
export function receivedAudioLevel(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const made = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
		let loudest = 0;
		const until = performance.now() + 2000;
		while (performance.now() < until) {
			for (const connection of made) {
				for (const receiver of connection.getReceivers()) {
					if (receiver.track.kind !== 'audio') continue;
					for (const source of receiver.getSynchronizationSources()) loudest = Math.max(loudest, source.audioLevel ?? 0);
				}
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		return loudest;
	});
}

export type Patches = { colours: Rgb[] };

/**
 * Runs inside the page: the average colours of five patches of a <video> (its middle and the middle of
 * each quarter), so a test can tell a solid picture from a patterned one.
 */
export function readPatches(element: Element): Patches {
	const media = element as HTMLVideoElement;
	const width = media.videoWidth;
	const height = media.videoHeight;
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const context = canvas.getContext('2d');
	if (!context || width === 0) return { colours: [] };
	context.drawImage(media, 0, 0, width, height);
	const size = Math.max(4, Math.floor(Math.min(width, height) / 10));
	const centres = [
		[0.5, 0.5],
		[0.25, 0.25],
		[0.75, 0.25],
		[0.25, 0.75],
		[0.75, 0.75],
	];
	const colours = centres.map(([x = 0, y = 0]) => {
		const pixels = context.getImageData(Math.floor(width * x - size / 2), Math.floor(height * y - size / 2), size, size).data;
		let r = 0;
		let g = 0;
		let b = 0;
		for (let index = 0; index < pixels.length; index += 4) {
			r += pixels[index] ?? 0;
			g += pixels[index + 1] ?? 0;
			b += pixels[index + 2] ?? 0;
		}
		const count = pixels.length / 4;
		return { r: Math.round(r / count), g: Math.round(g / count), b: Math.round(b / count) };
	});
	return { colours };
}

/** The largest difference, in any channel, between two colours. */
export function colourDistance(a: Rgb, b: Rgb): number {
	return Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));
}

/** A picture is one solid colour when every patch is within `tolerance` of its middle. */
export function solidColour(patches: Patches, tolerance = 24): Rgb | undefined {
	const [middle, ...others] = patches.colours;
	if (!middle || others.some((colour) => colourDistance(colour, middle) > tolerance)) return undefined;
	return middle;
}

const BLACK = { r: 0, g: 0, b: 0 };

/**
 * Waits until the video shows what Firefox's fake camera sends: one solid colour, far from black,
 * that then turns into another solid colour. Only new frames change it (Firefox's playback counters
 * stay at 0 for a MediaStream, so they cannot tell); no role's Y4M camera (one colour that stays)
 * and no frozen or black picture passes.
 */
export async function expectFirefoxFakeCamera(read: () => Promise<Patches>): Promise<void> {
	let first: Rgb | undefined;
	const lit = (colour: Rgb | undefined): colour is Rgb => colour !== undefined && colourDistance(colour, BLACK) >= 60;
	await expect
		.poll(
			async () => {
				const colour = solidColour(await read());
				if (!lit(colour)) return 'not a solid, lit colour';
				first = colour;
				return 'solid';
			},
			{ timeout: 30_000 },
		)
		.toBe('solid');
	await expect
		.poll(
			async () => {
				const colour = solidColour(await read());
				if (!first || !lit(colour)) return 'not a solid, lit colour';
				return colourDistance(colour, first) > 40 ? 'changed' : 'same colour';
			},
			{ timeout: 30_000 },
		)
		.toBe('changed');
}

/** How a test reads the text of an element by test id in one participant's page, whatever drives it. */
export type TextReader = (testId: string) => Promise<string>;

export const firefoxText =
	(page: Page): TextReader =>
	(testId) =>
		textOf(page, byTestId(testId));

export const chromiumText =
	(page: PlaywrightPage): TextReader =>
	(testId) =>
		page
			.getByTestId(testId)
			.first()
			.innerText({ timeout: 1_000 })
			.catch(() => '');

/**
 * journey.ts's walkChecklist across drivers: the agent (Chromium) prompts and passes every step; the
 * applicant (and the interpreter) see each prompt in large text, the applicant the number the agent
 * expects; the interpreter declares name and relation when asked.
 */
export async function walkChecklistAcrossBrowsers(
	agent: PlaywrightPage,
	applicant: TextReader,
	options: { purpose: Purpose; locale: Locale; interpreter?: { text: TextReader; declare: () => Promise<void> } },
): Promise<void> {
	const steps = checklistFor(options.purpose, { interpreter: options.interpreter !== undefined, textOnlyChallenge: false });
	for (const step of steps) {
		await agent.getByTestId(`prompt-${step.id}`).click();
		const promptText = translate(options.locale, step.promptKey);
		await expect.poll(() => applicant('prompt')).toContain(promptText);
		if (options.interpreter) await expect.poll(() => options.interpreter?.text('prompt')).toContain(promptText);
		if (step.kind === 'challenge') {
			const expected = (await agent.getByTestId('expected-challenge').innerText()).replace(/\D/g, '');
			expect(expected).toMatch(/^\d{6}$/);
			await expect.poll(async () => (await applicant('challenge-number')).replace(/\D/g, '')).toBe(expected);
		}
		if (step.kind === 'interpreter_declaration' && options.interpreter) await options.interpreter.declare();
		await agent.getByTestId(`pass-${step.id}`).click();
		await expect(agent.getByTestId(`step-${step.id}`)).toHaveAttribute('data-status', 'passed');
	}
}
