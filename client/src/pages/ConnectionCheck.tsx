// A page anyone can open before a call: camera and microphone go to the server and come back, and the
// page says plainly, in the visitor's language, whether video calls work from this browser and network.
import { useEffect, useRef, useState } from 'react';
import { DeviceCheckProblem } from '../components/DeviceCheckProblem.tsx';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { useI18n } from '../i18n/useI18n.ts';
import { type ConnectionCheck as Check, decodedVideoFrames, runConnectionCheck } from '../media/connectionCheck.ts';
import { classifyMediaError, type MediaProblem, webRtcMissing } from '../media/deviceCheck/mediaErrors.ts';

type Phase =
	| { name: 'idle' }
	| { name: 'starting' }
	| { name: 'running'; framesDecoded: number }
	| { name: 'passed'; framesDecoded: number }
	/** The camera, the microphone or the browser stopped the check before anything was sent. */
	| { name: 'device'; problem: MediaProblem }
	| { name: 'failed'; reason: 'noVideo' | { error: unknown } };

/** How long the video may take to come back before the check says it did not. */
const ECHO_DEADLINE_MS = 20_000;

export function ConnectionCheck() {
	const { t, describeError } = useI18n();
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
		check.current?.stop();
		for (const track of localStream.current?.getTracks() ?? []) track.stop();
		if (webRtcMissing()) {
			setPhase({ name: 'device', problem: { kind: 'no_webrtc', detail: 'RTCPeerConnection is not available' } });
			return;
		}
		setPhase({ name: 'starting' });
		let stream: MediaStream;
		try {
			stream = await navigator.mediaDevices.getUserMedia({
				video: { width: { ideal: 1280 }, height: { ideal: 720 } },
				audio: true,
			});
		} catch (error) {
			setPhase({ name: 'device', problem: classifyMediaError(error) });
			return;
		}
		try {
			localStream.current = stream;
			if (localVideo.current) localVideo.current.srcObject = stream;
			const running = await runConnectionCheck(stream);
			check.current = running;
			if (echoVideo.current) echoVideo.current.srcObject = running.echoed;
			setPhase({ name: 'running', framesDecoded: 0 });
			const deadline = Date.now() + ECHO_DEADLINE_MS;
			const poll = async () => {
				const frames = decodedVideoFrames(await running.receiveStats());
				if (frames > 0) setPhase({ name: 'passed', framesDecoded: frames });
				else if (Date.now() > deadline) setPhase({ name: 'failed', reason: 'noVideo' });
				else setTimeout(poll, 250);
			};
			void poll();
		} catch (error) {
			setPhase({ name: 'failed', reason: { error } });
		}
	}

	const status =
		phase.name === 'idle'
			? { tone: 'info', text: t('check.intro') }
			: phase.name === 'starting'
				? { tone: 'info', text: t('check.connecting') }
				: phase.name === 'running'
					? { tone: 'info', text: t('check.waiting') }
					: phase.name === 'passed'
						? { tone: 'ok', text: t('check.passed') }
						: phase.name === 'device'
							? { tone: 'error', text: t(`device.problem.${phase.problem.kind}.title`) }
							: phase.reason === 'noVideo'
								? { tone: 'error', text: t('check.noVideo') }
								: { tone: 'error', text: t('check.failed', { reason: describeError(phase.reason.error) }) };
	const again = phase.name === 'failed' || phase.name === 'device';

	return (
		<main>
			<LanguageSwitcher />
			<h1>{t('check.title')}</h1>
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
			{phase.name === 'device' ? (
				<DeviceCheckProblem problem={phase.problem} onRetry={() => void start()} />
			) : (
				<button type="button" onClick={() => void start()} disabled={phase.name === 'starting' || phase.name === 'running'}>
					{again ? t('check.retry') : t('check.start')}
				</button>
			)}
			<div className="videos">
				<figure>
					<video ref={localVideo} autoPlay playsInline muted aria-label={t('check.ownCamera')} />
					<figcaption>{t('check.ownCamera')}</figcaption>
				</figure>
				<figure>
					<video ref={echoVideo} autoPlay playsInline muted aria-label={t('check.echoLabel')} data-testid="echo-video" />
					<figcaption>{t('check.echo')}</figcaption>
				</figure>
			</div>
		</main>
	);
}
