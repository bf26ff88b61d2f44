// `npm test`, after setup: typecheck, lint, unit and integration tests (Vitest), then the browser
// journeys (Playwright with Debian's Chromium; Debian's Firefox ESR and WebKitGTK for their own).
// Every stage runs even when an earlier one failed, so one run shows everything; the last line sums
// up the tests and the exit code says pass/fail.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientIfStale } from './client-build.mjs';
import { ensureDebianPackages } from './debian-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-test-'));
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- e2e`
const wants = (stage) => only.length === 0 || only.includes(stage);

const failures = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function stage(name, command, args, env = {}) {
	const started = Date.now();
	process.stderr.write(`\n[test] ── ${name} ──\n`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const ok = result.status === 0;
	process.stderr.write(`[test] ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s\n`);
	if (!ok) failures.push(name);
	return ok;
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

if (wants('check')) {
	stage('typecheck', bin('tsc'), ['-b']);
	stage('lint', bin('biome'), ['check', '.']);
}

if (wants('unit')) {
	// Tests that need Redis start their own redis-server unless REDIS_URL names one.
	if (!process.env.REDIS_URL) ensureDebianPackages(['redis-server'], 'the test suite (a real Redis server)');
	// No Docker engine runs here; docker-compose (v1, Debian's) validates docker-compose.yml without one.
	ensureDebianPackages(['docker-compose'], 'the compose file check (docker-compose config)');
	const report = path.join(reportDir, 'vitest.json');
	const ok = stage('unit and integration tests (vitest)', bin('vitest'), [
		'run',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${report}`,
	]);
	const json = readJson(report);
	if (json) {
		totals.passed += json.numPassedTests;
		totals.failed += json.numFailedTests;
		totals.skipped += json.numPendingTests + json.numTodoTests;
	} else if (!ok) totals.failed += 1;
}

if (wants('e2e')) {
	// Playwright drives Debian's Chromium; it cannot download a browser of its own here.
	if (!process.env.CHROMIUM_PATH)
		ensureDebianPackages(
			['chromium', 'fonts-liberation', 'fonts-noto-cjk', 'coturn', 'openssl'],
			'the browser tests (Chromium, with fonts for English and Chinese; coturn and openssl for the TURN journeys)',
		);
	// The other engines, Debian's too: Firefox ESR (driven by puppeteer-core over WebDriver BiDi) and
	// WebKitGTK (WebKitWebDriver; it has no headless mode, so it runs on an Xvfb display).
	if (!process.env.FIREFOX_PATH) ensureDebianPackages(['firefox-esr'], 'the Firefox journeys (Firefox ESR)');
	if (!process.env.WEBKIT_DRIVER_PATH)
		ensureDebianPackages(['webkit2gtk-driver', 'xvfb'], 'the WebKit smoke test (WebKitGTK under WebDriver, on Xvfb)');
	buildClientIfStale();
	const report = path.join(reportDir, 'playwright.json');
	const ok = stage('browser journeys (playwright)', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], {
		PLAYWRIGHT_JSON_OUTPUT_NAME: report,
	});
	const json = readJson(report);
	if (json?.stats) {
		totals.passed += json.stats.expected + json.stats.flaky;
		totals.failed += json.stats.unexpected;
		totals.skipped += json.stats.skipped;
	} else if (!ok) totals.failed += 1;
}

fs.rmSync(reportDir, { recursive: true, force: true });
if (failures.length > 0) process.stderr.write(`\n[test] failed stages: ${failures.join(', ')}\n`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
