// A webhook receiver for the journeys, run by globalSetup: it checks each delivery's signature and
// appends it to a JSON-lines file, which the tests (in other processes) read.
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
