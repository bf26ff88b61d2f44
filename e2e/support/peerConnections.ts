// What a page's WebRTC connections carry, read from the browser's own stats: every RTCPeerConnection
// the page makes is noted (an init script, before the page's own scripts), so a journey can tell
// whether a page is connected (ICE and DTLS up) and how many RTP packets it has sent and received.
import type { BrowserContext, Page } from '@playwright/test';

/** Notes every RTCPeerConnection the context's pages make from their next navigation on. */
export async function notePeerConnections(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		const made: RTCPeerConnection[] = [];
		Object.defineProperty(window, '__peerConnections', { value: made });
		const Original = window.RTCPeerConnection;
		window.RTCPeerConnection = class extends Original {
			constructor(configuration?: RTCConfiguration) {
				super(configuration);
				made.push(this);
			}
		};
	});
}

export type PeerTraffic = {
	/** Connections made so far, and how many of them have DTLS up. */
	connections: number;
	connected: number;
	packetsSent: number;
	packetsReceived: number;
	framesDecoded: number;
};

/** The sums over every connection the page made (closed ones count as made, not connected). */
export function peerTraffic(page: Page): Promise<PeerTraffic> {
	return page.evaluate(async () => {
		const made = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
		const traffic = { connections: made.length, connected: 0, packetsSent: 0, packetsReceived: 0, framesDecoded: 0 };
		for (const connection of made) {
			if (connection.connectionState === 'closed') continue;
			for (const report of (await connection.getStats()).values()) {
				if (report.type === 'transport' && report.dtlsState === 'connected') traffic.connected += 1;
				if (report.type === 'outbound-rtp') traffic.packetsSent += report.packetsSent ?? 0;
				if (report.type === 'inbound-rtp') {
					traffic.packetsReceived += report.packetsReceived ?? 0;
					traffic.framesDecoded += report.framesDecoded ?? 0;
				}
			}
		}
		return traffic;
	});
}
