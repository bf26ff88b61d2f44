import { inject } from 'vitest';
import { describeKeyStoreContract } from '../keyStoreContract.ts';
import { RedisKeyStore } from './RedisKeyStore.ts';
import { deleteKeys, rawClient, silentLogger, uniqueKeyPrefix } from './testSupport.ts';

const redisUrl = inject('redisUrl');

describeKeyStoreContract('RedisKeyStore', async () => {
	const keyPrefix = uniqueKeyPrefix('keys');
	return {
		open: () => RedisKeyStore.open({ url: redisUrl, keyPrefix, logger: silentLogger }),
		everything: async () => {
			const client = rawClient(redisUrl);
			try {
				const names = await client.keys(`${keyPrefix}*`);
				const values = await Promise.all(names.map((name) => client.hgetall(name)));
				return Buffer.from(JSON.stringify(values));
			} finally {
				client.disconnect();
			}
		},
		cleanup: () => deleteKeys(redisUrl, keyPrefix),
	};
});
