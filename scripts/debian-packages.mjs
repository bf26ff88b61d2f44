// Installs Debian packages the project needs when they are missing: as root with apt-get, otherwise
// it names the exact command to run. Plain JavaScript (runs before dependencies are installed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export function missingDebianPackages(names) {
	// dpkg-query's own format placeholders, not a template string.
	const format = '-f=$' + '{Package} $' + '{db:Status-Status}\\n';
	const result = spawnSync('dpkg-query', ['-W', format, ...names], { encoding: 'utf8' });
	if (result.error) return names;
	const installed = new Set(
		result.stdout
			.split('\n')
			.filter((line) => line.endsWith(' installed'))
			.map((line) => line.split(' ')[0]),
	);
	return names.filter((name) => !installed.has(name));
}

/** Makes sure the named Debian packages are installed; exits with a clear message when it cannot. */
export function ensureDebianPackages(names, purpose, log = (message) => process.stderr.write(`${message}\n`)) {
	if (!fs.existsSync('/usr/bin/dpkg-query')) {
		log(`ERROR: ${purpose} needs these Debian packages (or their equivalents on this system): ${names.join(' ')}`);
		process.exit(1);
	}
	const missing = missingDebianPackages(names);
	if (missing.length === 0) return;
	if (process.getuid?.() !== 0) {
		log(
			`ERROR: ${purpose} needs Debian packages that are not installed; as root run:\n  apt-get install -y ${missing.join(' ')}`,
		);
		process.exit(1);
	}
	log(`installing Debian packages for ${purpose}: ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-q'],
		['install', '-y', '-q', '--no-install-recommends', ...missing],
	]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
		if (result.status !== 0) {
			log(`ERROR: apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
			process.exit(1);
		}
	}
}
