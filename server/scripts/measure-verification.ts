// Measures what one whole verification costs in Redis commands in Redis mode (not a test): one server
// process in this process, one scripted verification over the real wire (create, applicant joins and
// consents, agent accepts, every checklist step prompted and passed, approval, webhook delivered), and
// Redis's own command statistics (INFO commandstats) read before and after. Commands run inside Lua
// scripts count too, so a record update shows as one EVALSHA plus the HGET/HSET/ZADD it runs. The
// background work of an idle process (heartbeat, timer and webhook sweeps) is measured apart, per second.
// Use a Redis nothing else is using, or the counts include the other clients' commands.
// usage: REDIS_URL=redis://127.0.0.1:6379 node server/scripts/measure-verification.ts
import { randomBytes } from 'node:crypto';
import { CONSENT_VERSION } from '@vidverify/shared';
import { Redis } from 'ioredis';
import {
	availableAgent,
	createApplicant,
	eventually,
	notification,
	request,
	startService,
	WebhookReceiver,
} from '../test/harness.ts';

const url = process.env.REDIS_URL;
if (url === undefined) throw new TypeError('set REDIS_URL to the Redis to measure, e.g. redis://127.0.0.1:6379');
const admin = new Redis(url);

async function commandCalls(): Promise<Map<string, number>> {
	const calls = new Map<string, number>();
	for (const match of (await admin.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
		calls.set(match[1] as string, Number(match[2]));
	}
	return calls;
}

function difference(before: Map<string, number>, after: Map<string, number>, leaveOut: string[]): [string, number][] {
	return [...after]
		.map(([command, calls]): [string, number] => [command, calls - (before.get(command) ?? 0)])
		.filter(([command, calls]) => calls > 0 && !leaveOut.includes(command))
		.sort((a, b) => b[1] - a[1]);
}

function print(title: string, rows: [string, number][], per = 1): void {
	const total = rows.reduce((sum, [, calls]) => sum + calls, 0);
	console.log(`\n${title}: ${(total / per).toFixed(1)} commands`);
	for (const [command, calls] of rows) console.log(`  ${command.padEnd(12)} ${(calls / per).toFixed(1)}`);
}

const receiver = await WebhookReceiver.start();
const server = await startService({
	env: { REDIS_URL: url, REDIS_KEY_PREFIX: `measure:${randomBytes(4).toString('hex')}:`, WEBHOOK_URL: receiver.url },
});
await server.service.whenStarted();
// INFO itself is counted between the two readings; it is left out.
const leaveOut = ['info'];

const idleBefore = await commandCalls();
const idleSeconds = 5;
await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
print(
	`one idle process, per second (over ${idleSeconds} s)`,
	difference(idleBefore, await commandCalls(), leaveOut),
	idleSeconds,
);

const started = Date.now();
const before = await commandCalls();
const applicant = await createApplicant(server.url, server.api);
await request(applicant.socket, 'consent', { consentVersion: CONSENT_VERSION });
const agent = await availableAgent(server.url, server.api);
const inCall = await request(agent.socket, 'accept', { verificationId: applicant.verificationId });
for (const step of inCall.checklist) {
	await request(agent.socket, 'promptStep', { stepId: step.id });
	await notification(applicant.socket, 'stepPrompted', (payload) => payload.step.id === step.id);
	await request(agent.socket, 'markStep', { stepId: step.id, result: 'passed' });
}
await request(agent.socket, 'decide', { decision: 'approve' });
await eventually(() => (receiver.deliveries.length > 0 ? true : undefined));
applicant.socket.close();
agent.socket.close();
await eventually(async () =>
	(await server.service.verifications.getVerification(applicant.verificationId)).state ? true : undefined,
);
const after = await commandCalls();
const seconds = (Date.now() - started) / 1000;
print(
	`one verification (${inCall.checklist.length} steps, ${seconds.toFixed(1)} s, idle background included)`,
	difference(before, after, leaveOut),
);

await server.close();
await receiver.close();
admin.disconnect();
