#!/usr/bin/env node
// Makes sure node_modules/mediasoup has a working mediasoup-worker binary.
//
// mediasoup's own install downloads a prebuilt worker (or builds one from sources it downloads).
// Where that cannot work (no internet, an air-gapped site) this script builds the worker from the
// sources inside mediasoup's npm tarball against Debian's libraries, and libsrtp from Debian's source
// package built with OpenSSL (see scripts/mediasoup-offline/README.md), caches the binary outside the
// repository, keyed by mediasoup version, platform and the overlay's content, and copies it to where
// mediasoup looks for it.
//
//   node scripts/mediasoup-worker.mjs ensure   worker present? else cached copy, else offline build
//   node scripts/mediasoup-worker.mjs build    offline build into the cache (even if cached)
//   node scripts/mediasoup-worker.mjs status   print what is where
//
// Plain JavaScript on purpose: it runs before dependencies (and Node 24) are installed.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './debian-packages.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const overlayDir = path.join(here, 'mediasoup-offline');

const DEBIAN_BUILD_PACKAGES = [
	'meson',
	'ninja-build',
	'pkg-config',
	'g++',
	'libssl-dev',
	'libuv1-dev',
	'libabsl-dev',
	'libflatbuffers-dev',
	'flatbuffers-compiler',
	'libusrsctp-dev',
	'liburing-dev',
	'libjemalloc-dev',
];

// The worker allocates and frees for every packet it forwards (a copy kept for retransmission per
// consumer, the congestion controller's send history per transport): glibc's malloc took about a tenth
// of its time in a profile, and jemalloc forwarded 3-7% more per CPU-second in M1 and carried 10% more
// calls in M2 (docs/performance.md, "M1/M2 (media)"). Linked ahead of libc, it is the process's allocator.
const ALLOCATOR_LINK_ARG = '-ljemalloc';

// libsrtp 2 from Debian's source package (the only source reachable offline besides npm), built into
// the worker with its OpenSSL backend: Debian's libsrtp2 binary package is built on NSS, which sets
// up a crypto context for every packet (docs/performance.md, "M1/M2 (media)"). The hash is the one
// Debian's signed libsrtp2_2.5.0-3.dsc lists; Debian's patches to it touch only tests and docs.
const LIBSRTP_SOURCE = {
	file: 'libsrtp2_2.5.0.orig.tar.gz',
	pool: 'pool/main/libs/libsrtp2',
	sha256: '8a43ef8e9ae2b665292591af62aa1a4ae41e468b6d98d8258f91478735da4e09',
	directory: 'libsrtp-2.5.0',
};
const DEFAULT_DEBIAN_MIRROR = 'https://deb.debian.org/debian';

// The one-line DTLS fix (see scripts/mediasoup-offline/README.md): the memory BIO callback must
// test the BIO_CB_RETURN bit, not equality, or Debian's kTLS-enabled OpenSSL writes to NULL.
const DTLS_FILE = 'src/RTC/DtlsTransport.cpp';
const DTLS_BROKEN = '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1';
const DTLS_FIXED = '((operationType & BIO_CB_RETURN) != 0) ? static_cast<long>(ret) : 1';

// Part of the cache key with the overlay's files: change it whenever the build steps below change what
// the binary contains (patches, meson options), so a stale cached worker is rebuilt.
const BUILD_RECIPE = `recipe 3; ${DTLS_FIXED}; meson release b_ndebug b_lto ${ALLOCATOR_LINK_ARG}; libsrtp ${LIBSRTP_SOURCE.sha256}`;

function log(message) {
	process.stderr.write(`[mediasoup-worker] ${message}\n`);
}

function fail(message) {
	log(`ERROR: ${message}`);
	process.exit(1);
}

export function pinnedMediasoupVersion() {
	const serverPackage = JSON.parse(fs.readFileSync(path.join(root, 'server', 'package.json'), 'utf8'));
	const version = serverPackage.dependencies?.mediasoup;
	if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
		fail(`server/package.json must pin mediasoup to an exact version, found ${JSON.stringify(version)}`);
	}
	return version;
}

function hashOverlay() {
	const hash = createHash('sha256');
	const walk = (dir) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else {
				hash.update(path.relative(overlayDir, full));
				hash.update(fs.readFileSync(full));
			}
		}
	};
	walk(path.join(overlayDir, 'subprojects'));
	hash.update(BUILD_RECIPE);
	return hash.digest('hex').slice(0, 12);
}

export function cacheRoot() {
	if (process.env.VIDVERIFY_CACHE_DIR) return path.resolve(process.env.VIDVERIFY_CACHE_DIR);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'vidverify');
}

export function cachedWorkerPath(version = pinnedMediasoupVersion()) {
	const key = `${version}-${process.platform}-${process.arch}-${hashOverlay()}`;
	return path.join(cacheRoot(), 'mediasoup-worker', key, 'mediasoup-worker');
}

export function installedWorkerPath() {
	return path.join(root, 'node_modules', 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');
}

function installedMediasoupVersion() {
	try {
		return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'mediasoup', 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

// A worker binary run without mediasoup's environment prints a line about MEDIASOUP_VERSION and
// exits; what matters here is that the dynamic loader finds every library and the binary starts.
function workerRuns(binary) {
	if (!fs.existsSync(binary)) return false;
	const result = spawnSync(binary, [], { encoding: 'utf8', timeout: 10_000 });
	if (result.error) return false;
	const output = `${result.stdout}${result.stderr}`;
	return !/error while loading shared libraries/.test(output) && result.signal === null;
}

// Runs a command; with logFile its output goes there (a compiler's output is long) and only the
// end of it is shown when the command fails.
function run(command, args, options = {}) {
	const { logFile, ...spawnOptions } = options;
	log(`$ ${command} ${args.join(' ')}`);
	const stdio = logFile ? ['ignore', fs.openSync(logFile, 'a'), fs.openSync(logFile, 'a')] : 'inherit';
	const result = spawnSync(command, args, { stdio, ...spawnOptions });
	if (result.error) fail(`${command} could not start: ${result.error.message}`);
	if (result.status !== 0) {
		if (logFile) {
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			process.stderr.write(`${tail}\n(full log: ${logFile})\n`);
		}
		fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
	}
}

function ensureBuildDependencies() {
	ensureDebianPackages(
		DEBIAN_BUILD_PACKAGES,
		'the offline mediasoup worker build (or set MEDIASOUP_WORKER_BIN to a worker you built)',
		log,
	);
}

function replaceOnce(file, search, replacement, what) {
	const text = fs.readFileSync(file, 'utf8');
	const at = text.indexOf(search);
	if (at < 0 || text.indexOf(search, at + 1) >= 0) {
		fail(
			`${what}: expected exactly one occurrence of\n  ${search}\nin ${file}. ` +
				'The mediasoup sources changed; review scripts/mediasoup-offline/README.md before upgrading.',
		);
	}
	fs.writeFileSync(file, text.replace(search, replacement));
}

function sha256Of(file) {
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// Where to fetch Debian's source tarball from: VIDVERIFY_DEBIAN_MIRROR if set; else the Debian
// archives this machine's apt already uses (a site with a local mirror or a proxying archive gets
// the file from there), then Debian's own. Security and other suites' archives are skipped: the
// pool of the main archive holds the file.
function debianMirrors() {
	if (process.env.VIDVERIFY_DEBIAN_MIRROR) return [process.env.VIDVERIFY_DEBIAN_MIRROR];
	const uris = [];
	const sourceFiles = ['/etc/apt/sources.list'];
	try {
		for (const name of fs.readdirSync('/etc/apt/sources.list.d').sort()) {
			if (name.endsWith('.list') || name.endsWith('.sources')) sourceFiles.push(path.join('/etc/apt/sources.list.d', name));
		}
	} catch {}
	for (const file of sourceFiles) {
		let text;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n')) {
			const oneLine = /^\s*deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
			const deb822 = /^\s*URIs:\s*(.+)$/i.exec(line);
			if (oneLine) uris.push(oneLine[1]);
			else if (deb822) uris.push(...deb822[1].trim().split(/\s+/));
		}
	}
	const archives = uris
		.filter((uri) => /^https?:\/\//.test(uri))
		.map((uri) => uri.replace(/\/+$/, ''))
		.filter((uri) => /\/debian$/.test(uri));
	return [...new Set([...archives, DEFAULT_DEBIAN_MIRROR])];
}

// apt's own downloader: it is on every Debian system, checks the hash, and goes through the proxy
// apt is configured with. The tarball is cached beside the built workers.
function libsrtpTarball() {
	const cached = path.join(cacheRoot(), 'sources', LIBSRTP_SOURCE.file);
	if (fs.existsSync(cached) && sha256Of(cached) === LIBSRTP_SOURCE.sha256) return cached;
	fs.mkdirSync(path.dirname(cached), { recursive: true });
	const partial = `${cached}.partial-${process.pid}`;
	const mirrors = debianMirrors();
	for (const [index, mirror] of mirrors.entries()) {
		const url = `${mirror.replace(/\/+$/, '')}/${LIBSRTP_SOURCE.pool}/${LIBSRTP_SOURCE.file}`;
		log(`$ /usr/lib/apt/apt-helper download-file ${url}`);
		const result = spawnSync('/usr/lib/apt/apt-helper', ['download-file', url, partial, `SHA256:${LIBSRTP_SOURCE.sha256}`], {
			stdio: 'inherit',
		});
		if (result.error) fail(`apt-helper could not start: ${result.error.message}`);
		if (result.status === 0 && fs.existsSync(partial) && sha256Of(partial) === LIBSRTP_SOURCE.sha256) {
			fs.renameSync(partial, cached);
			return cached;
		}
		fs.rmSync(partial, { force: true });
		log(`could not fetch ${url}${index + 1 < mirrors.length ? '; trying the next Debian archive' : ''}`);
	}
	fail(
		`could not fetch ${LIBSRTP_SOURCE.file} (SHA-256 ${LIBSRTP_SOURCE.sha256}) from any Debian archive; ` +
			`set VIDVERIFY_DEBIAN_MIRROR to a Debian mirror, or place the file in ${path.dirname(cached)}`,
	);
}

function prepareSources(version, workDir) {
	run('npm', ['pack', `mediasoup@${version}`, '--silent', '--pack-destination', workDir], { cwd: workDir });
	run('tar', ['xzf', path.join(workDir, `mediasoup-${version}.tgz`), '-C', workDir]);
	const workerDir = path.join(workDir, 'package', 'worker');

	// Every wrap would be downloaded; the overlay's local subprojects use the system libraries instead.
	const subprojects = path.join(workerDir, 'subprojects');
	for (const name of fs.readdirSync(subprojects)) {
		if (name.endsWith('.wrap')) fs.rmSync(path.join(subprojects, name));
	}
	fs.cpSync(path.join(overlayDir, 'subprojects'), subprojects, { recursive: true });
	// The libsrtp3 stand-in builds this one as its own subproject (meson keeps all in one folder).
	run('tar', ['xzf', libsrtpTarball(), '-C', subprojects]);
	fs.renameSync(path.join(subprojects, LIBSRTP_SOURCE.directory), path.join(subprojects, 'libsrtp2'));

	// Debian 12's meson is 1.0.1; the worker builds with it.
	const mesonBuild = path.join(workerDir, 'meson.build');
	const gate = fs.readFileSync(mesonBuild, 'utf8').match(/meson_version: '>= [\d.]+'/);
	if (!gate) fail(`no meson_version gate found in ${mesonBuild}`);
	replaceOnce(mesonBuild, gate[0], "meson_version: '>= 1.0.0'", 'meson version gate');

	replaceOnce(path.join(workerDir, DTLS_FILE), DTLS_BROKEN, DTLS_FIXED, 'DTLS BIO callback fix');
	return workerDir;
}

export function buildOffline(version = pinnedMediasoupVersion()) {
	ensureBuildDependencies();
	const started = Date.now();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `vidverify-mediasoup-${version}-`));
	try {
		log(`building mediasoup-worker ${version} offline in ${workDir} (about 5 minutes on 2 cores)`);
		const workerDir = prepareSources(version, workDir);
		const buildDir = path.join(workerDir, 'out', 'build');
		const logFile = path.join(cacheRoot(), `mediasoup-worker-${version}-build.log`);
		fs.mkdirSync(cacheRoot(), { recursive: true });
		fs.writeFileSync(logFile, '');
		log(`build output goes to ${logFile}`);
		const mesonArgs = [
			'setup',
			buildDir,
			'--buildtype=release',
			'-Db_ndebug=true',
			'--wrap-mode=nodownload',
			`-Dcpp_link_args=${ALLOCATOR_LINK_ARG}`,
			// Link-time optimisation across the worker, libwebrtc and libsrtp: 3-6% more per CPU-second.
			'-Db_lto=true',
		];
		if (process.env.VIDVERIFY_WORKER_DISABLE_LIBURING === '1') mesonArgs.push('-Dms_disable_liburing=true');
		run('meson', mesonArgs, { cwd: workerDir, logFile });
		// The generated FBS headers are a target nothing depends on: build them first.
		run('meson', ['compile', '-C', buildDir, 'flatbuffers-generator'], { cwd: workerDir, logFile });
		run('meson', ['compile', '-C', buildDir, '-j', String(os.availableParallelism()), 'mediasoup-worker'], {
			cwd: workerDir,
			logFile,
		});
		const built = path.join(buildDir, 'mediasoup-worker');
		if (!workerRuns(built)) fail(`the built worker at ${built} does not start`);
		assertSrtpOnOpenSsl(built);
		assertLinked(built, 'libjemalloc.so', 'jemalloc');
		const target = cachedWorkerPath(version);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		const partial = `${target}.partial-${process.pid}`;
		fs.copyFileSync(built, partial);
		fs.chmodSync(partial, 0o755);
		fs.renameSync(partial, target);
		log(`built in ${Math.round((Date.now() - started) / 1000)} s, cached at ${target}`);
		return target;
	} finally {
		if (process.env.VIDVERIFY_KEEP_WORKER_BUILD !== '1') fs.rmSync(workDir, { recursive: true, force: true });
	}
}

// Beside the installed worker: where it was copied from, so a later run can tell an older offline
// build (to be replaced when the recipe changes) from mediasoup's own or a binary of the user's.
function placedFromFile() {
	return `${installedWorkerPath()}.vidverify-source`;
}

function placeWorker(source) {
	const target = installedWorkerPath();
	fs.mkdirSync(path.dirname(target), { recursive: true });
	const partial = `${target}.partial-${process.pid}`;
	fs.copyFileSync(source, partial);
	fs.chmodSync(partial, 0o755);
	fs.renameSync(partial, target);
	fs.writeFileSync(placedFromFile(), `${path.resolve(source)}\n`);
	log(`placed ${source} at ${target}`);
}

// True when the installed worker is an offline build other than the current recipe's: one copied
// from another cache entry, or one from before these notes, which linked Debian's (NSS) libsrtp2.
function installedIsStaleOfflineBuild(version) {
	const placedFrom = fs.existsSync(placedFromFile()) ? fs.readFileSync(placedFromFile(), 'utf8').trim() : undefined;
	if (placedFrom === undefined) {
		const ldd = spawnSync('ldd', [installedWorkerPath()], { encoding: 'utf8' });
		return /libsrtp2\.so/.test(ldd.stdout ?? '');
	}
	const offlineBuilds = path.join(cacheRoot(), 'mediasoup-worker') + path.sep;
	return placedFrom.startsWith(offlineBuilds) && placedFrom !== cachedWorkerPath(version);
}

// The offline build must carry its own libsrtp on OpenSSL: one that picked up Debian's shared
// libsrtp2 (NSS) would start and work, and quietly cost more CPU per packet.
function assertSrtpOnOpenSsl(binary) {
	const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
	if (/libsrtp2\.so|libnss3\.so/.test(ldd.stdout ?? '')) fail(`${binary} links the system's libsrtp2 or NSS:\n${ldd.stdout}`);
	if (!fs.readFileSync(binary).includes('GCM using openssl')) fail(`${binary} does not contain libsrtp's OpenSSL ciphers`);
}

function assertLinked(binary, library, what) {
	const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
	if (!(ldd.stdout ?? '').includes(library)) fail(`${binary} is not linked to ${what}:\n${ldd.stdout}`);
}

// Returns the path of a worker binary for the pinned version, building one if there is none.
export function ensureCachedWorker(version = pinnedMediasoupVersion()) {
	const cached = cachedWorkerPath(version);
	if (workerRuns(cached)) return cached;
	return buildOffline(version);
}

export function ensureInstalledWorker() {
	const version = pinnedMediasoupVersion();
	const installedVersion = installedMediasoupVersion();
	if (installedVersion === undefined) fail('mediasoup is not installed yet: run npm ci first');
	if (installedVersion !== version) {
		fail(`node_modules has mediasoup ${installedVersion} but server/package.json pins ${version}: run npm ci`);
	}
	if (process.env.MEDIASOUP_WORKER_BIN && workerRuns(process.env.MEDIASOUP_WORKER_BIN)) {
		placeWorker(process.env.MEDIASOUP_WORKER_BIN);
		return;
	}
	if (workerRuns(installedWorkerPath())) {
		if (!installedIsStaleOfflineBuild(version)) return;
		log('the installed worker is an offline build of an earlier recipe: replacing it with the current one');
	}
	placeWorker(ensureCachedWorker(version));
}

function status() {
	const version = pinnedMediasoupVersion();
	const cached = cachedWorkerPath(version);
	const installed = installedWorkerPath();
	console.log(`pinned mediasoup:     ${version}`);
	console.log(`installed mediasoup:  ${installedMediasoupVersion() ?? '(none)'}`);
	console.log(`worker in node_modules: ${workerRuns(installed) ? installed : '(none)'}`);
	console.log(`offline-built cache:    ${workerRuns(cached) ? cached : `(none) ${cached}`}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const command = process.argv[2] ?? 'ensure';
	if (command === 'ensure') ensureInstalledWorker();
	else if (command === 'build') buildOffline();
	else if (command === 'status') status();
	else fail(`unknown command ${command}; use ensure, build or status`);
}
