// The join benchmark (`npm run bench:join`): the happy path's join, repeated, measured not asserted.
import { defineConfig } from '@playwright/test';
import { launchOptions } from './support/browser.ts';

export default defineConfig({
	testDir: 'bench',
	outputDir: 'test-results/bench',
	globalSetup: './support/globalSetup.ts',
	workers: 1,
	retries: 0,
	timeout: 15 * 60_000,
	expect: { timeout: 30_000 },
	reporter: [['list']],
	use: { browserName: 'chromium', headless: true, launchOptions: launchOptions() },
});
