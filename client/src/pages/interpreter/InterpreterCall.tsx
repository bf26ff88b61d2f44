// The call as the interpreter sees it: the applicant and the agent, the current instruction (marked
// when it is for the applicant), the declaration form when the agent asks for it, their own picture,
// the chat and leaving. The challenge number is never shown here: only the applicant may answer it.
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
import { currentStep, PromptPanel } from '../join/PromptPanel.tsx';
import { ScreenHeading } from '../join/ScreenHeading.tsx';
import { trackOf, useCallMedia } from '../join/useCallMedia.ts';
import type { VerificationSession } from '../join/useVerificationSession.ts';
import { DeclarationForm } from './DeclarationForm.tsx';

export function InterpreterCall({
	session,
	localMedia,
	media,
	onLeft,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
	localMedia: LocalMedia;
	media: LocalMediaView;
	onLeft: () => void;
}) {
	const { t } = useI18n();
	const { client, snapshot, connection } = session;
	const call = useCallMedia(client, localMedia, media.status === 'ready');
	const [confirming, setConfirming] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const step = currentStep(snapshot);
	const declaring = step?.kind === 'interpreter_declaration' && step.status === 'prompted';

	async function leave() {
		setConfirming(false);
		try {
			await client.request('leave', {});
			onLeft();
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
			<CallAnnouncer client={client} ownRole="interpreter" />
			<div className="applicant-call" data-testid="call-screen" data-media-state={call.state}>
				<ScreenHeading>{t('interpreter.call.title')}</ScreenHeading>
				<PromptPanel snapshot={snapshot} participant="interpreter" />
				{declaring ? <DeclarationForm snapshot={snapshot} client={client} /> : null}
				<div className="applicant-call-videos applicant-call-videos--two">
					<VideoTile
						label={t('role.applicant')}
						video={trackOf(call.remote, 'applicant', 'camera')}
						audio={trackOf(call.remote, 'applicant', 'microphone')}
						placeholder={t('video.waitingFor', { name: t('role.applicant') })}
						testId="remote-video-applicant"
						large
					/>
					<VideoTile
						label={t('role.agent')}
						video={trackOf(call.remote, 'agent', 'camera')}
						audio={trackOf(call.remote, 'agent', 'microphone')}
						placeholder={t('video.waitingFor', { name: t('role.agent') })}
						testId="remote-video-agent"
						large
					/>
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
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					<button type="button" className="applicant-danger" onClick={() => setConfirming(true)} data-testid="leave-call">
						{t('interpreter.leave')}
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
				title={t('interpreter.leaveConfirm.title')}
				body={t('interpreter.leaveConfirm.body')}
				confirmLabel={t('call.leaveConfirm.yes')}
				cancelLabel={t('call.leaveConfirm.no')}
				onConfirm={() => void leave()}
				onCancel={() => setConfirming(false)}
			/>
		</JoinFrame>
	);
}
