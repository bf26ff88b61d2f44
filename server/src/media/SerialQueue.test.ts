import { describe, expect, test } from 'vitest';
import { SerialQueue } from './SerialQueue.ts';

describe('SerialQueue', () => {
	test('runs operations one after another, a failure not stopping the next', async () => {
		const queue = new SerialQueue(10);
		const order: string[] = [];
		const slow = queue.run(async () => {
			await new Promise((resolve) => setTimeout(resolve, 20));
			order.push('slow');
		});
		const failing = queue.run(() => {
			order.push('failing');
			throw new Error('no');
		});
		const fast = queue.run(() => order.push('fast'));
		await slow;
		await expect(failing).rejects.toThrow('no');
		await fast;
		expect(order).toEqual(['slow', 'failing', 'fast']);
	});

	test('refuses with RATE_LIMITED past the operations it lets wait, and takes more once they ran', async () => {
		const queue = new SerialQueue(2);
		const running = [queue.run(() => new Promise((resolve) => setTimeout(resolve, 20))), queue.run(() => 'second')];
		await expect(queue.run(() => 'third')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
		await Promise.all(running);
		expect(await queue.run(() => 'later')).toBe('later');
	});
});
