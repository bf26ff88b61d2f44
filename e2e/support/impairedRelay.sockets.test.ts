// The relay on real loopback sockets: an echo server behind it, clients in front of it.
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { ImpairedRelay } from './impairedRelay.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A UDP server that answers each datagram with "echo:" and what it got, and counts what it got. */
async function udpEcho(): Promise<{ port: number; received: Buffer[] }> {
	const socket = dgram.createSocket('udp4');
	const received: Buffer[] = [];
	socket.on('message', (message, from) => {
		received.push(message);
		socket.send(Buffer.concat([Buffer.from('echo:'), message]), from.port, from.address);
	});
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	cleanups.push(() => {
		socket.close();
	});
	return { port: socket.address().port, received };
}

async function tcpEcho(): Promise<{ port: number; received: () => number }> {
	let bytes = 0;
	const server = net.createServer((socket) => {
		socket.on('error', () => {});
		socket.on('data', (chunk) => {
			bytes += chunk.length;
			socket.write(chunk);
		});
		socket.on('end', () => socket.end());
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	cleanups.push(() => {
		server.close();
	});
	return { port: (server.address() as net.AddressInfo).port, received: () => bytes };
}

async function relayTo(port: number, options: Partial<Parameters<typeof ImpairedRelay.start>[0]> = {}): Promise<ImpairedRelay> {
	const relay = await ImpairedRelay.start({ target: { host: '127.0.0.1', port }, ...options });
	cleanups.push(() => relay.close());
	return relay;
}

async function udpClient(): Promise<{ socket: dgram.Socket; answers: string[] }> {
	const socket = dgram.createSocket('udp4');
	const answers: string[] = [];
	socket.on('message', (message) => answers.push(message.toString()));
	socket.bind(0, '127.0.0.1');
	await once(socket, 'listening');
	cleanups.push(() => {
		socket.close();
	});
	return { socket, answers };
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('ImpairedRelay over real sockets', () => {
	test('forwards datagrams both ways, each client on its own upstream socket', async () => {
		const echo = await udpEcho();
		const relay = await relayTo(echo.port, { uplink: { delayMs: 20, jitterMs: 5 }, downlink: { delayMs: 20 } });
		const first = await udpClient();
		const second = await udpClient();
		for (let index = 0; index < 5; index += 1) first.socket.send(`one-${index}`, relay.port, relay.host);
		second.socket.send('two', relay.port, relay.host);
		await until(() => first.answers.length === 5 && second.answers.length === 1);
		// The link keeps order, jitter or not.
		expect(first.answers).toEqual(['echo:one-0', 'echo:one-1', 'echo:one-2', 'echo:one-3', 'echo:one-4']);
		expect(second.answers).toEqual(['echo:two']);
		expect(relay.stats).toMatchObject({ udpSessions: 2, uplink: { deliveredPackets: 6 }, downlink: { deliveredPackets: 6 } });
	});

	test('forwards a TCP stream both ways, intact, on the same port number', async () => {
		const echo = await tcpEcho();
		const relay = await relayTo(echo.port, { uplink: { rateKbps: 8000, delayMs: 5 } });
		const client = net.connect(relay.port, relay.host);
		const payload = Buffer.alloc(300_000, 0).map((_, index) => index % 251);
		let back = Buffer.alloc(0);
		client.on('data', (chunk) => {
			back = Buffer.concat([back, chunk]);
		});
		client.end(payload);
		await once(client, 'end');
		expect(back.equals(payload)).toBe(true);
	});

	test('loses every datagram at 100 % loss and none of the stream', async () => {
		const echo = await udpEcho();
		const relay = await relayTo(echo.port, { uplink: { lossPercent: 100 } });
		const client = await udpClient();
		for (let index = 0; index < 20; index += 1) client.socket.send(`lost-${index}`, relay.port, relay.host);
		await until(() => relay.stats.uplink.lost === 20);
		expect(echo.received).toHaveLength(0);

		const stream = await tcpEcho();
		const streamRelay = await relayTo(stream.port, { uplink: { lossPercent: 100 } });
		const socket = net.connect(streamRelay.port, streamRelay.host);
		socket.end('kept');
		const [answer] = (await once(socket, 'data')) as [Buffer];
		expect(answer.toString()).toBe('kept');
	});

	test('an outage drops datagrams and holds the stream; lifted, the held data arrives and datagrams pass again', async () => {
		const udp = await udpEcho();
		const udpRelay = await relayTo(udp.port);
		const client = await udpClient();
		client.socket.send('before', udpRelay.port, udpRelay.host);
		await until(() => client.answers.length === 1);
		udpRelay.outage(true);
		client.socket.send('during', udpRelay.port, udpRelay.host);
		await until(() => udpRelay.stats.uplink.outageDropped === 1);
		udpRelay.outage(false);
		client.socket.send('after', udpRelay.port, udpRelay.host);
		await until(() => client.answers.length === 2);
		expect(client.answers).toEqual(['echo:before', 'echo:after']);
		expect(udp.received.map(String)).toEqual(['before', 'after']);

		const tcp = await tcpEcho();
		const tcpRelay = await relayTo(tcp.port);
		const socket = net.connect(tcpRelay.port, tcpRelay.host);
		await once(socket, 'connect');
		tcpRelay.outage(true);
		socket.write('held through the outage');
		await until(() => tcpRelay.held === 1);
		expect(tcp.received()).toBe(0);
		tcpRelay.outage(false);
		const [answer] = (await once(socket, 'data')) as [Buffer];
		expect(answer.toString()).toBe('held through the outage');
		expect(tcpRelay.held).toBe(0);
		socket.destroy();
	});

	test('conditions changed while traffic flows apply to the next packet', async () => {
		const echo = await udpEcho();
		const relay = await relayTo(echo.port);
		const client = await udpClient();
		client.socket.send('a', relay.port, relay.host);
		await until(() => client.answers.length === 1);
		relay.set({ downlink: { lossPercent: 100 } });
		client.socket.send('b', relay.port, relay.host);
		await until(() => relay.stats.downlink.lost === 1);
		expect(echo.received.map(String)).toEqual(['a', 'b']);
		expect(client.answers).toEqual(['echo:a']);
	});
});
