// Builds the web client with Vite when its sources changed since the last build (a hash of the
// sources is kept next to the output), so `npm start` and `npm test` stay fast on a second run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = path.join(root, 'client', 'dist');
const stampFile = path.join(distDir, '.source-hash');
const SOURCES = [
	'client/src',
	'client/public',
	'client/index.html',
	'client/vite.config.ts',
	'client/package.json',
	'shared/src',
	'package-lock.json',
];

function sourceHash() {
	const hash = createHash('sha256');
	const visit = (relative) => {
		const full = path.join(root, relative);
		if (!fs.existsSync(full)) return;
		if (fs.statSync(full).isDirectory()) {
			for (const name of fs.readdirSync(full).sort()) visit(path.join(relative, name));
		} else {
			hash.update(relative);
			hash.update(fs.readFileSync(full));
		}
	};
	for (const source of SOURCES) visit(source);
	return hash.digest('hex');
}

export function buildClientIfStale() {
	const wanted = sourceHash();
	if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === wanted) return false;
	process.stderr.write('[client] building the web client (vite build)\n');
	const vite = path.join(root, 'node_modules', '.bin', 'vite');
	const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: path.join(root, 'client'), stdio: 'inherit' });
	if (result.status !== 0) {
		process.stderr.write('[client] ERROR: vite build failed\n');
		process.exit(1);
	}
	fs.writeFileSync(stampFile, wanted);
	return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildClientIfStale();
