// The applicant's visit from the join link to the end: consent, device check, waiting room, call and
// end screen. The screen follows the server's snapshot (so a reload or reconnect lands where the
// verification is); the camera and microphone stay open from the device check to the end of the call.
// The call's media starts in the waiting room (connected, sending nothing) and carries on into the
// call, so the agent's accept does not wait for a connection to be set up.
import { CONSENT_VERSION } from '@vidverify/shared';
import { useEffect, useState } from 'react';
import { DeviceCheck } from '../../components/DeviceCheck.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import { useLocalMedia } from '../../media/deviceCheck/useLocalMedia.ts';
import { useCallMedia } from '../../media/useCallMedia.ts';
import { ConsentScreen } from '../participant/ConsentScreen.tsx';
import { JoinFrame } from '../participant/JoinFrame.tsx';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import { useProgress } from '../participant/useProgress.ts';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
import { ApplicantCall } from './ApplicantCall.tsx';
import { ApplicantEnd } from './ApplicantEnd.tsx';
import { applicantScreen } from './applicantScreen.ts';
import { WaitingRoom } from './WaitingRoom.tsx';

export function ApplicantFlow({
	session,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
}) {
	const { t, tm } = useI18n();
	const { client, snapshot, connection } = session;
	const [progress, updateProgress] = useProgress(snapshot.you.participantId);
	const [media] = useState(() => new LocalMedia({ camera: progress.camera, microphoneId: progress.microphoneId }));
	const screen = applicantScreen(snapshot, progress);
	const needsMedia = screen === 'device_check' || screen === 'waiting' || screen === 'call';
	const mediaView = useLocalMedia(media, { autoStart: needsMedia });
	const call = useCallMedia(client, mediaView.status === 'ready' ? media : undefined, {
		enabled: screen === 'waiting' || screen === 'call',
		waiting: screen === 'waiting',
	});

	// The devices chosen are remembered so a reload opens the same camera (the back one for a document).
	useEffect(
		() => media.onChange((next) => updateProgress({ camera: next.camera, microphoneId: next.microphoneId })),
		[media, updateProgress],
	);
	// The agent may invite the interpreter too; only the applicant's copy of the notice has the link to pass on.
	useEffect(
		() =>
			client.on('interpreterInvited', ({ interpreter, url }) => {
				if (url)
					updateProgress({ interpreterLink: { invitationId: interpreter.invitationId, url, expiresAt: interpreter.expiresAt } });
			}),
		[client, updateProgress],
	);
	useEffect(() => {
		if (screen === 'end') media.stop();
	}, [media, screen]);
	useEffect(() => () => media.stop(), [media]);

	if (screen === 'consent' || screen === 'declined') {
		return (
			<JoinFrame connection={connection}>
				{screen === 'consent' ? (
					<ConsentScreen
						participant="applicant"
						purpose={snapshot.purpose}
						onAccept={async () => {
							session.setSnapshot(await client.request('consent', { consentVersion: CONSENT_VERSION }));
						}}
						onDecline={() => updateProgress({ consentDeclined: true })}
					/>
				) : (
					<section className="applicant-panel" data-testid="consent-declined">
						<ScreenHeading>{t('declined.title')}</ScreenHeading>
						<p>{t('declined.body', { until: new Date(snapshot.expiresAt).toLocaleString() })}</p>
						<button type="button" onClick={() => updateProgress({ consentDeclined: false })} data-testid="consent-reread">
							{t('declined.again')}
						</button>
					</section>
				)}
			</JoinFrame>
		);
	}

	if (screen === 'device_check') {
		const inCall = snapshot.state === 'in_call';
		return (
			<JoinFrame connection={connection}>
				<DeviceCheck
					heading={<ScreenHeading>{t('device.title')}</ScreenHeading>}
					media={mediaView}
					onContinue={() => updateProgress({ deviceChecked: true })}
					notice={
						inCall ? (
							<p className="status" data-tone="ok" role="alert" data-testid="device-agent-ready">
								{t('device.agentReady')}
							</p>
						) : snapshot.queue ? (
							<div className="status" role="status" data-testid="device-queue-note">
								<strong>{tm('queue.position', { position: snapshot.queue.position })}</strong>
								<br />
								{t('device.queueNote')}
							</div>
						) : null
					}
				/>
			</JoinFrame>
		);
	}

	if (screen === 'waiting') {
		return (
			<JoinFrame connection={connection}>
				<WaitingRoom
					session={session}
					media={mediaView}
					callMedia={call.state}
					progress={progress}
					updateProgress={updateProgress}
				/>
			</JoinFrame>
		);
	}

	if (screen === 'call') {
		return (
			<ApplicantCall
				session={session}
				localMedia={media}
				media={mediaView}
				call={call}
				progress={progress}
				updateProgress={updateProgress}
			/>
		);
	}

	return (
		<JoinFrame>
			<ApplicantEnd snapshot={snapshot} />
		</JoinFrame>
	);
}
