// The interpreter's visit from the invitation link: what will happen and the consent text, the device
// check, a wait if the call has not started, the call, and the end. Opening the link already claimed
// the invitation (the handshake), so the agent sees the interpreter arrive while they get ready.
import { CONSENT_VERSION } from '@vidverify/shared';
import { useEffect, useState } from 'react';
import { DeviceCheck } from '../../components/DeviceCheck.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { LocalMedia } from '../../media/deviceCheck/LocalMedia.ts';
import { useLocalMedia } from '../../media/deviceCheck/useLocalMedia.ts';
import { ConsentScreen } from '../participant/ConsentScreen.tsx';
import { JoinFrame } from '../participant/JoinFrame.tsx';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import { useProgress } from '../participant/useProgress.ts';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
import { InterpreterCall } from './InterpreterCall.tsx';
import { interpreterEnding, interpreterScreen } from './interpreterScreen.ts';

export function InterpreterFlow({
	session,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
}) {
	const { t } = useI18n();
	const { client, snapshot, connection } = session;
	const [progress, updateProgress] = useProgress(snapshot.you.participantId);
	const [media] = useState(() => new LocalMedia({ camera: progress.camera, microphoneId: progress.microphoneId }));
	const screen = interpreterScreen(snapshot, progress);
	const mediaView = useLocalMedia(media, { autoStart: screen === 'device_check' || screen === 'waiting' || screen === 'call' });

	useEffect(
		() => media.onChange((next) => updateProgress({ camera: next.camera, microphoneId: next.microphoneId })),
		[media, updateProgress],
	);
	useEffect(() => {
		if (screen === 'end') media.stop();
	}, [media, screen]);
	useEffect(() => () => media.stop(), [media]);

	if (screen === 'consent') {
		return (
			<JoinFrame connection={connection}>
				<ConsentScreen
					participant="interpreter"
					purpose={snapshot.purpose}
					onAccept={async () => session.setSnapshot(await client.request('consent', { consentVersion: CONSENT_VERSION }))}
				/>
			</JoinFrame>
		);
	}

	if (screen === 'device_check') {
		return (
			<JoinFrame connection={connection}>
				<DeviceCheck
					heading={<ScreenHeading>{t('device.title')}</ScreenHeading>}
					media={mediaView}
					onContinue={() => updateProgress({ deviceChecked: true })}
					notice={
						snapshot.state === 'in_call' ? (
							<p className="status" data-tone="ok" role="status" data-testid="device-call-running">
								{t('interpreter.callRunning')}
							</p>
						) : null
					}
				/>
			</JoinFrame>
		);
	}

	if (screen === 'waiting') {
		return (
			<JoinFrame connection={connection}>
				<section className="applicant-panel" data-testid="interpreter-waiting">
					<ScreenHeading>{t('interpreter.waiting.title')}</ScreenHeading>
					<p role="status">{t('interpreter.waiting.body')}</p>
					<p>{t('waiting.keepOpen')}</p>
				</section>
			</JoinFrame>
		);
	}

	if (screen === 'call') {
		return (
			<InterpreterCall
				session={session}
				localMedia={media}
				media={mediaView}
				onLeft={() => {
					updateProgress({ left: true });
					// An interpreter who left cannot come back on this invitation: stop reconnecting.
					client.close();
				}}
			/>
		);
	}

	const ending = interpreterEnding(snapshot, progress) ?? 'ended';
	return (
		<JoinFrame>
			<section
				className="applicant-panel applicant-end"
				data-testid="end-screen"
				data-state={snapshot.state}
				data-ending={ending}
			>
				<ScreenHeading>{t(`interpreter.end.${ending}.title`)}</ScreenHeading>
				<p>{t(`interpreter.end.${ending}.body`)}</p>
				<p className="hint">{t('end.nothingKept')}</p>
				<p className="hint">{t('end.closePage')}</p>
			</section>
		</JoinFrame>
	);
}
