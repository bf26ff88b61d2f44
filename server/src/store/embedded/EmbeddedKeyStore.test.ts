import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { describeKeyStoreContract } from '../keyStoreContract.ts';
import { EmbeddedKeyStore, KEY_FILE_NAME } from './EmbeddedKeyStore.ts';

const logger = pino({ level: 'silent' });

describeKeyStoreContract('EmbeddedKeyStore', async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-keys-'));
	return {
		open: () => EmbeddedKeyStore.open({ dataDir, logger }),
		everything: async () => fs.readFileSync(path.join(dataDir, KEY_FILE_NAME)),
		cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
	};
});

describe('EmbeddedKeyStore', () => {
	it('keeps its file private to the service user and cuts off a torn last line', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-keys-'));
		const file = path.join(dataDir, KEY_FILE_NAME);
		const keys = await EmbeddedKeyStore.open({ dataDir, logger });
		const key = await keys.obtain('v1', 'personal');
		await keys.close();
		expect(fs.statSync(file).mode & 0o077).toBe(0);
		fs.appendFileSync(file, '{"v":"v2","k":"perso');
		const again = await EmbeddedKeyStore.open({ dataDir, logger });
		expect((await again.find('v1', 'personal'))?.equals(key as Buffer)).toBe(true);
		expect(fs.readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
		await again.destroy([{ verificationId: 'v1', kinds: ['personal'] }]);
		expect(fs.statSync(file).mode & 0o077).toBe(0);
		await again.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('refuses to open a file with a damaged line before the last', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-keys-'));
		fs.writeFileSync(path.join(dataDir, KEY_FILE_NAME), 'not a key\n{"v":"v1","k":"personal","destroyed":true}\n');
		await expect(EmbeddedKeyStore.open({ dataDir, logger })).rejects.toThrow(/line 1 is not a key record/);
		fs.rmSync(dataDir, { recursive: true, force: true });
	});
});
