// A page anyone can open before a call: camera and microphone go to the server and come back, and the
// page says plainly whether video calls work from this browser and network.
import { useEffect, useRef, useState } from 'react';
import { type ConnectionCheck as Check, runConnectionCheck } from '../media/connectionCheck.ts';

type Phase =
	| { name: 'idle' }
	| { name: 'starting' }
	| { name: 'running'; framesDecoded: number }
	| { name: 'passed'; framesDecoded: number }
	| { name: 'failed'; message: string };

function describeMediaError(error: unknown): string {
	if (error instanceof DOMException) {
		if (error.name === 'NotAllowedError') {
			return 'Camera or microphone access was refused. Allow it in the address bar (the camera icon), then try again.';
		}
		if (error.name === 'NotFoundError') return 'No camera or microphone was found. Connect one, then try again.';
		if (error.name === 'NotReadableError') return 'The camera is in use by another application. Close it, then try again.';
	}
	return error instanceof Error ? error.message : String(error);
}

export function ConnectionCheck() {
	const [phase, setPhase] = useState<Phase>({ name: 'idle' });
	const localVideo = useRef<HTMLVideoElement>(null);
	const echoVideo = useRef<HTMLVideoElement>(null);
	const check = useRef<Check | undefined>(undefined);
	const localStream = useRef<MediaStream | undefined>(undefined);

	useEffect(
		() => () => {
			check.current?.stop();
			for (const track of localStream.current?.getTracks() ?? []) track.stop();
		},
		[],
	);

	async function start() {
		setPhase({ name: 'starting' });
		try {
			const stream = await navigator.mediaDevices.getUserMedia({
				video: { width: { ideal: 1280 }, height: { ideal: 720 } },
				audio: true,
			});
			localStream.current = stream;
			if (localVideo.current) localVideo.current.srcObject = stream;
			const running = await runConnectionCheck(stream);
			check.current = running;
			if (echoVideo.current) echoVideo.current.srcObject = running.echoed;
			setPhase({ name: 'running', framesDecoded: 0 });
			const deadline = Date.now() + 20_000;
			const poll = async () => {
				let frames = 0;
				for (const report of (await running.receiveStats()).values()) {
					if (report.type === 'inbound-rtp' && report.kind === 'video') frames = report.framesDecoded ?? 0;
				}
				if (frames > 0) setPhase({ name: 'passed', framesDecoded: frames });
				else if (Date.now() > deadline) {
					setPhase({ name: 'failed', message: 'No video came back from the server. A firewall may block WebRTC (UDP).' });
				} else setTimeout(poll, 250);
			};
			void poll();
		} catch (error) {
			setPhase({ name: 'failed', message: describeMediaError(error) });
		}
	}

	const status =
		phase.name === 'idle'
			? { tone: 'info', text: 'This sends your camera and microphone to our server and back. Nothing is recorded.' }
			: phase.name === 'starting'
				? { tone: 'info', text: 'Connecting…' }
				: phase.name === 'running'
					? { tone: 'info', text: 'Connected; waiting for your video to come back…' }
					: phase.name === 'passed'
						? { tone: 'ok', text: 'Your connection works: your video came back through our server.' }
						: { tone: 'error', text: phase.message };

	return (
		<main>
			<h1>Connection check</h1>
			<p
				className="status"
				data-tone={status.tone}
				role="status"
				aria-live="polite"
				data-testid="check-status"
				data-phase={phase.name}
				data-frames-decoded={phase.name === 'running' || phase.name === 'passed' ? phase.framesDecoded : undefined}
			>
				{status.text}
			</p>
			<button type="button" onClick={() => void start()} disabled={phase.name === 'starting' || phase.name === 'running'}>
				{phase.name === 'failed' ? 'Try again' : 'Start the check'}
			</button>
			<div className="videos">
				<figure>
					<video ref={localVideo} autoPlay playsInline muted aria-label="Your camera" />
					<figcaption>Your camera</figcaption>
				</figure>
				<figure>
					<video
						ref={echoVideo}
						autoPlay
						playsInline
						muted
						aria-label="Your video after a round trip through the server"
						data-testid="echo-video"
					/>
					<figcaption>After a round trip through the server</figcaption>
				</figure>
			</div>
		</main>
	);
}
