// `npm run demo`: with the service running (`npm start`), creates a verification and an agent through
// the host API and prints a link for each role, to try a call by hand on one machine. It reads the
// development API key from DATA_DIR/dev-secrets.json unless API_KEY is given. It goes over HTTP as a
// host would, with the same demo verification and agent as the landing page's Try button.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isLocale, PURPOSES, type Purpose } from '@vidverify/shared';
import { DEMO_AGENT, demoVerificationBody, describeDemo } from '../src/http/api/demoVerification.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
	options: {
		url: { type: 'string', default: process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
		purpose: { type: 'string', default: 'c2c_video' },
		locale: { type: 'string', default: 'en' },
		interpreter: { type: 'boolean', default: false },
		'text-only': { type: 'boolean', default: false },
	},
});

function apiKey(): string {
	if (process.env.API_KEY) return process.env.API_KEY;
	const file = path.join(process.env.DATA_DIR ?? path.join(root, 'data'), 'dev-secrets.json');
	try {
		return (JSON.parse(fs.readFileSync(file, 'utf8')) as { apiKey: string }).apiKey;
	} catch {
		process.stderr.write(`No API key: set API_KEY, or start the service once in development mode so ${file} exists.\n`);
		process.exit(2);
	}
}

async function post<T>(pathname: string, body: unknown): Promise<T> {
	const response = await fetch(`${values.url}/api/v1${pathname}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${apiKey()}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	}).catch((error: unknown) => {
		process.stderr.write(
			`Cannot reach ${values.url} (${error instanceof Error ? error.message : error}); is \`npm start\` running?\n`,
		);
		process.exit(1);
	});
	const text = await response.text();
	if (!response.ok) {
		process.stderr.write(`${pathname} answered ${response.status}: ${text}\n`);
		process.exit(1);
	}
	return JSON.parse(text) as T;
}

const purpose = values.purpose as Purpose;
if (!PURPOSES.includes(purpose) || !isLocale(values.locale)) {
	process.stderr.write(`--purpose must be one of ${PURPOSES.join(', ')}, and --locale en or zh-CN.\n`);
	process.exit(2);
}
const verification = await post<{ id: string; applicantUrl: string; expiresAt: string }>(
	'/verifications',
	demoVerificationBody({
		purpose,
		locale: values.locale,
		accessibility: { interpreter: values.interpreter, textOnlyChallenge: values['text-only'] },
	}),
);
const agent = await post<{ agentUrl: string }>('/agent-tokens', DEMO_AGENT);

process.stdout.write(
	describeDemo({
		verificationId: verification.id,
		purpose,
		expiresAt: verification.expiresAt,
		applicantUrl: verification.applicantUrl,
		agentUrl: agent.agentUrl,
		interpreter: values.interpreter,
	}),
);
