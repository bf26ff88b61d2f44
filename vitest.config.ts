// Unit and integration tests of shared, server and client (Vitest); e2e journeys run in Playwright.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: [
			'shared/src/**/*.test.ts',
			'verifier/src/**/*.test.ts',
			'server/src/**/*.test.ts',
			'server/test/**/*.test.ts',
			'client/src/**/*.test.ts',
			'e2e/support/**/*.test.ts',
		],
		globalSetup: ['server/test/globalSetup.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// Two cores: real mediasoup workers and redis-server share them with the test processes.
		maxWorkers: 2,
		pool: 'forks',
	},
});
