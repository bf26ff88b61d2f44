// The set-up floor the join benchmark compares the product with: two pages of the same Chromium, the
// camera already open in one of them, connected by a bare RTCPeerConnection over loopback with no
// server in between, each side's candidates gathered into its description (the runner passes them). Timed from the sender's createOffer to the first decoded frame at the receiver:
// the least any WebRTC set-up (ICE, DTLS, the first key frame) costs on this machine at this moment.
import type { BrowserContext, Page } from '@playwright/test';

type FloorWindow = {
	__floor?: { pc: RTCPeerConnection; stream?: MediaStream; firstFrameAt?: number };
};

/** A sender page with its camera open and a receiver page, on the given origin (a secure context). */
export async function openFloorPages(context: BrowserContext, origin: string): Promise<{ sender: Page; receiver: Page }> {
	const sender = await context.newPage();
	const receiver = await context.newPage();
	await Promise.all([sender.goto(origin), receiver.goto(origin)]);
	await sender.evaluate(async () => {
		const state = window as unknown as FloorWindow;
		const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
		state.__floor = { pc: new RTCPeerConnection(), stream };
	});
	return { sender, receiver };
}

/** One peer-to-peer set-up, in milliseconds from createOffer to the receiver's first decoded frame. */
export async function measureFloor({ sender, receiver }: { sender: Page; receiver: Page }): Promise<number> {
	await receiver.evaluate(() => {
		const state = window as unknown as FloorWindow;
		state.__floor?.pc.close();
		const pc = new RTCPeerConnection();
		const video = document.createElement('video');
		video.muted = true;
		video.autoplay = true;
		document.body.append(video);
		state.__floor = { pc };
		pc.addEventListener('track', ({ streams, track }) => {
			video.srcObject = streams[0] ?? new MediaStream([track]);
			const tick = () => {
				const frames = video.getVideoPlaybackQuality().totalVideoFrames;
				if (video.videoWidth > 0 && frames > 0 && state.__floor) state.__floor.firstFrameAt = Date.now();
				else setTimeout(tick, 5);
			};
			tick();
		});
	});
	const { offer, startedAt } = await sender.evaluate(async () => {
		const state = (window as unknown as FloorWindow).__floor;
		if (!state?.stream) throw new Error('the sender page has no camera open');
		state.pc.close();
		const pc = new RTCPeerConnection();
		state.pc = pc;
		const startedAt = Date.now();
		for (const track of state.stream.getTracks()) pc.addTrack(track, state.stream);
		await pc.setLocalDescription(await pc.createOffer());
		const gathered = await new Promise<RTCSessionDescriptionInit>((resolve) => {
			const done = () => resolve(pc.localDescription?.toJSON() as RTCSessionDescriptionInit);
			if (pc.iceGatheringState === 'complete') done();
			else
				pc.addEventListener('icegatheringstatechange', () => {
					if (pc.iceGatheringState === 'complete') done();
				});
		});
		return { offer: gathered, startedAt };
	});
	const answer = await receiver.evaluate(async (description) => {
		const pc = (window as unknown as FloorWindow).__floor?.pc as RTCPeerConnection;
		await pc.setRemoteDescription(description);
		await pc.setLocalDescription(await pc.createAnswer());
		return new Promise<RTCSessionDescriptionInit>((resolve) => {
			const done = () => resolve(pc.localDescription?.toJSON() as RTCSessionDescriptionInit);
			if (pc.iceGatheringState === 'complete') done();
			else
				pc.addEventListener('icegatheringstatechange', () => {
					if (pc.iceGatheringState === 'complete') done();
				});
		});
	}, offer);
	await sender.evaluate(async (description) => {
		await (window as unknown as FloorWindow).__floor?.pc.setRemoteDescription(description);
	}, answer);
	const firstFrameAt = await receiver
		.waitForFunction(() => (window as unknown as FloorWindow).__floor?.firstFrameAt, undefined, { timeout: 30_000 })
		.then((handle) => handle.jsonValue());
	return (firstFrameAt as number) - startedAt;
}
