import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressOf } from './clientAddress.ts';

function requestFrom(peer: string, forwardedFor?: string): IncomingMessage {
	return {
		socket: { remoteAddress: peer },
		connection: { remoteAddress: peer },
		headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
	} as unknown as IncomingMessage;
}

describe('clientAddressOf()', () => {
	it('ignores X-Forwarded-For when no proxy is trusted', () => {
		expect(clientAddressOf(false)(requestFrom('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
	});

	it('takes the forwarded address from a trusted proxy, and not from an untrusted peer', () => {
		const address = clientAddressOf(['10.0.0.0/8']);
		expect(address(requestFrom('10.1.2.3', '198.51.100.1'))).toBe('198.51.100.1');
		expect(address(requestFrom('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
	});

	it('with a hop count, takes the address that many proxies back', () => {
		expect(clientAddressOf(1)(requestFrom('10.1.2.3', '198.51.100.7, 198.51.100.1'))).toBe('198.51.100.1');
		expect(clientAddressOf(2)(requestFrom('10.1.2.3', '198.51.100.7, 198.51.100.1'))).toBe('198.51.100.7');
	});
});
