// Whether a media element really plays sound: its stream runs through a Web Audio analyser inside
// the page and the loudest level over a short window comes back (the fake microphone beeps).
import type { Locator } from '@playwright/test';

export async function peakAudioLevel(element: Locator, windowMs = 1500): Promise<number> {
	return element.evaluate(async (node, duration) => {
		const stream = (node as HTMLMediaElement).srcObject;
		if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return 0;
		const context = new AudioContext();
		await context.resume();
		const analyser = context.createAnalyser();
		analyser.fftSize = 2048;
		context.createMediaStreamSource(stream).connect(analyser);
		const samples = new Float32Array(analyser.fftSize);
		let peak = 0;
		const end = performance.now() + duration;
		while (performance.now() < end) {
			analyser.getFloatTimeDomainData(samples);
			for (const sample of samples) peak = Math.max(peak, Math.abs(sample));
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await context.close();
		return peak;
	}, windowMs);
}
