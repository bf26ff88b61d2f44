// The live level of a microphone track for the meter, measured with an AnalyserNode in this page.
import { useEffect, useState } from 'react';
import { levelFromSamples, smoothLevel } from './audioLevel.ts';

const UPDATE_MS = 100;

export function useMicrophoneLevel(track: MediaStreamTrack | undefined): number {
	const [level, setLevel] = useState(0);
	useEffect(() => {
		if (!track) {
			setLevel(0);
			return;
		}
		const AudioContextClass = globalThis.AudioContext;
		if (!AudioContextClass) return;
		const context = new AudioContextClass();
		// Created after a click this runs at once; after a reload it may start suspended until one.
		void context.resume().catch(() => undefined);
		const source = context.createMediaStreamSource(new MediaStream([track]));
		const analyser = context.createAnalyser();
		analyser.fftSize = 1024;
		source.connect(analyser);
		const samples = new Uint8Array(analyser.fftSize);
		let shown = 0;
		const timer = setInterval(() => {
			analyser.getByteTimeDomainData(samples);
			shown = smoothLevel(shown, levelFromSamples(samples));
			setLevel(Math.round(shown * 100) / 100);
		}, UPDATE_MS);
		return () => {
			clearInterval(timer);
			source.disconnect();
			void context.close();
		};
	}, [track]);
	return level;
}
