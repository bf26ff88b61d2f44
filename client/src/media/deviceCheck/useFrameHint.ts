// The lighting and sharpness hint of a camera track, judged twice a second. Each frame is drawn small
// into a canvas that never leaves this hook (not in the page, never exported or sent), its pixels
// measured and dropped.
import { useEffect, useState } from 'react';
import { ANALYSIS_WIDTH, type FrameHint, HintSmoother, hintFor, measureFrame } from './frameAnalysis.ts';

const ANALYSE_EVERY_MS = 500;

export function useFrameHint(track: MediaStreamTrack | undefined): FrameHint | undefined {
	const [hint, setHint] = useState<FrameHint | undefined>();
	useEffect(() => {
		setHint(undefined);
		if (!track) return;
		const video = document.createElement('video');
		video.muted = true;
		video.playsInline = true;
		video.srcObject = new MediaStream([track]);
		void video.play().catch(() => undefined);
		const canvas = document.createElement('canvas');
		const context = canvas.getContext('2d', { willReadFrequently: true });
		const smoother = new HintSmoother();
		const timer = setInterval(() => {
			if (!context || video.videoWidth === 0 || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
			const width = Math.min(ANALYSIS_WIDTH, video.videoWidth);
			const height = Math.max(1, Math.round((video.videoHeight / video.videoWidth) * width));
			if (canvas.width !== width || canvas.height !== height) {
				canvas.width = width;
				canvas.height = height;
			}
			context.drawImage(video, 0, 0, width, height);
			const { data } = context.getImageData(0, 0, width, height);
			setHint(smoother.push(hintFor(measureFrame(data, width, height))));
		}, ANALYSE_EVERY_MS);
		return () => {
			clearInterval(timer);
			video.srcObject = null;
		};
	}, [track]);
	return hint;
}
