// `npm run screenshots`: the README's pictures (docs/screenshots/), taken from a real call on a
// development server with the generated specimen cameras. Not part of `npm test`: its own folder of
// specs and no shared server; run it when the screens change and commit the pictures it writes.
import { defineConfig } from '@playwright/test';
import { launchOptions } from './support/browser.ts';

export default defineConfig({
	testDir: 'screenshots',
	outputDir: 'test-results/screenshots',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	// Three browsers sending and decoding video on a busy two-core machine, twice: a budget, not a measure.
	timeout: 900_000,
	expect: { timeout: 30_000 },
	reporter: [['list']],
	use: { browserName: 'chromium', headless: true, launchOptions: launchOptions() },
});
