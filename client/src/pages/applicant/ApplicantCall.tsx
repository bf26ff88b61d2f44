// The call as the applicant sees it: the agent's video large, the current instruction in large text,
// the challenge number when asked, their own picture small (with the camera switch for documents and
// the lighting hint), the interpreter if one takes part, the chat, and leaving.
import { useState } from 'react';
import { ChatPanel } from '../../components/ChatPanel.tsx';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { DeviceCheckLighting } from '../../components/DeviceCheckLighting.tsx';
import { DeviceCheckPicker } from '../../components/DeviceCheckPicker.tsx';
import { DeviceCheckProblem } from '../../components/DeviceCheckProblem.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/I18n.tsx';
import { shouldMirror } from '../../media/deviceCheck/constraints.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import { CallAnnouncer } from '../join/CallAnnouncer.tsx';
import { ConfirmDialog } from '../join/ConfirmDialog.tsx';
import { JoinFrame } from '../join/JoinFrame.tsx';
import { PromptPanel } from '../join/PromptPanel.tsx';
import type { LocalProgress } from '../join/progress.ts';
import { ScreenHeading } from '../join/ScreenHeading.tsx';
import { trackOf, useCallMedia } from '../join/useCallMedia.ts';
import type { VerificationSession } from '../join/useVerificationSession.ts';
import { ChallengePanel } from './ChallengePanel.tsx';
import { InviteInterpreter } from './InviteInterpreter.tsx';
import { wantsInterpreter } from './WaitingRoom.tsx';

export function ApplicantCall({
	session,
	localMedia,
	media,
	progress,
	updateProgress,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
	localMedia: LocalMedia;
	media: LocalMediaView;
	progress: LocalProgress;
	updateProgress: (patch: Partial<LocalProgress>) => void;
}) {
	const { t } = useI18n();
	const { client, snapshot, connection } = session;
	const call = useCallMedia(client, localMedia, media.status === 'ready');
	const [confirming, setConfirming] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const interpreterPresent = snapshot.participants.some((participant) => participant.role === 'interpreter');

	async function leave() {
		setConfirming(false);
		try {
			await client.request('leave', {});
			await session.refresh();
		} catch (caught) {
			setError(t('error.generic', { reason: caught instanceof Error ? caught.message : String(caught) }));
		}
	}

	return (
		<JoinFrame wide>
			<ConnectionBanner connection={connection} media={call.state} detail={call.detail} />
			{call.state === 'failed' ? (
				<button type="button" onClick={call.retry} data-testid="media-retry">
					{t('error.retry')}
				</button>
			) : null}
			<CallAnnouncer client={client} ownRole="applicant" />
			<div className="applicant-call" data-testid="call-screen" data-media-state={call.state}>
				<ScreenHeading>{t('call.title')}</ScreenHeading>
				<PromptPanel snapshot={snapshot} participant="applicant" />
				<ChallengePanel snapshot={snapshot} client={client} />
				{call.highQualityRequested ? (
					<p className="status" role="status" data-testid="high-quality-note">
						{t('call.highQuality')}
					</p>
				) : null}
				<div className="applicant-call-videos">
					<VideoTile
						label={t('role.agent')}
						video={trackOf(call.remote, 'agent', 'camera')}
						audio={trackOf(call.remote, 'agent', 'microphone')}
						placeholder={t('video.waitingFor', { name: t('role.agent') })}
						testId="remote-video-agent"
						large
					/>
					{interpreterPresent ? (
						<VideoTile
							label={t('role.interpreter')}
							video={trackOf(call.remote, 'interpreter', 'camera')}
							audio={trackOf(call.remote, 'interpreter', 'microphone')}
							placeholder={t('video.waitingFor', { name: t('role.interpreter') })}
							testId="remote-video-interpreter"
						/>
					) : null}
				</div>
				<aside className="applicant-call-side" aria-label={t('call.sideLabel')}>
					<section className="applicant-self" aria-labelledby="self-title">
						<h2 id="self-title">{t('call.yourCamera')}</h2>
						{media.problem ? <DeviceCheckProblem problem={media.problem} onRetry={() => void media.start()} /> : null}
						<VideoTile
							label={t('video.you')}
							video={media.video}
							mirrored={shouldMirror(media.camera, media.video?.getSettings())}
							placeholder={t('device.noPicture')}
							testId="local-video"
						/>
						<DeviceCheckLighting track={media.video} />
						<DeviceCheckPicker media={media} microphones={false} />
					</section>
					{wantsInterpreter(snapshot) ? (
						<InviteInterpreter session={session} progress={progress} updateProgress={updateProgress} />
					) : null}
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					<button type="button" className="applicant-danger" onClick={() => setConfirming(true)} data-testid="leave-call">
						{t('call.leave')}
					</button>
					{error ? (
						<p className="status" data-tone="error" role="alert">
							{error}
						</p>
					) : null}
				</aside>
			</div>
			<ConfirmDialog
				open={confirming}
				title={t('call.leaveConfirm.title')}
				body={t('call.leaveConfirm.body')}
				confirmLabel={t('call.leaveConfirm.yes')}
				cancelLabel={t('call.leaveConfirm.no')}
				onConfirm={() => void leave()}
				onCancel={() => setConfirming(false)}
			/>
		</JoinFrame>
	);
}
