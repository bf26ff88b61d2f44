// The client address a request counts against, by the same rule the host API uses (TRUST_PROXY): the
// peer itself, unless the peer is a proxy the operator trusts, in which case the address it forwarded.
// Socket handshakes use it too, so that behind a load balancer clients do not share one budget and, with
// no proxy trusted, a made-up X-Forwarded-For changes nothing.
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type TrustProxy = false | number | readonly string[];

export function clientAddressOf(trust: TrustProxy): (request: IncomingMessage) => string {
	if (trust === false) return (request) => request.socket.remoteAddress ?? 'unknown';
	// A hop count trusts that many proxies nearest to us, whatever their addresses (as express does).
	const trusted = typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyAddr.compile([...trust]);
	return (request) => proxyAddr(request, trusted);
}
