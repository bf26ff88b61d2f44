#!/usr/bin/env node
// CI's proof that a fresh clone's very first `npm start` works: clones the committed tree into a
// temporary folder, runs `npm start` there (which installs everything, the project's Node 24 included),
// waits until the server answers /readyz, then stops it with SIGTERM and expects a clean stop. Plain
// JavaScript on whatever Node runs it: on a fresh machine that is the system's.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** npm ci and the client build on a cold cache; the worker comes from the cache the setup keeps. */
const READY_WITHIN_MS = 20 * 60_000;
const STOPPED_WITHIN_MS = 60_000;

function log(message) {
	process.stderr.write(`[first-start] ${message}\n`);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** Whether any process of the group led by `pid` is still running. */
function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function ready(url) {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		return response.status === 200;
	} catch {
		return false;
	}
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-first-start-'));
const clone = path.join(work, 'clone');
const logFile = path.join(work, 'start.log');
let failure;
try {
	const cloned = spawnSync('git', ['clone', '--quiet', root, clone], { stdio: 'inherit' });
	if (cloned.status !== 0) throw new Error('git clone failed');
	const port = await freePort();
	const out = fs.openSync(logFile, 'w');
	log(`npm start in a fresh clone (${clone}), port ${port}`);
	const child = spawn('npm', ['start'], {
		cwd: clone,
		detached: true,
		stdio: ['ignore', out, out],
		env: { ...process.env, PORT: String(port), DATA_DIR: path.join(work, 'data'), LOG_FORMAT: 'json' },
	});
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const started = Date.now();
	let isReady = false;
	let early;
	exited.then((result) => {
		early = result;
	});
	while (!isReady && !early && Date.now() - started < READY_WITHIN_MS) {
		await new Promise((resolve) => setTimeout(resolve, 1000));
		isReady = await ready(`http://127.0.0.1:${port}/readyz`);
	}
	if (!isReady) {
		process.kill(-child.pid, 'SIGKILL');
		throw new Error(early ? `npm start exited before it was ready (${JSON.stringify(early)})` : 'not ready in time');
	}
	log(`/readyz answered 200 after ${Math.round((Date.now() - started) / 1000)} s; stopping with SIGTERM`);
	process.kill(-child.pid, 'SIGTERM');
	// npm may leave before the server it started has finished stopping: wait for the whole process group.
	const deadline = Date.now() + STOPPED_WITHIN_MS;
	while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
	if (groupAlive(child.pid)) {
		process.kill(-child.pid, 'SIGKILL');
		throw new Error('did not stop in time after SIGTERM');
	}
	const text = fs.readFileSync(logFile, 'utf8');
	if (!text.includes('"msg":"stopped"')) throw new Error('the server did not report a clean stop');
	log('stopped cleanly');
} catch (error) {
	failure = error;
	if (fs.existsSync(logFile)) process.stderr.write(fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
	log(`FAILED: ${error.message}`);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failure ? 1 : 0);
