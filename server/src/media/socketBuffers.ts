// How large the WebRTC server's UDP socket buffers are, and what the kernel lets a process have.
import fs from 'node:fs';

/**
 * Socket buffers of each worker's WebRTC server UDP socket. All of the worker's media arrives on that
 * one socket, in bursts (a video frame is several packets at once); with the OS default (about
 * 208 KiB, some 90 full-size packets) the kernel drops input whenever the worker is off the CPU for a
 * few milliseconds. Linux caps the request at net.core.rmem_max / wmem_max (see README).
 */
export const WEBRTC_SERVER_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** The largest socket buffers Linux grants without privileges; undefined where it cannot be read. */
export function kernelSocketBufferCap(): { rmemMax: number; wmemMax: number } | undefined {
	try {
		const read = (name: string) => Number(fs.readFileSync(`/proc/sys/net/core/${name}`, 'utf8').trim());
		return { rmemMax: read('rmem_max'), wmemMax: read('wmem_max') };
	} catch {
		return undefined;
	}
}
