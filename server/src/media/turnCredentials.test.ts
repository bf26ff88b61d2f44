import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { turnIceServers } from './turnCredentials.ts';

describe('turnIceServers()', () => {
	const turn = {
		urls: ['turn:turn.example.net:3478?transport=udp', 'turn:turn.example.net:3478?transport=tcp'],
		secret: 's'.repeat(40),
		credentialTtlMs: 3_600_000,
	};

	test('gives each participant its own time-limited credential a use-auth-secret TURN server accepts', () => {
		const now = Date.UTC(2026, 10, 22, 1, 0, 0);
		const [server] = turnIceServers(turn, 'participant-1', now);
		expect(server?.urls).toEqual(turn.urls);
		expect(server?.username).toBe(`${now / 1000 + 3600}:participant-1`);
		// What the TURN server computes from the username and its copy of the secret.
		expect(server?.credential).toBe(
			createHmac('sha1', turn.secret)
				.update(server?.username ?? '')
				.digest('base64'),
		);
		expect(turnIceServers(turn, 'participant-2', now)[0]?.credential).not.toBe(server?.credential);
	});

	test('gives nothing when no TURN server is configured', () => {
		expect(turnIceServers(undefined, 'participant-1')).toEqual([]);
	});
});
