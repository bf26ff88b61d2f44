// A webhook receiver for the journeys, run by globalSetup: it checks each delivery's signature and
// appends it to a JSON-lines file, which the tests (in other processes) read.
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedWebhook = {
	eventId: string;
	type: string;
	verificationId: string;
	signatureValid: boolean;
	body: Record<string, unknown>;
};

export async function startWebhookReceiver(
	file: string,
	verify: (signature: string, rawBody: string) => boolean,
): Promise<{ url: string; close: () => Promise<void> }> {
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const body = JSON.parse(rawBody) as Record<string, unknown>;
			const entry: ReceivedWebhook = {
				eventId: String(request.headers['vidverify-event-id'] ?? ''),
				type: String(body.type ?? ''),
				verificationId: String(body.verificationId ?? ''),
				signatureValid: verify(String(request.headers['vidverify-signature'] ?? ''), rawBody),
				body,
			};
			fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
			response.writeHead(204).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { url: `http://127.0.0.1:${port}/webhooks`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function receivedWebhooks(file: string): ReceivedWebhook[] {
	if (!fs.existsSync(file)) return [];
	return fs
		.readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.length > 0)
		.map((line) => JSON.parse(line) as ReceivedWebhook);
}

/**
 * What a host platform does with the documented header, written here independently of the server's
 * code: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, within five minutes.
 */
export function hostChecksSignature(secret: string, header: string, rawBody: string): boolean {
	const fields = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
	const timestamp = Number(fields.get('t'));
	const given = fields.get('v1') ?? '';
	if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
	const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
	const provided = Buffer.from(given, 'hex');
	return provided.length === expected.length && timingSafeEqual(provided, expected);
}
