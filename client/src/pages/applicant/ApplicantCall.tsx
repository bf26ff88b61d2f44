import { ChatPanel } from '../../components/ChatPanel.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import type { CallMedia } from '../../media/useCallMedia.ts';
import { CallStatus, RemoteVideo } from '../participant/CallParts.tsx';
import { JoinFrame } from '../participant/JoinFrame.tsx';
import { LeaveControl } from '../participant/LeaveControl.tsx';
import { OwnCameraPanel } from '../participant/OwnCameraPanel.tsx';
import { PhoneCallScreen, useNarrowScreen } from '../participant/PhoneCall.tsx';
import { PromptPanel } from '../participant/PromptPanel.tsx';
import type { LocalProgress } from '../participant/progress.ts';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
import { ChallengePanel } from './ChallengePanel.tsx';
import { InviteInterpreter } from './InviteInterpreter.tsx';
import { StillNotice, useStillRequests } from './StillNotice.tsx';
import { wantsInterpreter } from './WaitingRoom.tsx';

/** The steps where the applicant holds a document up to the camera: the frame shows where to hold it. */
const DOCUMENT_STEPS: readonly string[] = ['document_front', 'document_back', 'security_features'];

export function ApplicantCall({
	session,
	localMedia,
	media,
	call,
	progress,
	updateProgress,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
	localMedia: LocalMedia;
	media: LocalMediaView;
	/** The call's media, begun in the waiting room. */
	call: CallMedia;
	progress: LocalProgress;
	updateProgress: (patch: Partial<LocalProgress>) => void;
}) {
	const { t } = useI18n();
	const { client, snapshot, connection } = session;
	const interpreterPresent = snapshot.participants.some((participant) => participant.role === 'interpreter');
	const narrow = useNarrowScreen();
	const guide = snapshot.currentStepId !== null && DOCUMENT_STEPS.includes(snapshot.currentStepId);
	const stillTaken = useStillRequests(client, localMedia, snapshot.currentStepId);
	const leave = (
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
	);
	const highQuality = call.highQualityRequested ? (
		<p className="status" role="status" data-testid="high-quality-note">
			{t('call.highQuality')}
		</p>
	) : null;

	if (narrow) {
		return (
			<JoinFrame wide>
				<CallStatus client={client} connection={connection} call={call} ownRole="applicant" />
				<PhoneCallScreen
					title={t('call.title')}
					top={
						<>
							<PromptPanel snapshot={snapshot} participant="applicant" />
							<ChallengePanel snapshot={snapshot} client={client} />
							{highQuality}
							<StillNotice shown={stillTaken} />
						</>
					}
					media={media}
					guide={guide}
					others={
						<>
							<RemoteVideo call={call} of="agent" />
							{interpreterPresent ? <RemoteVideo call={call} of="interpreter" /> : null}
						</>
					}
					client={client}
					ownParticipantId={snapshot.you.participantId}
					mediaState={call.state}
					leave={leave}
					after={
						wantsInterpreter(snapshot) ? (
							<InviteInterpreter session={session} progress={progress} updateProgress={updateProgress} />
						) : null
					}
				/>
			</JoinFrame>
		);
	}

	return (
		<JoinFrame wide>
			<CallStatus client={client} connection={connection} call={call} ownRole="applicant" />
			<div className="applicant-call" data-testid="call-screen" data-media-state={call.state}>
				<ScreenHeading>{t('call.title')}</ScreenHeading>
				<PromptPanel snapshot={snapshot} participant="applicant" />
				<ChallengePanel snapshot={snapshot} client={client} />
				{highQuality}
				<StillNotice shown={stillTaken} />
				<div className="applicant-call-videos">
					<RemoteVideo call={call} of="agent" large />
					{interpreterPresent ? <RemoteVideo call={call} of="interpreter" /> : null}
				</div>
				<aside className="applicant-call-side" aria-label={t('call.sideLabel')}>
					<OwnCameraPanel media={media} guide={guide} />
					{wantsInterpreter(snapshot) ? (
						<InviteInterpreter session={session} progress={progress} updateProgress={updateProgress} />
					) : null}
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					{leave}
				</aside>
			</div>
		</JoinFrame>
	);
}
