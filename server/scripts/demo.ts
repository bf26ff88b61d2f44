// `npm run demo`: with the service running (`npm start`), creates a verification and an agent through
// the host API and prints a link for each role, to try a call by hand on one machine. It reads the
// development API key from DATA_DIR/dev-secrets.json unless API_KEY is given.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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

const verification = await post<{ id: string; applicantUrl: string; expiresAt: string }>('/verifications', {
	externalUserRef: `demo-user-${Date.now()}`,
	purpose: values.purpose,
	locale: values.locale,
	accessibility: { interpreter: values.interpreter, textOnlyChallenge: values['text-only'] },
});
const agent = await post<{ agentUrl: string }>('/agent-tokens', {
	agentId: 'demo-agent',
	displayName: 'Demo Agent',
	languages: ['en', 'zh'],
	skills: values.interpreter ? ['sign_language'] : [],
});

console.log(`Verification ${verification.id} (${values.purpose}, join before ${verification.expiresAt})

Applicant — open in one browser window:
  ${verification.applicantUrl}

Agent — open in another browser (or a private window), set yourself available, accept:
  ${agent.agentUrl}
${values.interpreter ? '\nThe applicant invites the interpreter from the call screen and hands over the link it shows.\n' : ''}`);
