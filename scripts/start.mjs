// `npm start`, after setup: builds the web client if needed and runs the server in this process.
//
// npm runs `setup && start` in one shell, and a shell may remember where it found `node` for the first
// command (dash does): on a fresh clone that is the system's Node, found before setup installed the
// project's Node 24 into node_modules/.bin. So when this runs on a Node that cannot run the server, it
// runs itself again on the project's Node, passing signals through and ending as that run ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unsupportedNodeReason } from '../server/bin/nodeVersion.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projectNode = path.join(root, 'node_modules', '.bin', 'node');

if (unsupportedNodeReason(process.versions.node) && fs.existsSync(projectNode)) {
	const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
} else {
	const { buildClientIfStale } = await import('./client-build.mjs');
	buildClientIfStale();
	await import('../server/bin/vidverify.mjs');
}
