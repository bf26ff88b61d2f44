// How the smoke test drives WebKit: Debian's WebKitGTK (webkit2gtk-driver, which the test preflight
// installs with Xvfb), its MiniBrowser under WebKitWebDriver, spoken to over W3C WebDriver's HTTP
// protocol with fetch(). WebKitGTK has no headless mode, so each browser gets an Xvfb display of its
// own. Debian builds WebKitGTK without WebRTC: this proves the pages render and say so, not calls.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestInfo } from '@playwright/test';

export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The key W3C WebDriver names a found element by. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/** Starts Xvfb on the first free display; resolves with the display's name once it accepts clients. */
function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
	// -displayfd: Xvfb picks a free display and writes its number to fd 3 when it is ready.
	const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'], {
		stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
	});
	return new Promise((resolve, reject) => {
		let written = '';
		let errors = '';
		xvfb.stderr?.on('data', (chunk) => {
			errors += chunk;
		});
		xvfb.stdio[3]?.on('data', (chunk) => {
			written += chunk;
			if (written.includes('\n')) resolve({ display: `:${written.trim()}`, process: xvfb });
		});
		xvfb.once('error', reject);
		xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready: ${errors.trim()}`)));
	});
}

type Answer = { value: unknown };

/** One WebKitGTK browser: its display, its driver and its WebDriver session. */
export class WebKitBrowser {
	readonly #xvfb: ChildProcess;
	readonly #driver: ChildProcess;
	readonly #session: string;

	private constructor(xvfb: ChildProcess, driver: ChildProcess, session: string) {
		this.#xvfb = xvfb;
		this.#driver = driver;
		this.#session = session;
	}

	static async launch(): Promise<WebKitBrowser> {
		const xvfb = await startXvfb();
		const port = await freePort();
		const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
			stdio: 'ignore',
			env: { ...process.env, DISPLAY: xvfb.display },
		});
		const base = `http://127.0.0.1:${port}`;
		try {
			await waitForDriver(base);
			const created = await send(base, 'POST', '/session', {
				capabilities: {
					alwaysMatch: {
						'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
					},
				},
			});
			const session = (created.value as { sessionId: string }).sessionId;
			return new WebKitBrowser(xvfb.process, driver, `${base}/session/${session}`);
		} catch (error) {
			driver.kill();
			xvfb.process.kill();
			throw error;
		}
	}

	async goto(url: string): Promise<void> {
		await send(this.#session, 'POST', '/url', { url });
	}

	/** Runs a function body in the page (`arguments[0]` …) and returns its value. */
	async execute<T>(script: string, ...args: unknown[]): Promise<T> {
		return (await send(this.#session, 'POST', '/execute/sync', { script, args })).value as T;
	}

	/** The visible text of the first element the CSS selector finds, or undefined while there is none. */
	async text(selector: string): Promise<string | undefined> {
		const element = await this.#find(selector);
		return element ? ((await send(this.#session, 'GET', `/element/${element}/text`)).value as string) : undefined;
	}

	async attribute(selector: string, name: string): Promise<string | null | undefined> {
		const element = await this.#find(selector);
		if (!element) return undefined;
		return (await send(this.#session, 'GET', `/element/${element}/attribute/${encodeURIComponent(name)}`)).value as string | null;
	}

	async enabled(selector: string): Promise<boolean | undefined> {
		const element = await this.#find(selector);
		return element ? ((await send(this.#session, 'GET', `/element/${element}/enabled`)).value as boolean) : undefined;
	}

	async click(selector: string): Promise<void> {
		const element = await this.#find(selector);
		if (!element) throw new Error(`nothing to click: ${selector}`);
		await send(this.#session, 'POST', `/element/${element}/click`, {});
	}

	/** Saves a PNG of the window as e2e/artifacts/webkit/<name>.png, as the other journeys keep theirs. */
	async screenshot(testInfo: TestInfo, name: string): Promise<void> {
		const png = Buffer.from((await send(this.#session, 'GET', '/screenshot')).value as string, 'base64');
		const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'webkit');
		fs.mkdirSync(folder, { recursive: true });
		const file = path.join(folder, `${name}.png`);
		fs.writeFileSync(file, png);
		await testInfo.attach(name, { path: file, contentType: 'image/png' });
	}

	async close(): Promise<void> {
		try {
			await send(this.#session, 'DELETE', '');
		} finally {
			this.#driver.kill();
			this.#xvfb.kill();
		}
	}

	async #find(selector: string): Promise<string | undefined> {
		const found = await send(this.#session, 'POST', '/elements', { using: 'css selector', value: selector });
		const [first] = found.value as Record<string, string>[];
		return first?.[ELEMENT];
	}
}

async function send(base: string, method: 'GET' | 'POST' | 'DELETE', pathname: string, body?: unknown): Promise<Answer> {
	const response = await fetch(`${base}${pathname}`, {
		method,
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = (await response.json()) as Answer;
	if (!response.ok)
		throw new Error(`WebDriver ${method} ${pathname} answered ${response.status}: ${JSON.stringify(answer.value)}`);
	return answer;
}

async function waitForDriver(base: string): Promise<void> {
	const deadline = Date.now() + 20_000;
	let last = 'no answer';
	while (Date.now() < deadline) {
		try {
			const status = await send(base, 'GET', '/status');
			if ((status.value as { ready?: boolean }).ready) return;
			last = JSON.stringify(status.value);
		} catch (error) {
			last = String(error);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`WebKitWebDriver at ${base} was not ready within 20 s: ${last}`);
}
