import { ChatPanel } from '../../components/ChatPanel.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import { useCallMedia } from '../../media/useCallMedia.ts';
import { CallStatus, RemoteVideo } from '../participant/CallParts.tsx';
import { JoinFrame } from '../participant/JoinFrame.tsx';
import { LeaveControl } from '../participant/LeaveControl.tsx';
import { OwnCameraPanel } from '../participant/OwnCameraPanel.tsx';
import { PromptPanel } from '../participant/PromptPanel.tsx';
import type { LocalProgress } from '../participant/progress.ts';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
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
	const call = useCallMedia(client, media.status === 'ready' ? localMedia : undefined);
	const interpreterPresent = snapshot.participants.some((participant) => participant.role === 'interpreter');

	return (
		<JoinFrame wide>
			<CallStatus client={client} connection={connection} call={call} ownRole="applicant" />
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
					<RemoteVideo call={call} of="agent" large />
					{interpreterPresent ? <RemoteVideo call={call} of="interpreter" /> : null}
				</div>
				<aside className="applicant-call-side" aria-label={t('call.sideLabel')}>
					<OwnCameraPanel media={media} />
					{wantsInterpreter(snapshot) ? (
						<InviteInterpreter session={session} progress={progress} updateProgress={updateProgress} />
					) : null}
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					<LeaveControl
						testId="leave-call"
						texts={{
							button: 'call.leave',
							title: 'call.leaveConfirm.title',
							body: 'call.leaveConfirm.body',
							yes: 'call.leaveConfirm.yes',
							no: 'call.leaveConfirm.no',
						}}
						onLeave={async () => {
							await client.request('leave', {});
							await session.refresh();
						}}
					/>
				</aside>
			</div>
		</JoinFrame>
	);
}
