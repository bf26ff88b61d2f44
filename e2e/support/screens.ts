// Screenshots of the main screens, kept as test artifacts (e2e/artifacts/<journey>/<n>-<role>-<screen>.png)
// and attached to the Playwright report.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';

const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export function screenRecorder(testInfo: TestInfo, journey: string) {
	let count = 0;
	const folder = path.join(ARTIFACTS, journey);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	return async (page: Page, name: string): Promise<void> => {
		count += 1;
		const file = path.join(folder, `${String(count).padStart(2, '0')}-${name}.png`);
		await page.screenshot({ path: file, fullPage: true });
		await testInfo.attach(name, { path: file, contentType: 'image/png' });
	};
}
