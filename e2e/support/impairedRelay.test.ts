import { describe, expect, test } from 'vitest';
import { ImpairedLink } from './impairedRelay.ts';

/** A random source that plays back the given values, then repeats the last. */
function playing(...values: number[]): () => number {
	let index = 0;
	return () => values[Math.min(index++, values.length - 1)] ?? 0;
}

const arrival = (verdict: ReturnType<ImpairedLink['admit']>) => ('deliverAt' in verdict ? verdict.deliverAt : verdict);

describe('ImpairedLink.admit()', () => {
	test('delivers at once with no conditions', () => {
		const link = new ImpairedLink();
		expect(link.admit(1200, 1000, 'datagram')).toEqual({ deliverAt: 1000 });
		expect(link.stats).toMatchObject({ deliveredPackets: 1, deliveredBytes: 1200 });
	});

	test('adds the delay, varied by the jitter either way', () => {
		// 0 is the far low end of the jitter, 1 the far high end, 0.5 none.
		const link = new ImpairedLink({ delayMs: 75, jitterMs: 10 }, playing(0.5, 0, 1));
		expect(arrival(link.admit(100, 0, 'datagram'))).toBe(75);
		expect(arrival(link.admit(100, 100, 'datagram'))).toBe(165);
		expect(arrival(link.admit(100, 200, 'datagram'))).toBe(285);
	});

	test('keeps packets in order when the jitter would overtake an earlier one', () => {
		const link = new ImpairedLink({ delayMs: 50, jitterMs: 40 }, playing(1, 0));
		expect(arrival(link.admit(100, 0, 'datagram'))).toBe(90);
		// Offered 5 ms later with 40 ms less delay: it waits for the one before it.
		expect(arrival(link.admit(100, 5, 'datagram'))).toBe(90);
	});

	test('sends at the capped rate: each packet waits for the ones before it to be sent', () => {
		// 500 kbit/s is 500 bits a millisecond: 1250 bytes take 20 ms.
		const link = new ImpairedLink({ rateKbps: 500 });
		expect(arrival(link.admit(1250, 0, 'datagram'))).toBe(20);
		expect(arrival(link.admit(1250, 0, 'datagram'))).toBe(40);
		expect(arrival(link.admit(1250, 0, 'datagram'))).toBe(60);
		// After the queue has drained the link is idle again.
		expect(arrival(link.admit(1250, 1000, 'datagram'))).toBe(1020);
	});

	test('drops a datagram that would wait longer than the queue allows, and keeps the stream chunk', () => {
		const link = new ImpairedLink({ rateKbps: 100, queueMs: 150 });
		// 1250 bytes at 100 kbit/s: 100 ms each. The third would start 200 ms from now.
		expect(arrival(link.admit(1250, 0, 'datagram'))).toBe(100);
		expect(arrival(link.admit(1250, 0, 'datagram'))).toBe(200);
		expect(link.admit(1250, 0, 'datagram')).toEqual({ dropped: 'queue' });
		expect(arrival(link.admit(1250, 0, 'stream'))).toBe(300);
		expect(link.stats).toMatchObject({ deliveredPackets: 3, queueDropped: 1 });
	});

	test('loses datagrams at random at the given share, and never a stream chunk', () => {
		const link = new ImpairedLink({ lossPercent: 3 }, playing(0.02, 0.04, 0.02));
		expect(link.admit(100, 0, 'datagram')).toEqual({ dropped: 'loss' });
		expect(arrival(link.admit(100, 0, 'datagram'))).toBe(0);
		expect(arrival(link.admit(100, 0, 'stream'))).toBe(0);
		expect(link.stats).toMatchObject({ lost: 1, deliveredPackets: 2 });
	});

	test('loses about the given share of many datagrams', () => {
		const link = new ImpairedLink({ lossPercent: 3 });
		for (let packet = 0; packet < 20_000; packet += 1) link.admit(100, packet, 'datagram');
		expect(link.stats.lost / 20_000).toBeGreaterThan(0.025);
		expect(link.stats.lost / 20_000).toBeLessThan(0.035);
	});

	test('drops datagrams and holds stream chunks during an outage; afterwards packets pass again', () => {
		const link = new ImpairedLink({ delayMs: 10 });
		const changes: number[] = [];
		link.on('changed', () => changes.push(changes.length));
		link.update({ outage: true });
		expect(link.admit(100, 0, 'datagram')).toEqual({ dropped: 'outage' });
		expect(link.admit(100, 0, 'stream')).toEqual({ held: true });
		link.update({ outage: false });
		expect(arrival(link.admit(100, 50, 'datagram'))).toBe(60);
		expect(link.conditions).toEqual({ delayMs: 10, outage: false });
		expect(changes).toHaveLength(2);
		expect(link.stats.outageDropped).toBe(1);
	});

	test('refuses conditions that make no sense', () => {
		expect(() => new ImpairedLink({ rateKbps: 0 })).toThrow(RangeError);
		expect(() => new ImpairedLink({ lossPercent: 101 })).toThrow(RangeError);
		expect(() => new ImpairedLink({ delayMs: -1 })).toThrow(RangeError);
		expect(() => new ImpairedLink({ delayMs: 5, jitterMs: 10 })).toThrow(RangeError);
	});
});
