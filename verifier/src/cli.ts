#!/usr/bin/env node
// vidverify-verify: checks a verification bundle (GET /api/v1/verifications/:id/bundle) offline and
// names the first check that fails. Exit status: 0 verified, 1 a check failed, 2 usage error or a file
// that cannot be read. It uses node:crypto and nothing else, and never opens a connection.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyBundle } from './bundle.ts';
import { publicKeyFromText } from './jws.ts';
import { describePersonalData, personalDataOf } from './personalData.ts';

const USAGE = `usage: vidverify-verify BUNDLE.json [--key FILE | --kid KID]
  --key FILE  the service's public key you trust: a JWK, the answer of GET /api/v1/outcome-key, or PEM
  --kid KID   the RFC 7638 thumbprint (kid) of the key you trust
Without --key or --kid the bundle is checked against its own key, which proves nothing about who
signed it until you compare that key with the service's.`;

function usageError(message: string): never {
	process.stderr.write(`${message}\n${USAGE}\n`);
	process.exit(2);
}

let values: { key?: string; kid?: string; help?: boolean };
let positionals: string[];
try {
	({ values, positionals } = parseArgs({
		options: { key: { type: 'string' }, kid: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
		allowPositionals: true,
	}));
} catch (error) {
	usageError((error as Error).message);
}
if (values.help === true) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
if (positionals.length !== 1) usageError('give exactly one bundle file');
if (values.key !== undefined && values.kid !== undefined) usageError('give --key or --kid, not both');

// npm run moves to the repository root and says where it came from in INIT_CWD.
const typedFrom = process.env.INIT_CWD ?? process.cwd();
const bundleFile = path.resolve(typedFrom, positionals[0] as string);
const bundle = readJson(bundleFile, 'bundle');
const trustedKid = values.kid ?? (values.key === undefined ? undefined : kidOfKeyFile(path.resolve(typedFrom, values.key)));

const report = verifyBundle(bundle, { trustedKid });
process.stdout.write(`bundle ${bundleFile}\n`);
for (const { check, detail } of report.passed) process.stdout.write(`  ok      ${check.padEnd(10)} ${detail}\n`);
if (!report.ok) {
	process.stdout.write(`  FAILED  ${report.failed.check.padEnd(10)} ${report.failed.reason}\n`);
	process.stdout.write(`NOT VERIFIED: the ${report.failed.check} check failed\n`);
	process.exit(1);
}
process.stdout.write(
	report.keyPinned
		? 'VERIFIED: complete and unaltered up to the checkpoint, signed by the key you trust\n'
		: "VERIFIED against the bundle's own key: complete and unaltered up to the checkpoint if that key is the service's\n",
);
const { events } = bundle as { events: { type: string; data: Record<string, unknown> }[] };
process.stdout.write(`${describePersonalData(personalDataOf(events))}\n`);
process.exit(0);

function readJson(file: string, what: string): unknown {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		process.stderr.write(`cannot read the ${what} ${file}: ${(error as Error).message}\n`);
		process.exit(2);
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		process.stderr.write(`the ${what} ${file} is not JSON: ${(error as Error).message}\n`);
		process.exit(2);
	}
}

/** The kid of the key in a file: a JWK, the answer of GET /api/v1/outcome-key, or PEM. */
function kidOfKeyFile(file: string): string {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		usageError(`cannot read the key ${file}: ${(error as Error).message}`);
	}
	const key = publicKeyFromText(text);
	if ('error' in key) usageError(`the key ${file}: ${key.error}`);
	return key.kid;
}
