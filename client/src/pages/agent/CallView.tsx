// The call as the agent works it: the applicant's (and interpreter's) live picture, large and
// zoomable; the checklist; the duplicate check; the interpreter; call quality; chat; and the decision.
import type { Role, VerificationSnapshot } from '@vidverify/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ChatPanel } from '../../components/ChatPanel.tsx';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { RemoteTrack } from '../../media/CallConnection.ts';
import { useCallMedia } from '../../media/useCallMedia.ts';
import type { SnapshotAnswer } from '../../session/snapshotReducer.ts';
import type { ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { ChecklistPanel } from './ChecklistPanel.tsx';
import { type CallState, participantByRole } from './callState.ts';
import { DecisionDialog } from './DecisionDialog.tsx';
import { DocumentCheck } from './DocumentCheck.tsx';
import { evidenceOf, poorLossIn } from './decision.ts';
import { EarlierRecordPanel } from './EarlierRecordPanel.tsx';
import { formatClock, useNow } from './format.ts';
import { InterpreterPanel } from './InterpreterPanel.tsx';
import { MrzReader, type MrzSource } from './MrzReader.tsx';
import { QualityPanel } from './QualityPanel.tsx';
import { SharpPhotoControls, SharpPhotoStatus, useSharpPhoto } from './SharpPhoto.tsx';
import { useAgentCamera } from './useAgentCamera.ts';
import type { ViewerHandle } from './ZoomableVideo.tsx';
import { ZoomableVideo } from './ZoomableVideo.tsx';
import { isTypingTarget, viewerCommandFor } from './zoom.ts';

type Props = {
	client: VerificationClient;
	connection: ConnectionState;
	call: CallState;
	apply: (answer: SnapshotAnswer) => void;
	onDecided: (snapshot: VerificationSnapshot, note: string | undefined) => void;
};

type ViewerRole = 'applicant' | 'interpreter';

function trackOf(tracks: RemoteTrack[], role: Role, kind: 'video' | 'audio'): MediaStreamTrack | undefined {
	return tracks.find((entry) => entry.role === role && entry.track.kind === kind && entry.track.readyState === 'live')?.track;
}

export function CallView({ client, connection, call, apply, onDecided }: Props) {
	const { t, tm, locale, describeError } = useI18n();
	const now = useNow(1000);
	const { snapshot } = call;
	const camera = useAgentCamera();
	const media = useCallMedia(client, camera.stream);
	const [deciding, setDeciding] = useState(false);
	const heading = useRef<HTMLHeadingElement>(null);
	// The queue (and the button that accepted) is gone: start keyboard users at the top of the call.
	useEffect(() => heading.current?.focus(), []);
	// What this console saw of the call that the snapshot does not keep, for the reasons it proposes.
	const [seen, setSeen] = useState({ typedChallengeMismatched: false, poorConnection: false });
	useEffect(() => {
		const stops = [
			client.on('challengeAnswered', ({ matched }) => {
				if (!matched) setSeen((previous) => ({ ...previous, typedChallengeMismatched: true }));
			}),
			client.on('callQualitySampled', ({ participants }) => {
				if (participants.some(poorLossIn)) setSeen((previous) => ({ ...previous, poorConnection: true }));
			}),
		];
		return () => {
			for (const stop of stops) stop();
		};
	}, [client]);
	const [highQuality, setHighQuality] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();
	const sharpPhoto = useSharpPhoto(client, snapshot);
	// What the MRZ reader reads from: the sharp photo while it is shown, else the frozen frame.
	const [frozenFrame, setFrozenFrame] = useState<HTMLCanvasElement | undefined>();
	const mrzSource = useMemo<MrzSource | undefined>(
		() =>
			sharpPhoto.still
				? { kind: 'still', url: sharpPhoto.still.url }
				: frozenFrame
					? { kind: 'frame', canvas: frozenFrame }
					: undefined,
		[sharpPhoto.still, frozenFrame],
	);
	const applicantViewer = useRef<ViewerHandle>(null);
	const interpreterViewer = useRef<ViewerHandle>(null);
	const activeViewer = useRef<ViewerRole>('applicant');
	const applicant = participantByRole(snapshot, 'applicant');
	const interpreter = participantByRole(snapshot, 'interpreter');
	const activateApplicantViewer = useCallback(() => {
		activeViewer.current = 'applicant';
	}, []);
	const activateInterpreterViewer = useCallback(() => {
		activeViewer.current = 'interpreter';
	}, []);

	// +, −, 0 and F work anywhere in the call view except while typing or in the decision dialog; they
	// act on the picture that has focus, or else the one last used (the applicant's to begin with).
	useEffect(() => {
		function onKeyDown(event: KeyboardEvent) {
			if (event.defaultPrevented || isTypingTarget(event.target as HTMLElement | null)) return;
			if ((event.target as Element | null)?.closest?.('dialog')) return;
			const viewers = { applicant: applicantViewer.current, interpreter: interpreterViewer.current };
			const focused = (['applicant', 'interpreter'] as const).find((role) => viewers[role]?.hasFocus());
			const command = viewerCommandFor(event, focused !== undefined);
			const viewer = viewers[focused ?? activeViewer.current] ?? viewers.applicant;
			if (!command || !viewer) return;
			event.preventDefault();
			viewer.run(command);
		}
		document.addEventListener('keydown', onKeyDown);
		return () => document.removeEventListener('keydown', onKeyDown);
	}, []);

	async function askHighQuality() {
		if (!applicant) return;
		try {
			await client.request('requestHighQuality', { participantId: applicant.participantId });
			setHighQuality({ tone: 'ok', text: t('agent.viewer.highQualityAsked') });
		} catch (error) {
			setHighQuality({ tone: 'error', text: t('agent.step.error', { reason: describeError(error) }) });
		}
	}

	const others = snapshot.participants.filter((participant) => participant.participantId !== snapshot.you.participantId);
	const remoteAudio = media.remote.filter((entry) => entry.track.kind === 'audio');

	return (
		<main className="agent-call" data-testid="call-view" data-verification-id={snapshot.verificationId}>
			<ConnectionBanner connection={connection} media={media.state} failure={media.failure} />
			<div className="agent-call-bar">
				<div>
					<h2 ref={heading} tabIndex={-1} className="agent-focus-target">
						{t('agent.call.heading')}
					</h2>
					<p className="agent-call-meta">
						{t('agent.call.meta', {
							purpose: tm(`purpose.${snapshot.purpose}`),
							language: t(`agent.locale.${snapshot.locale}`),
							id: snapshot.verificationId,
						})}
					</p>
					{snapshot.accessibility.textOnlyChallenge ? <p className="agent-flag">{t('agent.call.textOnly')}</p> : null}
				</div>
				<section className="agent-participants" aria-labelledby="agent-participants-title">
					<h3 id="agent-participants-title" className="visually-hidden">
						{t('agent.call.participants')}
					</h3>
					<ul>
						{others.map((participant) => {
							const graceEndsAt = call.reconnecting[participant.participantId];
							return (
								<li
									key={participant.participantId}
									data-testid={`participant-${participant.role}`}
									data-connected={participant.connected}
								>
									<span className="agent-dot" data-connected={participant.connected} aria-hidden="true" />
									<strong>{t(`role.${participant.role}`)}</strong>
									{participant.displayName ? ` (${participant.displayName})` : ''}:{' '}
									{participant.connected
										? t('agent.call.participant.connected')
										: graceEndsAt
											? t('agent.call.participant.reconnecting', { time: formatClock(graceEndsAt, locale) })
											: t('agent.call.participant.away')}
								</li>
							);
						})}
					</ul>
				</section>
				<button type="button" className="agent-decide" onClick={() => setDeciding(true)} data-testid="decide-open">
					{t('agent.decide.open')}
				</button>
			</div>
			{camera.problem ? (
				<p className="status" data-tone="error" data-testid="own-media-problem">
					{t('agent.call.media.noCamera', { reason: t(`device.problem.${camera.problem}.title`) })}
				</p>
			) : null}
			{media.state === 'failed' ? (
				<p className="agent-row">
					<button type="button" className="agent-secondary" onClick={media.retry} data-testid="media-retry">
						{t('agent.call.media.retry')}
					</button>
				</p>
			) : null}
			<div className="agent-call-grid">
				<div className="agent-call-media">
					<ZoomableVideo
						name={t('role.applicant')}
						track={trackOf(media.remote, 'applicant', 'video')}
						testId="remote-video-applicant"
						controlPrefix=""
						handle={applicantViewer}
						onUse={activateApplicantViewer}
						still={sharpPhoto.still}
						onFrozenFrame={setFrozenFrame}
					>
						<button
							type="button"
							className="agent-tool"
							onClick={() => void askHighQuality()}
							disabled={!applicant}
							data-testid="high-quality"
						>
							{t('agent.viewer.highQuality')}
						</button>
						<SharpPhotoControls photo={sharpPhoto} />
					</ZoomableVideo>
					<SharpPhotoStatus photo={sharpPhoto} />
					<MrzReader
						client={client}
						source={mrzSource}
						declared={snapshot.declared}
						onChecked={(check) => apply({ name: 'documentChecked', payload: check })}
					/>
					{highQuality ? (
						<p className="status" data-tone={highQuality.tone} role="status">
							{highQuality.text}
						</p>
					) : null}
					{interpreter ? (
						<ZoomableVideo
							name={t('role.interpreter')}
							track={trackOf(media.remote, 'interpreter', 'video')}
							testId="remote-video-interpreter"
							controlPrefix="interpreter-"
							handle={interpreterViewer}
							onUse={activateInterpreterViewer}
						/>
					) : null}
					<div className="agent-own-video">
						<VideoTile label={t('agent.call.ownVideo')} video={camera.stream?.getVideoTracks()[0]} mirrored testId="own-video" />
					</div>
					{remoteAudio.map((entry) => (
						<RemoteAudio key={entry.consumerId} track={entry.track} role={entry.role} />
					))}
					<QualityPanel client={client} ownParticipantId={snapshot.you.participantId} />
				</div>
				<div className="agent-call-checklist">
					<ChecklistPanel client={client} call={call} now={now} apply={apply} />
				</div>
				<div className="agent-call-side">
					{snapshot.earlierRecord ? (
						<EarlierRecordPanel earlier={snapshot.earlierRecord} checks={snapshot.documentChecks} />
					) : null}
					<DocumentCheck
						client={client}
						checks={snapshot.documentChecks ?? []}
						onChecked={(check) => apply({ name: 'documentChecked', payload: check })}
					/>
					<InterpreterPanel client={client} call={call} />
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
				</div>
			</div>
			<DecisionDialog
				open={deciding}
				onClose={() => setDeciding(false)}
				client={client}
				checklist={snapshot.checklist}
				documentChecks={snapshot.documentChecks}
				evidence={evidenceOf(snapshot, seen)}
				onDecided={(decided, note) => {
					setDeciding(false);
					onDecided(decided, note);
				}}
			/>
		</main>
	);
}

/**
 * A remote participant's voice. Browsers may refuse to start sound without a click on this page (after
 * a reload, for instance); the agent then gets a button instead of silence.
 */
function RemoteAudio({ track, role }: { track: MediaStreamTrack; role: Role }) {
	const { t } = useI18n();
	const element = useRef<HTMLAudioElement>(null);
	const [blocked, setBlocked] = useState(false);

	useEffect(() => {
		const audio = element.current;
		if (!audio) return;
		audio.srcObject = new MediaStream([track]);
		audio.play().then(
			() => setBlocked(false),
			(error: unknown) => setBlocked(error instanceof DOMException && error.name === 'NotAllowedError'),
		);
	}, [track]);

	return (
		<>
			{/* biome-ignore lint/a11y/useMediaCaption: live WebRTC audio has no caption track; the chat carries words for deaf participants */}
			<audio ref={element} autoPlay data-testid={`remote-audio-${role}`} />
			{blocked ? (
				<p className="status" data-tone="error">
					{t('agent.call.media.audioBlocked')}{' '}
					<button type="button" onClick={() => void element.current?.play().then(() => setBlocked(false))}>
						{t('agent.call.media.audioOn')}
					</button>
				</p>
			) : null}
		</>
	);
}
