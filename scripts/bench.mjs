#!/usr/bin/env node
// `npm run bench`: runs every benchmark of bench/<suite>/ one after the other (the machine is shared,
// and benchmarks running side by side would measure each other) and prints one line per figure:
//
//   <id> <description>: <value> <unit>
//
// A benchmark is a .ts file of bench/<suite>/ that no other file of bench/ imports or starts by path
// (the others are the suites' helpers). It prints its figures in that format on stdout and anything else on stderr; its
// stdout lines in another format are passed to stderr too, so that stdout holds figures only. Method
// and figures: docs/performance.md.
//
//   npm run bench                      every suite
//   npm run bench -- signalling        only these suites (or benchmarks: signalling/queue)
//   npm run bench -- --list            which benchmarks would run, without running them
//
// Plain JavaScript that runs the benchmarks with the project's Node (node_modules/.bin first on PATH).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchRoot = path.join(root, 'bench');
const FIGURE = /^\S+ .+: -?\d+(\.\d+)? \S.*$/;

/** Every .ts file under bench/<suite>/, as a path relative to bench/ without its extension. */
function benchFiles() {
	if (!fs.existsSync(benchRoot)) return [];
	return fs
		.readdirSync(benchRoot, { withFileTypes: true })
		.filter((entry) => entry.isDirectory())
		.flatMap((suite) =>
			fs
				.readdirSync(path.join(benchRoot, suite.name))
				.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
				.map((file) => path.join(benchRoot, suite.name, file)),
		)
		.sort();
}

/** The files some other bench file imports or starts: helpers, not benchmarks. */
function importedFiles(files) {
	const imported = new Set();
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		// Imports, and files started by path (new URL('./server.ts', import.meta.url)).
		const uses = /\b(?:from\s+|import\(\s*|new URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
		for (const match of text.matchAll(uses)) imported.add(path.resolve(path.dirname(file), match[1]));
	}
	return imported;
}

function selected(file, filters) {
	if (filters.length === 0) return true;
	const name = path.relative(benchRoot, file).replace(/\.ts$/, '');
	return filters.some((filter) => name === filter || name.startsWith(`${filter}/`));
}

/** The benchmark running now, and whether the runner was asked to stop. */
let current;
let stopping = false;
// Stopping the runner stops the benchmark it is running (which ends what it started), and no other starts.
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		stopping = true;
		current?.kill(signal);
	});
}

function run(file) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
		current = child;
		const lines = readline.createInterface({ input: child.stdout });
		lines.on('line', (line) => {
			if (FIGURE.test(line)) process.stdout.write(`${line}\n`);
			else process.stderr.write(`${line}\n`);
		});
		child.on('exit', (code, signal) => resolve(code === 0 ? undefined : (signal ?? `exit code ${code}`)));
	});
}

const listOnly = process.argv.includes('--list');
const filters = process.argv.slice(2).filter((argument) => argument !== '--list');
const files = benchFiles();
const helpers = importedFiles(files);
const benchmarks = files.filter((file) => !helpers.has(file) && selected(file, filters));
if (benchmarks.length === 0) {
	process.stderr.write(`[bench] no benchmark matches ${filters.join(' ') || 'bench/<suite>/*.ts'}\n`);
	process.exit(1);
}
if (listOnly) {
	for (const file of benchmarks) process.stderr.write(`${path.relative(root, file)}\n`);
	process.exit(0);
}
const failed = [];
for (const file of benchmarks) {
	if (stopping) break;
	const name = path.relative(root, file);
	process.stderr.write(`[bench] ${name}\n`);
	const failure = await run(file);
	if (failure) {
		failed.push(name);
		process.stderr.write(`[bench] ${name} failed (${failure})\n`);
	}
}
if (stopping) {
	process.stderr.write('[bench] stopped\n');
	process.exit(1);
}
if (failed.length > 0) {
	process.stderr.write(`[bench] failed: ${failed.join(', ')}\n`);
	process.exit(1);
}
