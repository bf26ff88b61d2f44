// The worker pool's WebRTC server on a real worker: its UDP socket, which carries all of the
// worker's media, asks the kernel for buffers larger than the OS default, and gets them as far as
// net.core.rmem_max allows (read back from the kernel with iproute2's ss).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { ROUTER_MEDIA_CODECS } from './codecs.ts';
import { WEBRTC_SERVER_SOCKET_BUFFER_BYTES } from './socketBuffers.ts';
import { WorkerPool } from './WorkerPool.ts';

/** The receive buffer the kernel reports for the UDP socket on this port (Linux doubles the request). */
function receiveBufferOf(port: number): number {
	const ss = spawnSync('ss', ['-u', '-a', '-n', '-m', `sport = :${port}`], { encoding: 'utf8' });
	if (ss.error) throw new Error(`this test reads socket buffers with ss (Debian package iproute2): ${ss.error.message}`);
	const size = /skmem:\(r\d+,rb(\d+)/.exec(ss.stdout)?.[1];
	if (size === undefined) throw new Error(`no UDP socket on port ${port} in:\n${ss.stdout}`);
	return Number(size);
}

test('WorkerPool.create() with a WebRTC server gives its UDP socket the larger receive buffer, up to the kernel cap', async () => {
	const pool = await WorkerPool.create({
		workerCount: 1,
		rtcMinPort: 40000,
		rtcMaxPort: 49999,
		webRtcServer: { listenIp: '127.0.0.1', announcedAddress: undefined, basePort: undefined },
		logger: pino({ level: 'silent' }),
	});
	try {
		const router = await pool.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
		const server = pool.webRtcServerOf(router);
		const port = (await server?.dump())?.udpSockets[0]?.port;
		expect(port).toBeDefined();
		const rmemMax = Number(fs.readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
		expect(receiveBufferOf(port as number)).toBe(2 * Math.min(WEBRTC_SERVER_SOCKET_BUFFER_BYTES, rmemMax));
	} finally {
		pool.close();
	}
});
