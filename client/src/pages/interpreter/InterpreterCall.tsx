import { ChatPanel } from '../../components/ChatPanel.tsx';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/I18n.tsx';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import { CallAnnouncer } from '../join/CallAnnouncer.tsx';
import { JoinFrame } from '../join/JoinFrame.tsx';
import { LeaveControl } from '../join/LeaveControl.tsx';
import { OwnCameraPanel } from '../join/OwnCameraPanel.tsx';
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
	const step = currentStep(snapshot);
	const declaring = step?.kind === 'interpreter_declaration' && step.status === 'prompted';

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
					<OwnCameraPanel media={media} />
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					<LeaveControl
						testId="leave-call"
						texts={{
							button: 'interpreter.leave',
							title: 'interpreter.leaveConfirm.title',
							body: 'interpreter.leaveConfirm.body',
							yes: 'call.leaveConfirm.yes',
							no: 'call.leaveConfirm.no',
						}}
						onLeave={async () => {
							await client.request('leave', {});
							onLeft();
						}}
					/>
				</aside>
			</div>
		</JoinFrame>
	);
}
