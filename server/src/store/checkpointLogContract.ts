// The behaviour every CheckpointLog implementation must show, as a Vitest suite each implementation's
// tests run against a harness of their own; a log opened again after close() stands for a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointLog, StoredCheckpoint } from './CheckpointLog.ts';

export type CheckpointLogHarness = {
	open(): Promise<CheckpointLog>;
	cleanup(): Promise<void>;
};

export function checkpoint(length: number): StoredCheckpoint {
	return {
		length,
		head: length.toString(16).padStart(64, '0'),
		at: new Date(Date.UTC(2026, 0, 1, 0, 0, length)).toISOString(),
		jws: `jws-${length}`,
	};
}

async function collect(log: CheckpointLog): Promise<StoredCheckpoint[]> {
	const all: StoredCheckpoint[] = [];
	for await (const stored of log.readAll()) all.push(stored);
	return all;
}

export function describeCheckpointLogContract(name: string, harness: () => Promise<CheckpointLogHarness>): void {
	describe(`${name} keeps the CheckpointLog contract`, () => {
		let store: CheckpointLogHarness;
		const opened: CheckpointLog[] = [];

		beforeEach(async () => {
			store = await harness();
		});

		afterEach(async () => {
			for (const log of opened.splice(0)) await log.close();
			await store.cleanup();
		});

		async function open(): Promise<CheckpointLog> {
			const log = await store.open();
			opened.push(log);
			return log;
		}

		it('has no checkpoint before the first, and none covering anything', async () => {
			const log = await open();
			expect(await log.latest()).toBeUndefined();
			expect(await log.firstCovering(1)).toBeUndefined();
			expect(await collect(log)).toEqual([]);
		});

		it('finds the earliest checkpoint covering a length, and the latest, before and after a restart', async () => {
			let log = await open();
			for (const length of [3, 10, 11, 40]) await log.append(checkpoint(length));

			for (let round = 0; round < 2; round += 1) {
				expect(await log.latest()).toEqual(checkpoint(40));
				expect(await log.firstCovering(1)).toEqual(checkpoint(3));
				expect(await log.firstCovering(3)).toEqual(checkpoint(3));
				expect(await log.firstCovering(4)).toEqual(checkpoint(10));
				expect(await log.firstCovering(11)).toEqual(checkpoint(11));
				expect(await log.firstCovering(12)).toEqual(checkpoint(40));
				expect(await log.firstCovering(41)).toBeUndefined();
				expect((await collect(log)).map((stored) => stored.length)).toEqual([3, 10, 11, 40]);
				await log.close();
				log = await open();
			}
		});
	});
}
