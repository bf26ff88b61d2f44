import { inject } from 'vitest';
import { describeCheckpointLogContract } from '../checkpointLogContract.ts';
import { RedisCheckpointLog } from './RedisCheckpointLog.ts';
import { deleteKeys, silentLogger, uniqueKeyPrefix } from './testSupport.ts';

const redisUrl = inject('redisUrl');

describeCheckpointLogContract('RedisCheckpointLog', async () => {
	const keyPrefix = uniqueKeyPrefix('checkpoints');
	return {
		open: () => RedisCheckpointLog.open({ url: redisUrl, keyPrefix, logger: silentLogger }),
		cleanup: () => deleteKeys(redisUrl, keyPrefix),
	};
});
