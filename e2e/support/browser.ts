// How the journeys start Chromium: Debian's binary (Playwright cannot download one here), headless,
// with fake camera and microphone granted without a prompt. A test that needs its own camera picture
// adds --use-file-for-fake-video-capture through withCamera().
import type { LaunchOptions } from '@playwright/test';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--use-fake-ui-for-media-stream',
	'--use-fake-device-for-media-stream',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	// Remote audio plays (and can be measured) without a click, as after a user's consent click.
	'--autoplay-policy=no-user-gesture-required',
];

export function launchOptions(extraArgs: string[] = []): LaunchOptions {
	return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] };
}

/**
 * Launch options with Chromium's own fake cameras (its moving test pattern, no file), `count` of them
 * so a page can switch between cameras, as a phone between its front and back camera.
 */
export function withFakeCameras(count: number): LaunchOptions {
	const fake = '--use-fake-device-for-media-stream';
	return {
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS.map((argument) => (argument === fake ? `${fake}=device-count=${count}` : argument)),
	};
}

/** Launch options whose fake camera plays the given Y4M file. */
export function withCamera(y4mFile: string): LaunchOptions {
	return launchOptions([`--use-file-for-fake-video-capture=${y4mFile}`]);
}
