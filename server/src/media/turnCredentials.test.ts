import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { turnIceServers, turnUrlProblem } from './turnCredentials.ts';

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

	test('hands out turns: URLs (TURN over TLS) with the same credential as the others, in the order configured', () => {
		const urls = [...turn.urls, 'turns:turn.example.net:443?transport=tcp'];
		const [server] = turnIceServers({ ...turn, urls }, 'participant-1');
		expect(server?.urls).toEqual(urls);
		expect(server?.credential).toBe(
			createHmac('sha1', turn.secret)
				.update(server?.username ?? '')
				.digest('base64'),
		);
	});

	test('gives nothing when no TURN server is configured', () => {
		expect(turnIceServers(undefined, 'participant-1')).toEqual([]);
	});
});

describe('turnUrlProblem()', () => {
	test('takes turn: over UDP or TCP and turns: over TLS, with or without a port and transport', () => {
		for (const url of [
			'turn:203.0.113.10:3478?transport=udp',
			'turn:turn.example.net:3478?transport=tcp',
			'turn:turn.example.net',
			'turns:turn.example.net:443?transport=tcp',
			'turns:turn.example.net',
			'turns:[2001:db8::1]:443',
		]) {
			expect(turnUrlProblem(url), url).toBeUndefined();
		}
	});

	test('refuses turns: over UDP, which no browser connects to, and what is not a TURN URL', () => {
		expect(turnUrlProblem('turns:turn.example.net:443?transport=udp')).toMatch(/TLS, which runs on TCP/);
		for (const url of [
			'stun:turn.example.net',
			'turn:',
			'turn:host:99999',
			'turn:host?transport=sctp',
			'https://turn.example.net/',
		]) {
			expect(turnUrlProblem(url), url).toBeDefined();
		}
	});
});
