// The deployment files, checked without a Docker engine: docker-compose.yml validates with
// docker-compose (Debian's v1.29, installed by the test preflight), and its resolved form has what the
// operator notes ask for: Redis with AOF on a volume, both vidverify processes on that one Redis in
// Redis mode, published ports that do not overlap (each process's WebRTC ports covering all of its
// media workers, over UDP and TCP), Redis behind a password the operator must give, and coturn with
// its configuration file, which refuses to relay to internal addresses. The optional profile
// `metrics` adds Prometheus, scraping both processes' metrics port, and Grafana with the dashboard.
// (No Docker engine runs here: the images are not pulled and the services not started.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
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
	TURN_TLS_HOST: 'turn.example.net',
	TURN_TLS_CERTIFICATE: '/etc/vidverify/tls/turn.example.net.crt',
	TURN_TLS_KEY: '/etc/vidverify/tls/turn.example.net.key',
	REDIS_PASSWORD: 'example-redis-password-0123456789',
};

type Port = { target: number; published: string | number; protocol?: string };
type ComposeService = {
	image?: string;
	profiles?: string[];
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
function resolved(env: Record<string, string> = ENVIRONMENT): Compose {
	const config = compose(['config'], env);
	expect(config.status, config.stderr).toBe(0);
	return parseYaml(config.stdout) as Compose;
}

/** YAML read with the parser docker-compose itself depends on (PyYAML). */
function parseYaml(text: string): unknown {
	const json = spawnSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
		input: text,
		encoding: 'utf8',
	});
	expect(json.status, json.stderr).toBe(0);
	return JSON.parse(json.stdout);
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

/**
 * An address as a number, with its family. IPv4-mapped IPv6 addresses stay IPv6: coturn compares them
 * with IPv6 ranges only, which is why the configuration must list them itself.
 */
function addressValue(address: string): { family: 4 | 6; value: bigint } {
	if (net.isIPv4(address)) {
		return { family: 4, value: address.split('.').reduce((value, part) => (value << 8n) | BigInt(part), 0n) };
	}
	if (!net.isIPv6(address)) throw new Error(`not an IP address: ${address}`);
	let text = address;
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
	if (dotted) {
		const v4 = addressValue(dotted).value;
		text = text.replace(dotted, `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`);
	}
	const [head = '', tail] = text.split('::');
	const headGroups = head ? head.split(':') : [];
	const tailGroups = tail ? tail.split(':') : [];
	const groups =
		tail === undefined
			? headGroups
			: [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
	return { family: 6, value: groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n) };
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
		expect([...redisUrls]).toEqual([`redis://:${ENVIRONMENT.REDIS_PASSWORD}@redis:6379`]);
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

	it('runs Redis with a password from REDIS_PASSWORD, which has no default in the file and is required', () => {
		const { services } = resolved();
		const command = services.redis?.command ?? [];
		expect(command[command.indexOf('--requirepass') + 1]).toBe(ENVIRONMENT.REDIS_PASSWORD);
		// The health check's redis-cli reads the password from the environment.
		expect(services.redis?.environment?.REDISCLI_AUTH).toBe(ENVIRONMENT.REDIS_PASSWORD);

		const file = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
		const uses = [...file.matchAll(/\$\{REDIS_PASSWORD([^}]*)\}/g)].map((match) => match[1] ?? '');
		expect(uses.length).toBeGreaterThanOrEqual(2);
		for (const use of uses) expect(use.startsWith(':?'), `\${REDIS_PASSWORD${use}}`).toBe(true);

		const { REDIS_PASSWORD: _left, ...withoutPassword } = ENVIRONMENT;
		const missing = compose(['config', '-q'], withoutPassword);
		expect(missing.status).not.toBe(0);
		expect(missing.stderr).toContain('a password for Redis');
	});

	it("coturn's configuration denies relaying to private, carrier-grade NAT, benchmark and IPv6 local peers, also as IPv4-mapped addresses", () => {
		const file = fs.readFileSync(path.join(root, 'deploy', 'turnserver.conf'), 'utf8');
		const denied = [...file.matchAll(/^denied-peer-ip=(\S+)$/gm)].map((match) => {
			const [first = '', last = first] = (match[1] ?? '').split('-');
			return { first: addressValue(first), last: addressValue(last) };
		});
		const isDenied = (address: string) => {
			const value = addressValue(address);
			return denied.some(
				(range) => range.first.family === value.family && range.first.value <= value.value && value.value <= range.last.value,
			);
		};
		const internal = [
			'10.1.2.3',
			'127.0.0.1',
			'169.254.1.1',
			'172.16.0.1',
			'172.31.255.254',
			'192.168.1.1',
			'0.0.0.0',
			'100.64.0.1',
			'100.127.255.254',
			'198.18.0.1',
			'198.19.255.254',
			'::',
			'::1',
			'fc00::1',
			'fd12:3456::1',
			'fe80::1',
			'febf::1',
			'::ffff:10.1.2.3',
			'::ffff:127.0.0.1',
			'::ffff:169.254.1.1',
			'::ffff:172.16.0.1',
			'::ffff:192.168.1.1',
			'::ffff:100.64.0.1',
			'::ffff:198.18.0.1',
		];
		for (const address of internal) expect(isDenied(address), address).toBe(true);
		for (const address of ['8.8.8.8', '100.128.0.1', '198.20.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', 'fec0::1']) {
			expect(isDenied(address), address).toBe(false);
		}
	});

	const turnserver = spawnSync('turnserver', ['--help'], { encoding: 'utf8' });
	it.skipIf(turnserver.error !== undefined)(
		'coturn itself reads every denied range of the file, none refused as malformed',
		() => {
			const file = path.join(root, 'deploy', 'turnserver.conf');
			const lines = fs.readFileSync(file, 'utf8').match(/^denied-peer-ip=\S+$/gm) ?? [];
			// coturn has no check-only mode: it prints what it read at start, then is stopped.
			const run = spawnSync(
				'turnserver',
				['-c', file, '--log-file=stdout', '--listening-port=0', '--static-auth-secret=example-turn-secret-0123456789'],
				{ encoding: 'utf8', timeout: 3000 },
			);
			const output = `${run.stdout}${run.stderr}`;
			expect(output).not.toMatch(/Wrong address/i);
			for (const line of lines) expect(output, line).toContain(`Black listing: ${line.slice('denied-peer-ip='.length)}`);
		},
	);

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

	it('runs coturn over TLS on 443 with the certificate the operator mounts, and hands browsers a turns: URL for it', () => {
		const file = fs.readFileSync(path.join(root, 'deploy', 'turnserver.conf'), 'utf8');
		expect(file).not.toMatch(/^no-tls$/m);
		const tlsPort = Number(/^tls-listening-port=(\d+)$/m.exec(file)?.[1]);
		const certificate = /^cert=(\S+)$/m.exec(file)?.[1];
		const key = /^pkey=(\S+)$/m.exec(file)?.[1];
		expect(file).toMatch(/^no-tlsv1$/m);
		expect(file).toMatch(/^no-tlsv1_1$/m);

		const { services } = resolved();
		const turn = services.turn;
		expect(volumeAt(turn, certificate ?? '')).toEqual({ source: ENVIRONMENT.TURN_TLS_CERTIFICATE, named: false, readOnly: true });
		expect(volumeAt(turn, key ?? '')).toEqual({ source: ENVIRONMENT.TURN_TLS_KEY, named: false, readOnly: true });
		expect(turn?.ports).toContainEqual(
			expect.objectContaining({ target: tlsPort, published: expect.anything(), protocol: 'tcp' }),
		);
		expect(publishedPorts(turn ?? {})).toContain('tcp/443');
		for (const [name, service] of Object.entries(services).filter(([entry]) => entry.startsWith('vidverify'))) {
			expect(service.environment?.TURN_URLS?.split(','), name).toContain('turns:turn.example.net:443?transport=tcp');
		}

		// Where 443 is taken on that address, another port goes in both places at once.
		const elsewhere = resolved({ ...ENVIRONMENT, TURN_TLS_PORT: '8443' });
		expect(publishedPorts(elsewhere.services.turn ?? {})).toContain('tcp/8443');
		expect(elsewhere.services['vidverify-1']?.environment?.TURN_URLS).toContain('turns:turn.example.net:8443?transport=tcp');

		for (const name of ['TURN_TLS_HOST', 'TURN_TLS_CERTIFICATE', 'TURN_TLS_KEY'] as const) {
			const { [name]: _left, ...without } = ENVIRONMENT;
			const missing = compose(['config', '-q'], without);
			expect(missing.status, name).not.toBe(0);
			expect(missing.stderr).toContain(name === 'TURN_TLS_HOST' ? 'the host name on the TURN certificate' : 'TURN certificate');
		}
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

describe('docker-compose.yml, profile metrics', () => {
	it('validates with the profile on, and runs Prometheus and Grafana from pinned official images only with it', () => {
		const valid = compose(['--profile', 'metrics', 'config', '-q']);
		expect(valid.status, valid.stderr).toBe(0);
		const { services } = resolved();
		expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
		expect(services.grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
		for (const name of ['prometheus', 'grafana']) expect(services[name]?.profiles, name).toEqual(['metrics']);
		for (const [name, service] of Object.entries(services)) {
			if (name !== 'prometheus' && name !== 'grafana') expect(service.profiles, name).toBeUndefined();
		}
		// Published on the host's loopback only: neither has anything to show the internet.
		const file = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
		expect(file).toContain('"127.0.0.1:9090:9090"');
		expect(file).toContain('"127.0.0.1:3300:3000"');
	});

	it("scrapes both processes' /metrics on their metrics port, which is not published on the host", () => {
		const { services } = resolved();
		const prometheus = services.prometheus;
		const mounted = volumeAt(prometheus, '/etc/prometheus/prometheus.yml');
		expect(mounted?.readOnly).toBe(true);
		const config = parseYaml(fs.readFileSync(path.resolve(root, mounted?.source ?? ''), 'utf8')) as {
			scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
		};
		const targets = config.scrape_configs.flatMap((job) => {
			expect(job.metrics_path ?? '/metrics').toBe('/metrics');
			return job.static_configs.flatMap((entry) => entry.targets);
		});
		const processes = Object.entries(services).filter(([name]) => name.startsWith('vidverify'));
		expect(processes).toHaveLength(2);
		for (const [name, service] of processes) {
			const port = service.environment?.METRICS_PORT;
			expect(port, name).toMatch(/^\d+$/);
			expect(targets).toContain(`${name}:${port}`);
			expect(publishedPorts(service)).not.toContain(`tcp/${port}`);
			expect(service.environment?.METRICS_TOKEN, name).toBeUndefined();
		}
	});

	it('hands both processes the operator key when one is set, and an empty one (no operator view) when not', () => {
		const key = 'example-operator-key-0123456789abcdef';
		for (const [env, expected] of [
			[ENVIRONMENT, ''],
			[{ ...ENVIRONMENT, OPERATOR_KEY: key }, key],
		] as const) {
			const processes = Object.entries(resolved(env).services).filter(([name]) => name.startsWith('vidverify'));
			expect(processes).toHaveLength(2);
			for (const [name, service] of processes) expect(service.environment?.OPERATOR_KEY, name).toBe(expected);
		}
	});

	it('provisions Grafana with the Prometheus data source and the dashboard, whose panels all use that source', () => {
		const { services } = resolved();
		const grafana = services.grafana;
		const provisioning = volumeAt(grafana, '/etc/grafana/provisioning');
		const dashboards = volumeAt(grafana, '/etc/grafana/dashboards');
		expect(provisioning?.readOnly && dashboards?.readOnly).toBe(true);
		const provisioningDir = path.resolve(root, provisioning?.source ?? '');
		const source = parseYaml(fs.readFileSync(path.join(provisioningDir, 'datasources', 'prometheus.yml'), 'utf8')) as {
			datasources: { uid: string; type: string; url: string }[];
		};
		expect(source.datasources).toEqual([
			expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
		]);
		const provider = parseYaml(fs.readFileSync(path.join(provisioningDir, 'dashboards', 'vidverify.yml'), 'utf8')) as {
			providers: { options: { path: string } }[];
		};
		expect(provider.providers.map((entry) => entry.options.path)).toEqual(['/etc/grafana/dashboards']);

		const dashboard = JSON.parse(fs.readFileSync(path.resolve(root, dashboards?.source ?? '', 'vidverify.json'), 'utf8')) as {
			panels: { type: string; datasource?: { uid: string }; targets?: { expr: string; datasource: { uid: string } }[] }[];
		};
		const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
		expect(graphs.length).toBeGreaterThan(10);
		for (const panel of graphs) {
			expect(panel.datasource?.uid).toBe('prometheus');
			expect(panel.targets?.length).toBeGreaterThan(0);
			for (const target of panel.targets ?? []) {
				expect(target.datasource.uid).toBe('prometheus');
				expect(target.expr).toMatch(/vidverify_/);
			}
		}
		expect(grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe('/etc/grafana/dashboards/vidverify.json');
	});
});
