// Time from the agent's accept to the first decoded frame of the applicant's camera at the agent, over
// BENCH_RUNS joins (default 7) of the happy path. Prints the figures; asserts nothing about speed
// (machines are shared and noisy), only that every join produced a picture.
import { expect, test } from '@playwright/test';
import { agentLink, createVerification } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, decide, joinThroughDeviceCheck, participant } from '../support/journey.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function percentile(sorted: number[], fraction: number): number {
	const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
	return sorted[Math.max(0, index)] ?? Number.NaN;
}

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test(`join to first frame, ${RUNS} runs`, async ({}) => {
	const agent = await participant('agent');
	const applicant = await participant('applicant');
	const timings: number[] = [];
	try {
		const { agentUrl } = await agentLink();
		await agentGoesAvailable(agent.page, agentUrl);
		for (let run = 0; run < RUNS; run += 1) {
			const created = await createVerification({ purpose: 'c2c_video', locale: 'en' });
			const page = await applicant.context.newPage();
			await joinThroughDeviceCheck(page, created.applicantUrl);
			await expect(page.getByTestId('waiting-room')).toBeVisible();

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
	const sorted = [...timings].sort((a, b) => a - b);
	const lines = [
		'',
		`join → first decoded applicant frame at the agent, ${timings.length} runs (ms):`,
		`  runs:   ${timings.join(', ')}`,
		`  median: ${percentile(sorted, 0.5)}`,
		`  p95:    ${percentile(sorted, 0.95)}`,
		`  min:    ${sorted[0]}  max: ${sorted.at(-1)}`,
	];
	console.log(lines.join('\n'));
	expect(timings).toHaveLength(RUNS);
});
