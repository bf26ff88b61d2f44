#!/usr/bin/env node
// Brings a clone to a runnable state, quickly when it already is: installs dependencies (npm ci,
// skipped while package-lock.json is unchanged), which include the pinned Node 24, and makes sure
// mediasoup has a worker binary (mediasoup's own prebuilt download where it can reach it, otherwise
// the cached offline build from scripts/mediasoup-worker.mjs).
//
// VIDVERIFY_MEDIASOUP_WORKER chooses how the worker is obtained:
//   auto (default)  use a cached offline build if there is one; else mediasoup's prebuilt download if
//                   its release server answers; else build offline
//   prebuilt        always mediasoup's own install (download, or its own build)
//   offline         always the offline build (air-gapped sites, CI here)
//
// Plain JavaScript: it must run on whatever Node started it, before Node 24 is installed.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedWorkerPath, ensureCachedWorker, ensureInstalledWorker, pinnedMediasoupVersion } from './mediasoup-worker.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'node_modules', '.vidverify-install-stamp');
const REQUIRED_NODE_MAJOR = 24;
// Where mediasoup's postinstall fetches prebuilt workers from; only asked whether it answers.
const PREBUILT_HOST = 'https://github.com';

function log(message) {
	process.stderr.write(`[setup] ${message}\n`);
}

function fail(message) {
	log(`ERROR: ${message}`);
	process.exit(1);
}

function installFingerprint() {
	const hash = createHash('sha256');
	for (const file of [
		'package.json',
		'package-lock.json',
		'shared/package.json',
		'verifier/package.json',
		'server/package.json',
		'client/package.json',
		'e2e/package.json',
	]) {
		hash.update(file);
		hash.update(fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file)) : '');
	}
	return hash.digest('hex');
}

function localNodeVersion() {
	const binary = path.join(root, 'node_modules', '.bin', 'node');
	if (!fs.existsSync(binary)) return undefined;
	const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

async function prebuiltReachable() {
	try {
		await fetch(PREBUILT_HOST, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
		return true;
	} catch {
		return false;
	}
}

async function workerBinForInstall() {
	if (process.env.MEDIASOUP_WORKER_BIN) return process.env.MEDIASOUP_WORKER_BIN;
	const mode = process.env.VIDVERIFY_MEDIASOUP_WORKER ?? 'auto';
	if (!['auto', 'prebuilt', 'offline'].includes(mode)) {
		fail(`VIDVERIFY_MEDIASOUP_WORKER must be auto, prebuilt or offline, not ${JSON.stringify(mode)}`);
	}
	if (mode === 'prebuilt') return undefined;
	const version = pinnedMediasoupVersion();
	if (mode === 'auto' && !fs.existsSync(cachedWorkerPath(version))) {
		if (await prebuiltReachable()) {
			log("mediasoup's release server answers: using mediasoup's own worker install");
			return undefined;
		}
		log("mediasoup's release server is out of reach: building the worker offline");
	}
	return ensureCachedWorker(version);
}

async function install() {
	const workerBin = await workerBinForInstall();
	const env = { ...process.env };
	if (workerBin) env.MEDIASOUP_WORKER_BIN = workerBin;
	log(`installing dependencies (npm ci${workerBin ? `, mediasoup worker from ${workerBin}` : ''})`);
	const started = Date.now();
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env, stdio: 'inherit' });
	if (result.error) fail(`npm could not start: ${result.error.message}`);
	if (result.status !== 0) fail(`npm ci failed with exit code ${result.status}`);
	log(`dependencies installed in ${Math.round((Date.now() - started) / 1000)} s`);
	if (workerBin) process.env.MEDIASOUP_WORKER_BIN = workerBin;
}

const upToDate = fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === installFingerprint() && localNodeVersion();
if (!upToDate) await install();
ensureInstalledWorker();

const nodeVersion = localNodeVersion();
if (!nodeVersion || Number(nodeVersion.slice(1).split('.')[0]) !== REQUIRED_NODE_MAJOR) {
	fail(
		`node_modules/.bin/node should be Node ${REQUIRED_NODE_MAJOR} (from the "node" devDependency) but is ${nodeVersion ?? 'missing'}. ` +
			'Its install script may have been skipped: check "allowScripts" in package.json and run `npm ci` again.',
	);
}
if (!upToDate) fs.writeFileSync(stampFile, installFingerprint());
log(`ready: Node ${nodeVersion}, mediasoup ${pinnedMediasoupVersion()} with a worker binary`);
