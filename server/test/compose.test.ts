// The deployment files, checked without a Docker engine: docker-compose.yml validates with
// docker-compose (Debian's v1.29, installed by the test preflight), and its resolved form has what the
// operator notes ask for: Redis with AOF on a volume, both vidverify processes on that one Redis in
// Redis mode, published ports that do not overlap (each process's WebRTC ports covering all of its
// media workers, over UDP and TCP), and coturn with its configuration file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What `docker compose config` needs from the environment; example values, never real secrets. */
const ENVIRONMENT = {
	MEDIA_ANNOUNCED_ADDRESS: '203.0.113.10',
	API_KEYS: 'example-api-key-0123456789',
	JWT_SECRET: 'example-jwt-secret-0123456789abcdef0123',
	DOCUMENT_HASH_SECRET: 'example-document-hash-secret-0123456789',
	OUTCOME_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\\nexample\\n-----END PRIVATE KEY-----',
	WEBHOOK_URL: 'https://host.example/hooks/vidverify',
	WEBHOOK_SECRET: 'example-webhook-secret-0123456789abcdef',
	TURN_SECRET: 'example-turn-secret-0123456789',
};

type Port = { target: number; published: string | number; protocol?: string };
type ComposeService = {
	command?: string[];
	environment?: Record<string, string>;
	ports?: Port[];
	/** docker-compose v1 resolves volumes to the short form `source:target:mode`. */
	volumes?: string[];
	depends_on?: Record<string, { condition: string }>;
};
type Compose = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

function compose(args: string[], env: Record<string, string> = ENVIRONMENT) {
	const result = spawnSync('docker-compose', ['-f', path.join(root, 'docker-compose.yml'), ...args], {
		cwd: root,
		env: { PATH: process.env.PATH ?? '', ...env },
		encoding: 'utf8',
	});
	if (result.error) {
		throw new Error(`docker-compose could not run (${result.error.message}); npm test installs Debian's docker-compose package`);
	}
	return result;
}

/** The resolved configuration, read with the YAML parser docker-compose itself depends on. */
function resolved(): Compose {
	const config = compose(['config']);
	expect(config.status, config.stderr).toBe(0);
	const json = spawnSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
		input: config.stdout,
		encoding: 'utf8',
	});
	expect(json.status, json.stderr).toBe(0);
	return JSON.parse(json.stdout) as Compose;
}

/** A volume of a service by where it is mounted; a named volume's source has no slash. */
function volumeAt(service: ComposeService | undefined, target: string) {
	for (const volume of service?.volumes ?? []) {
		const [source = '', mountedAt, mode = 'rw'] = volume.split(':');
		if (mountedAt === target) return { source, named: !source.includes('/'), readOnly: mode === 'ro' };
	}
	return undefined;
}

/** Every published host port of a service as `protocol/port`, ranges expanded. */
function publishedPorts(service: ComposeService): string[] {
	return (service.ports ?? []).flatMap((port) => {
		const [first, last = first] = String(port.published).split('-').map(Number) as [number, number?];
		const ports: string[] = [];
		for (let value = first; value <= last; value += 1) ports.push(`${port.protocol ?? 'tcp'}/${value}`);
		return ports;
	});
}

describe('docker-compose.yml', () => {
	it('validates with docker-compose config -q, and names a missing secret instead of starting without it', () => {
		const valid = compose(['config', '-q']);
		expect(valid.status, valid.stderr).toBe(0);
		const { JWT_SECRET: _left, ...withoutJwtSecret } = ENVIRONMENT;
		const missing = compose(['config', '-q'], withoutJwtSecret);
		expect(missing.status).not.toBe(0);
		expect(missing.stderr).toContain('JWT_SECRET');
	});

	it('runs Redis with AOF (fsync every second) on a named volume, and both processes in Redis mode on that Redis', () => {
		const { services, volumes } = resolved();
		const redis = services.redis;
		expect(redis?.command?.join(' ')).toMatch(/--appendonly yes/);
		expect(redis?.command?.join(' ')).toMatch(/--appendfsync (everysec|always)/);
		expect(redis?.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
		const data = volumeAt(redis, '/data');
		expect(data?.named).toBe(true);
		expect(Object.keys(volumes ?? {})).toContain(data?.source);

		const processes = Object.entries(services).filter(([name]) => name.startsWith('vidverify'));
		expect(processes).toHaveLength(2);
		const redisUrls = new Set(processes.map(([, service]) => service.environment?.REDIS_URL));
		expect([...redisUrls]).toEqual(['redis://redis:6379']);
		for (const [, service] of processes) {
			expect(service.depends_on?.redis?.condition).toBe('service_healthy');
			expect(service.environment?.NODE_ENV).toBe('production');
			expect(service.environment?.PUBLIC_URL).toBeTruthy();
		}
		expect(new Set(processes.map(([, service]) => service.environment?.PUBLIC_URL)).size).toBe(2);
	});

	it('publishes each process its own WebRTC ports for all of its media workers over UDP and TCP, with no port published twice', () => {
		const { services } = resolved();
		const all = Object.values(services).flatMap(publishedPorts);
		expect(new Set(all).size).toBe(all.length);
		for (const [name, service] of Object.entries(services).filter(([entry]) => entry.startsWith('vidverify'))) {
			const first = Number(service.environment?.MEDIA_PORT);
			const workers = Number(service.environment?.MEDIA_WORKERS);
			expect(Number.isInteger(first) && workers >= 1, name).toBe(true);
			const published = publishedPorts(service);
			for (let port = first; port < first + workers; port += 1) {
				expect(published, `${name} udp ${port}`).toContain(`udp/${port}`);
				expect(published, `${name} tcp ${port}`).toContain(`tcp/${port}`);
			}
			// The media ports are published to themselves: the address announced to browsers is the host's.
			for (const port of service.ports ?? []) {
				if (port.protocol === 'udp') expect(String(port.published)).toBe(String(port.target));
			}
		}
	});

	it('runs coturn with its configuration file, whose relay range is the one published', () => {
		const { services } = resolved();
		const turn = services.turn;
		const config = volumeAt(turn, '/etc/coturn/turnserver.conf');
		expect(config?.readOnly).toBe(true);
		const file = fs.readFileSync(path.resolve(root, config?.source ?? ''), 'utf8');
		const min = Number(/^min-port=(\d+)/m.exec(file)?.[1]);
		const max = Number(/^max-port=(\d+)/m.exec(file)?.[1]);
		const published = publishedPorts(turn ?? {});
		expect(published).toContain(`udp/${min}`);
		expect(published).toContain(`udp/${max}`);
		expect(published).toContain('udp/3478');
		expect(turn?.command?.join(' ')).toContain('--static-auth-secret=');
	});

	it('builds the server image from a Dockerfile that builds the client and the server, without copying node_modules in', () => {
		const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
		expect(dockerfile).toMatch(/^FROM node:24[^\s]* AS build$/m);
		expect(dockerfile).toMatch(/^FROM node:24[^\s]* AS runtime$/m);
		expect(dockerfile).toContain('npm run build');
		expect(dockerfile).toContain('node scripts/setup.mjs');
		const ignored = fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
		expect(ignored).toContain('**/node_modules');
	});
});
