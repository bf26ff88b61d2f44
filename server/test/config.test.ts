// Configuration at start-up: production refuses to start without its secrets and names them,
// development generates its secrets once and keeps them, and Redis mode is read with its key prefix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { temporaryDataDir, testEnvironment } from './harness.ts';

const serverBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'vidverify.mjs');

describe('loadConfig', () => {
	it('refuses to start in production without secrets and names every missing variable', () => {
		const dataDir = temporaryDataDir();
		expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(ConfigError);
		try {
			loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir });
		} catch (error) {
			for (const name of ['API_KEYS', 'JWT_SECRET', 'DOCUMENT_HASH_SECRET', 'OUTCOME_SIGNING_KEY', 'WEBHOOK_SECRET']) {
				expect((error as Error).message).toContain(name);
			}
		}
		expect(fs.existsSync(path.join(dataDir, 'dev-secrets.json'))).toBe(false);
	});

	it('starts in production when every secret is given', () => {
		const config = loadConfig({ ...testEnvironment(temporaryDataDir()), NODE_ENV: 'production' });
		expect(config.developmentSecrets).toBeUndefined();
	});

	it('names the variable that holds a bad value', () => {
		expect(() => loadConfig(testEnvironment(temporaryDataDir(), { JWT_SECRET: 'short' }))).toThrow(/JWT_SECRET/);
		expect(() => loadConfig(testEnvironment(temporaryDataDir(), { OUTCOME_SIGNING_KEY: 'not a key' }))).toThrow(
			/OUTCOME_SIGNING_KEY/,
		);
		expect(() => loadConfig(testEnvironment(temporaryDataDir(), { GRACE_PERIOD_MS: '-5' }))).toThrow(/GRACE_PERIOD_MS/);
		expect(() => loadConfig(testEnvironment(temporaryDataDir(), { WEBHOOK_URL: 'ftp://host/' }))).toThrow(/WEBHOOK_URL/);
	});

	it('reads TURN_URLS with turns: URLs (TURN over TLS) and names one that cannot work', () => {
		const secret = { TURN_SECRET: 'example-turn-shared-secret-0123456789abcdef' };
		const config = loadConfig(
			testEnvironment(temporaryDataDir(), {
				...secret,
				TURN_URLS: 'turn:turn.example.net:3478?transport=udp,turns:turn.example.net:443?transport=tcp',
			}),
		);
		expect(config.media.turn?.urls).toEqual([
			'turn:turn.example.net:3478?transport=udp',
			'turns:turn.example.net:443?transport=tcp',
		]);
		expect(() =>
			loadConfig(testEnvironment(temporaryDataDir(), { ...secret, TURN_URLS: 'turns:turn.example.net:443?transport=udp' })),
		).toThrow(/TURN_URLS/);
	});

	it('generates development secrets once, readable only by the owner, and reuses them after a restart', () => {
		const dataDir = temporaryDataDir();
		const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(first.developmentSecrets?.created).toBe(true);
		const file = path.join(dataDir, 'dev-secrets.json');
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(second.developmentSecrets?.created).toBe(false);
		expect(second.secrets).toEqual(first.secrets);
		expect(second.webhook.secret).toBe(first.webhook.secret);
	});

	it('makes an existing development secrets file readable only by the owner again, and creates its folder 0700', () => {
		const parent = temporaryDataDir();
		const dataDir = path.join(parent, 'data');
		loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
		const file = path.join(dataDir, 'dev-secrets.json');
		fs.chmodSync(file, 0o644);
		loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
	});

	it('reads the retention of personal data per purpose and of document hashes, with defaults, and names a bad entry', () => {
		const day = 24 * 60 * 60_000;
		expect(loadConfig(testEnvironment(temporaryDataDir())).retention).toEqual({ personalDataMs: {}, documentHashMs: 365 * day });
		const set = loadConfig({
			...testEnvironment(temporaryDataDir()),
			PERSONAL_DATA_RETENTION_DAYS: 'c2c_video=365, identity_reset=0.5',
			DOCUMENT_HASH_RETENTION_DAYS: '30',
		});
		expect(set.retention).toEqual({
			personalDataMs: { c2c_video: 365 * day, identity_reset: day / 2 },
			documentHashMs: 30 * day,
		});
		for (const bad of ['c2c_video', 'c2c_video=0', 'nobody=30', 'c2c_video=30=1']) {
			expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), PERSONAL_DATA_RETENTION_DAYS: bad })).toThrow(
				/PERSONAL_DATA_RETENTION_DAYS/,
			);
		}
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), DOCUMENT_HASH_RETENTION_DAYS: '0' })).toThrow(
			/DOCUMENT_HASH_RETENTION_DAYS/,
		);
	});

	it('reads the connection check limits, with defaults, and names a bad one', () => {
		const defaults = loadConfig(testEnvironment(temporaryDataDir())).media.selfCheckLimits;
		expect(defaults).toEqual({
			maxChecks: 8,
			maxChecksPerAddress: 2,
			maxConnectionsPerAddress: 4,
			requestRatePerSecond: 10,
			requestBurst: 20,
			idleMs: 15_000,
		});
		const set = loadConfig({ ...testEnvironment(temporaryDataDir()), SELF_CHECK_MAX_CHECKS: '3', SELF_CHECK_IDLE_MS: '5000' });
		expect(set.media.selfCheckLimits).toMatchObject({ maxChecks: 3, idleMs: 5000 });
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), SELF_CHECK_MAX_CHECKS_PER_ADDRESS: '0' })).toThrow(
			/SELF_CHECK_MAX_CHECKS_PER_ADDRESS/,
		);
	});

	it('serves no metrics unless METRICS_PORT or METRICS_TOKEN is set, and refuses a short token', () => {
		expect(loadConfig(testEnvironment(temporaryDataDir())).metrics).toBeUndefined();
		expect(loadConfig({ ...testEnvironment(temporaryDataDir()), METRICS_PORT: '9464' }).metrics).toEqual({
			port: 9464,
			host: '127.0.0.1',
			token: undefined,
		});
		const token = 'metrics-token-0123456789abcdef0123456789';
		expect(loadConfig({ ...testEnvironment(temporaryDataDir()), METRICS_TOKEN: token, METRICS_HOST: '0.0.0.0' }).metrics).toEqual(
			{
				port: undefined,
				host: '0.0.0.0',
				token,
			},
		);
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
	});

	it('takes an empty OPERATOR_KEY or METRICS_TOKEN (as compose passes an unset one) as none', () => {
		const config = loadConfig({
			...testEnvironment(temporaryDataDir()),
			NODE_ENV: 'production',
			OPERATOR_KEY: '',
			METRICS_TOKEN: '',
		});
		expect(config.operatorKey).toBeUndefined();
		expect(config.metrics).toBeUndefined();
		const key = 'operator-key-0123456789abcdef0123456789';
		expect(loadConfig({ ...testEnvironment(temporaryDataDir()), OPERATOR_KEY: key }).operatorKey).toBe(key);
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), OPERATOR_KEY: 'short' })).toThrow(/OPERATOR_KEY/);
	});

	it('prefers a given secret over the generated one', () => {
		const config = loadConfig({
			NODE_ENV: 'development',
			DATA_DIR: temporaryDataDir(),
			API_KEYS: 'given-key-0123456789, second-key-0123456789',
		});
		expect(config.secrets.apiKeys).toEqual([{ key: 'given-key-0123456789' }, { key: 'second-key-0123456789' }]);
	});

	it('reads a key with a rate of its own (KEY:RATE/BURST) and the default rate of keys, and names a malformed entry', () => {
		const config = loadConfig({
			...testEnvironment(temporaryDataDir()),
			API_KEYS: 'given-key-0123456789,large-host-key-0123456789:500/2000',
			API_KEY_RATE_PER_SECOND: '100',
		});
		expect(config.secrets.apiKeys).toEqual([
			{ key: 'given-key-0123456789' },
			{ key: 'large-host-key-0123456789', rate: { ratePerSecond: 500, burst: 2000 } },
		]);
		expect(config.limits).toMatchObject({ apiKeyRatePerSecond: 100, apiKeyRateBurst: 1000 });
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), API_KEYS: 'given-key-0123456789:fast' })).toThrow(
			/API_KEYS.*KEY:RATE\/BURST/,
		);
		expect(() => loadConfig({ ...testEnvironment(temporaryDataDir()), API_KEYS: 'short:5/10' })).toThrow(/at least 16/);
	});
});

describe('the server process', () => {
	it('exits with status 2 and names the variables when production secrets are missing', () => {
		const result = spawnSync(process.execPath, [serverBin], {
			env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: temporaryDataDir() },
			encoding: 'utf8',
		});
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('JWT_SECRET: required when NODE_ENV=production');
	});

	it('prints the development secrets once, with a warning that it is not for production', async () => {
		const dataDir = temporaryDataDir();
		// A port already taken makes the process stop right after the configuration is read and printed.
		const taken = net.createServer();
		await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
		const { port } = taken.address() as net.AddressInfo;
		const run = () =>
			spawnSync(process.execPath, [serverBin], {
				env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), MEDIA_WORKERS: '1', LOG_LEVEL: 'silent' },
				encoding: 'utf8',
			});
		try {
			const first = run();
			expect(first.stdout).toContain('development mode — not for production');
			expect(first.stdout).toContain('Host API key:');
			const second = run();
			expect(second.stdout).toContain('development mode — not for production');
			expect(second.stdout).not.toContain('Host API key:');
		} finally {
			taken.close();
		}
	});

	it('reads REDIS_URL and REDIS_KEY_PREFIX, and names a prefix it cannot use', () => {
		const dataDir = temporaryDataDir();
		const config = loadConfig(testEnvironment(dataDir, { REDIS_URL: 'redis://127.0.0.1:6379/2' }));
		expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379/2', keyPrefix: 'vv:', processTtlMs: 10_000 });
		expect(loadConfig(testEnvironment(dataDir)).redis).toBeUndefined();
		expect(() => loadConfig(testEnvironment(dataDir, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'a b' }))).toThrow(
			/REDIS_KEY_PREFIX: must be 1-64 of letters/,
		);
		expect(() => loadConfig(testEnvironment(dataDir, { REDIS_URL: 'http://127.0.0.1:6379' }))).toThrow(/REDIS_URL/);
	});
	it('ignores X-Forwarded-For unless TRUST_PROXY names a hop count or proxy addresses, and refuses to trust every peer', () => {
		const dataDir = temporaryDataDir();
		expect(loadConfig(testEnvironment(dataDir)).trustProxy).toBe(false);
		expect(loadConfig(testEnvironment(dataDir, { TRUST_PROXY: 'off' })).trustProxy).toBe(false);
		expect(loadConfig(testEnvironment(dataDir, { TRUST_PROXY: '2' })).trustProxy).toBe(2);
		expect(loadConfig(testEnvironment(dataDir, { TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,fd00::/8, loopback' })).trustProxy).toEqual([
			'10.0.0.0/8',
			'192.0.2.1',
			'fd00::/8',
			'loopback',
		]);
		expect(() => loadConfig(testEnvironment(dataDir, { TRUST_PROXY: 'true' }))).toThrow(/TRUST_PROXY: .*trusts every peer/);
		expect(() => loadConfig(testEnvironment(dataDir, { TRUST_PROXY: '10.0.0.0/33' }))).toThrow(/TRUST_PROXY/);
	});
	it('reads the origins the web client may connect to as origins, and names a value that is not one', () => {
		const dataDir = temporaryDataDir();
		const config = loadConfig(testEnvironment(dataDir, { CSP_CONNECT_ORIGINS: 'https://a.example/, http://b.example:3002' }));
		expect(config.connectOrigins).toEqual(['https://a.example', 'http://b.example:3002']);
		expect(() => loadConfig(testEnvironment(dataDir, { CSP_CONNECT_ORIGINS: 'wss://a.example' }))).toThrow(/CSP_CONNECT_ORIGINS/);
	});
});
