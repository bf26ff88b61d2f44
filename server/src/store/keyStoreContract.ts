// The behaviour every KeyStore must show, as a Vitest suite each implementation runs against a harness
// of its own; a store opened again after close() stands for a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyStore } from './KeyStore.ts';

export type KeyStoreHarness = {
	open(): Promise<KeyStore>;
	/** Every byte the store keeps (the file, or the values of its Redis keys), to look for a key in. */
	everything(): Promise<Buffer>;
	cleanup(): Promise<void>;
};

export function describeKeyStoreContract(name: string, harness: () => Promise<KeyStoreHarness>): void {
	describe(`${name} keeps the KeyStore contract`, () => {
		let store: KeyStoreHarness;
		const opened: KeyStore[] = [];

		beforeEach(async () => {
			store = await harness();
		});

		afterEach(async () => {
			for (const keys of opened.splice(0)) await keys.close();
			await store.cleanup();
		});

		async function open(): Promise<KeyStore> {
			const keys = await store.open();
			opened.push(keys);
			return keys;
		}

		it('obtain() makes one 32-byte key per verification and kind, the same for callers at once and after a restart', async () => {
			const keys = await open();
			const [first, second] = await Promise.all([keys.obtain('v1', 'personal'), keys.obtain('v1', 'personal')]);
			expect(first).toHaveLength(32);
			expect(second?.equals(first as Buffer)).toBe(true);
			const document = await keys.obtain('v1', 'document');
			expect(document?.equals(first as Buffer)).toBe(false);
			expect((await keys.obtain('v2', 'personal'))?.equals(first as Buffer)).toBe(false);
			await keys.close();
			const again = await open();
			expect((await again.find('v1', 'personal'))?.equals(first as Buffer)).toBe(true);
			expect((await again.obtain('v1', 'document'))?.equals(document as Buffer)).toBe(true);
		});

		it('find() answers undefined for a key never made, and obtain() then makes it', async () => {
			const keys = await open();
			expect(await keys.find('v1', 'personal')).toBeUndefined();
			expect(await keys.destroyed('v1', 'personal')).toBe(false);
			expect(await keys.obtain('v1', 'personal')).toHaveLength(32);
		});

		it('destroy() removes the key bytes from the store, and neither obtain() nor a restart brings them back', async () => {
			const keys = await open();
			const personal = (await keys.obtain('v1', 'personal')) as Buffer;
			const document = (await keys.obtain('v1', 'document')) as Buffer;
			const other = (await keys.obtain('v2', 'personal')) as Buffer;
			expect((await store.everything()).includes(personal.toString('base64'))).toBe(true);
			await keys.destroy([{ verificationId: 'v1', kinds: ['personal', 'document'] }]);
			await keys.destroy([{ verificationId: 'v1', kinds: ['personal'] }]);
			expect(await keys.find('v1', 'personal')).toBeUndefined();
			expect(await keys.destroyed('v1', 'personal')).toBe(true);
			expect(await keys.obtain('v1', 'personal')).toBeUndefined();
			const kept = await store.everything();
			expect(kept.includes(personal.toString('base64'))).toBe(false);
			expect(kept.includes(document.toString('base64'))).toBe(false);
			expect(kept.includes(other.toString('base64'))).toBe(true);
			await keys.close();
			const again = await open();
			expect(await again.find('v1', 'personal')).toBeUndefined();
			expect(await again.obtain('v1', 'document')).toBeUndefined();
			expect(await again.destroyed('v1', 'document')).toBe(true);
			expect((await again.find('v2', 'personal'))?.equals(other)).toBe(true);
		});

		it('destroy() of one kind leaves the other', async () => {
			const keys = await open();
			const personal = (await keys.obtain('v1', 'personal')) as Buffer;
			await keys.obtain('v1', 'document');
			await keys.destroy([{ verificationId: 'v1', kinds: ['document'] }]);
			expect((await keys.find('v1', 'personal'))?.equals(personal)).toBe(true);
			expect(await keys.find('v1', 'document')).toBeUndefined();
		});
	});
}
