// The built web client as the server serves it: its files and the app's routes, and in production no
// source map, even when a build left one in the folder.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService, temporaryDataDir } from './harness.ts';

/** A client build in a temporary folder: the app page, a script and the script's source map. */
function clientBuild(): string {
	const dist = temporaryDataDir();
	fs.mkdirSync(path.join(dist, 'assets'));
	fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script src="/assets/app.js"></script>');
	fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map\n');
	fs.writeFileSync(path.join(dist, 'assets', 'app.js.map'), '{"version":3,"sources":["app.tsx"],"mappings":""}');
	fs.writeFileSync(path.join(dist, 'root.js.map'), '{"version":3}');
	return dist;
}

let production: TestService;
let test: TestService;

beforeAll(async () => {
	const dist = clientBuild();
	production = await startService({ env: { NODE_ENV: 'production', CLIENT_DIST_DIR: dist } });
	test = await startService({ env: { CLIENT_DIST_DIR: dist } });
});
afterAll(async () => {
	await production?.close();
	await test?.close();
});

describe('the built web client', () => {
	it('answers 404 for a source map in production, wherever it lies, and still serves the scripts and the app', async () => {
		for (const pathname of ['/assets/app.js.map', '/root.js.map', '/assets/APP.JS.MAP', '/assets/missing.js.map']) {
			const response = await fetch(`${production.url}${pathname}`);
			expect(response.status, pathname).toBe(404);
			expect(await response.text()).toBe('');
		}
		expect((await fetch(`${production.url}/assets/app.js`)).status).toBe(200);
		const page = await fetch(`${production.url}/agent`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('/assets/app.js');
	});

	it('serves source maps outside production, for debugging', async () => {
		const response = await fetch(`${test.url}/assets/app.js.map`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ version: 3 });
	});
});
