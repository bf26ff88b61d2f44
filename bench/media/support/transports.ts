// The measured worker's transports: PlainTransports with the SRTP suite a browser negotiates, since
// a Node process has no WebRTC stack (the DTLS and ICE a WebRtcTransport adds happen once per
// transport; SRTP is per packet, and is the same code in both kinds of transport).
//
//   BENCH_SRTP_SUITE   AEAD_AES_256_GCM (default: what Chromium and mediasoup agree on),
//                      AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32,
//                      or none (SRTP off, to see what SRTP costs)
import type { types } from 'mediasoup';
import { LOOPBACK } from './rtp.ts';

const SUITES = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'none'] as const;
export type Suite = (typeof SUITES)[number];

export function srtpSuite(): Suite {
	const suite = process.env.BENCH_SRTP_SUITE ?? 'AEAD_AES_256_GCM';
	if (!(SUITES as readonly string[]).includes(suite)) throw new TypeError(`BENCH_SRTP_SUITE must be one of ${SUITES.join(', ')}`);
	return suite as Suite;
}

export function describeSuite(suite: Suite): string {
	return suite === 'none' ? 'SRTP off' : `SRTP ${suite}`;
}

/** A transport that receives from the feed: the feed's first packet tells it where the feed is. */
export function createReceivingTransport(router: types.Router, suite: Suite): Promise<types.PlainTransport> {
	return router.createPlainTransport({
		listenInfo: { protocol: 'udp', ip: LOOPBACK },
		rtcpMux: true,
		comedia: true,
		...(suite === 'none' ? {} : { enableSrtp: true, srtpCryptoSuite: suite }),
	});
}

/** A transport for consumers; the peer worker connects it to its side. */
export function createSendingTransport(router: types.Router, suite: Suite): Promise<types.PlainTransport> {
	return router.createPlainTransport({
		listenInfo: { protocol: 'udp', ip: LOOPBACK },
		rtcpMux: true,
		comedia: false,
		...(suite === 'none' ? {} : { enableSrtp: true, srtpCryptoSuite: suite }),
	});
}
