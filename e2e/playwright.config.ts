// Browser journeys in Debian's Chromium (no browser download: executablePath), with fake camera and
// microphone, against the real server started by support/globalSetup.ts.
import { defineConfig } from '@playwright/test';
import { launchOptions } from './support/browser.ts';

export default defineConfig({
	testDir: 'tests',
	outputDir: 'test-results',
	globalSetup: './support/globalSetup.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 20_000 },
	reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
	use: {
		browserName: 'chromium',
		headless: true,
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure',
		launchOptions: launchOptions(),
	},
});
