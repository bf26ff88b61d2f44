// Time from the agent's accept to the first decoded frame of the applicant's camera at the agent, over
// BENCH_RUNS joins (default 7) of the happy path, and in the same run, one before each join, the
// peer-to-peer floor (peerFloor.ts): the ratio of the two medians says how far below a bare WebRTC
// set-up the product's join is. Prints the figures; asserts nothing about speed (machines are shared
// and noisy), only that every join and every floor set-up produced a picture.
import { expect, test } from '@playwright/test';
import { agentLink, baseUrl, createVerification } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, decide, joinThroughDeviceCheck, participant } from '../support/journey.ts';
import { measureFloor, openFloorPages } from './peerFloor.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function percentile(sorted: number[], fraction: number): number {
	const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
	return sorted[Math.max(0, index)] ?? Number.NaN;
}

function summary(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		median: percentile(sorted, 0.5),
		p90: percentile(sorted, 0.9),
		min: sorted[0] ?? Number.NaN,
		max: sorted.at(-1) ?? Number.NaN,
	};
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test(`join to first frame, ${RUNS} runs`, async ({}) => {
	const agent = await participant('agent');
	const applicant = await participant('applicant');
	const timings: number[] = [];
	const floors: number[] = [];
	try {
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(agent.page, agentUrl);
		const floorPages = await openFloorPages(applicant.context, baseUrl());
		for (let run = 0; run < RUNS; run += 1) {
			floors.push(await measureFloor(floorPages));
			const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
			const page = await applicant.context.newPage();
			await joinThroughDeviceCheck(page, created.applicantUrl);
			await expect(page.getByTestId('waiting-room')).toBeVisible();
			// An applicant waits in the queue for a while: its media connects meanwhile (pre-connected media).
			await expect(page.getByTestId('waiting-media')).toHaveAttribute('data-media-state', 'connected');

			// A poller in the agent's page notes the wall-clock time of the first decoded frame.
			await agent.page.evaluate(() => {
				const state = window as unknown as { __firstFrameAt?: number };
				state.__firstFrameAt = undefined;
				const tick = () => {
					const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video-applicant"] video');
					const frames = video?.getVideoPlaybackQuality?.().totalVideoFrames ?? 0;
					if (video && video.videoWidth > 0 && frames > 0) state.__firstFrameAt = Date.now();
					else setTimeout(tick, 5);
				};
				tick();
			});
			const acceptedAt = await agentAccepts(agent.page, created.id);
			const firstFrameAt = await agent.page
				.waitForFunction(() => (window as unknown as { __firstFrameAt?: number }).__firstFrameAt, undefined, { timeout: 30_000 })
				.then((handle) => handle.jsonValue())
				.catch(async (error: unknown) => {
					// Keep both screens of a join that produced no picture, for the report.
					await agent.page.screenshot({ path: test.info().outputPath(`agent-run-${run}.png`), fullPage: true });
					await page.screenshot({ path: test.info().outputPath(`applicant-run-${run}.png`), fullPage: true });
					throw error;
				});
			timings.push((firstFrameAt as number) - acceptedAt);

			await decide(agent.page, { reject: ['procedure_not_followed'], note: 'benchmark run' });
			await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'rejected');
			await page.close();
		}
	} finally {
		await applicant.close();
		await agent.close();
	}
	const product = summary(timings);
	const floor = summary(floors);
	const lines = [
		'',
		`agent's accept → first decoded applicant frame at the agent, ${timings.length} runs (ms):`,
		`  runs:   ${timings.join(', ')}`,
		`  median: ${product.median}  p90: ${product.p90}  min: ${product.min}  max: ${product.max}`,
		`peer-to-peer floor (two pages of one Chromium, camera open, createOffer → first decoded frame), ${floors.length} runs (ms):`,
		`  runs:   ${floors.join(', ')}`,
		`  median: ${floor.median}  p90: ${floor.p90}  min: ${floor.min}  max: ${floor.max}`,
		`ratio to the floor (product median ÷ floor median): ${(product.median / floor.median).toFixed(2)}` +
			`  (p90 ÷ p90: ${(product.p90 / floor.p90).toFixed(2)}; the target is at most 0.50)`,
	];
	console.log(lines.join('\n'));
	expect(timings).toHaveLength(RUNS);
	expect(floors).toHaveLength(RUNS);
});
