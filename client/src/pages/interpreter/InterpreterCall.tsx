import { ChatPanel } from '../../components/ChatPanel.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import { useCallMedia } from '../../media/useCallMedia.ts';
import { CallStatus, RemoteVideo } from '../participant/CallParts.tsx';
import { JoinFrame } from '../participant/JoinFrame.tsx';
import { LeaveControl } from '../participant/LeaveControl.tsx';
import { OwnCameraPanel } from '../participant/OwnCameraPanel.tsx';
import { PhoneCallScreen, useNarrowScreen } from '../participant/PhoneCall.tsx';
import { currentStep, PromptPanel } from '../participant/PromptPanel.tsx';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
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
	const call = useCallMedia(client, media.status === 'ready' ? localMedia : undefined);
	const step = currentStep(snapshot);
	const declaring = step?.kind === 'interpreter_declaration' && step.status === 'prompted';
	const narrow = useNarrowScreen();
	// The interpreter holds up their own document in this step.
	const guide = snapshot.currentStepId === 'interpreter_document';
	const leave = (
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
	);

	if (narrow) {
		return (
			<JoinFrame wide>
				<CallStatus client={client} connection={connection} call={call} ownRole="interpreter" />
				<PhoneCallScreen
					title={t('interpreter.call.title')}
					top={
						<>
							<PromptPanel snapshot={snapshot} participant="interpreter" />
							{declaring ? <DeclarationForm snapshot={snapshot} client={client} /> : null}
						</>
					}
					media={media}
					guide={guide}
					others={
						<>
							<RemoteVideo call={call} of="applicant" />
							<RemoteVideo call={call} of="agent" />
						</>
					}
					client={client}
					ownParticipantId={snapshot.you.participantId}
					mediaState={call.state}
					leave={leave}
				/>
			</JoinFrame>
		);
	}

	return (
		<JoinFrame wide>
			<CallStatus client={client} connection={connection} call={call} ownRole="interpreter" />
			<div className="applicant-call" data-testid="call-screen" data-media-state={call.state}>
				<ScreenHeading>{t('interpreter.call.title')}</ScreenHeading>
				<PromptPanel snapshot={snapshot} participant="interpreter" />
				{declaring ? <DeclarationForm snapshot={snapshot} client={client} /> : null}
				<div className="applicant-call-videos applicant-call-videos--two">
					<RemoteVideo call={call} of="applicant" large />
					<RemoteVideo call={call} of="agent" large />
				</div>
				<aside className="applicant-call-side" aria-label={t('call.sideLabel')}>
					<OwnCameraPanel media={media} guide={guide} />
					<ChatPanel client={client} ownParticipantId={snapshot.you.participantId} />
					{leave}
				</aside>
			</div>
		</JoinFrame>
	);
}
