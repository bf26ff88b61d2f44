// The prefix every key of a deployment starts with, so that several deployments (or test runs) can
// share one Redis without seeing each other's keys.

const KEY_PREFIX_PATTERN = /^[\w.:-]{1,64}$/;

/** Letters, digits and _ . : - only, so a prefix can never be mistaken for part of a key or a hash tag. */
export function assertKeyPrefix(keyPrefix: string): void {
	if (typeof keyPrefix !== 'string' || !KEY_PREFIX_PATTERN.test(keyPrefix)) {
		throw new TypeError(
			`Redis key prefix ${JSON.stringify(keyPrefix)} must be 1-64 of letters, digits and _ . : -, such as 'vv:'`,
		);
	}
}
