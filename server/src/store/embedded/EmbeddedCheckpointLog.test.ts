import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpoint, describeCheckpointLogContract } from '../checkpointLogContract.ts';
import { CHECKPOINT_FILE_NAME, EmbeddedCheckpointLog } from './EmbeddedCheckpointLog.ts';

const silent = pino({ level: 'silent' });

describeCheckpointLogContract('EmbeddedCheckpointLog', async () => {
	const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-checkpoints-'));
	return {
		open: () => EmbeddedCheckpointLog.open({ dataDir, logger: silent }),
		cleanup: () => fs.rm(dataDir, { recursive: true, force: true }),
	};
});

describe('EmbeddedCheckpointLog on disk', () => {
	let dataDir: string;
	let file: string;

	beforeEach(async () => {
		dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vidverify-checkpoints-'));
		file = path.join(dataDir, CHECKPOINT_FILE_NAME);
	});

	afterEach(async () => {
		await fs.rm(dataDir, { recursive: true, force: true });
	});

	it('keeps one JSON line per checkpoint in a file only the service user may read, and skips one no longer than the last', async () => {
		const log = await EmbeddedCheckpointLog.open({ dataDir, logger: silent });
		await log.append(checkpoint(5));
		await log.append(checkpoint(5));
		await log.append(checkpoint(7));
		await log.close();

		expect((await fs.readFile(file, 'utf8')).split('\n')).toEqual([
			JSON.stringify(checkpoint(5)),
			JSON.stringify(checkpoint(7)),
			'',
		]);
		expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
	});

	it('cuts off a torn last line at open, and refuses a file damaged before it', async () => {
		await fs.writeFile(file, `${JSON.stringify(checkpoint(5))}\n{"length":7,"he`);
		const log = await EmbeddedCheckpointLog.open({ dataDir, logger: silent });
		expect(await log.latest()).toEqual(checkpoint(5));
		await log.append(checkpoint(9));
		await log.close();
		expect(await fs.readFile(file, 'utf8')).toBe(`${JSON.stringify(checkpoint(5))}\n${JSON.stringify(checkpoint(9))}\n`);

		await fs.writeFile(file, `not json\n${JSON.stringify(checkpoint(9))}\n`);
		await expect(EmbeddedCheckpointLog.open({ dataDir, logger: silent })).rejects.toThrow(/line 1 is not a checkpoint/);
	});
});
