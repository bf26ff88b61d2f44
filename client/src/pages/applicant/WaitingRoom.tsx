// Waiting for an agent: the place in the queue and the estimated wait (announced politely when they
// change), the own camera kept ready (and already connected to the call's media server, which the
// screen says plainly, with the fact that nobody sees it before an agent takes the call), the
// interpreter invitation when one is wanted, and leaving.
import type { VerificationSnapshot } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import type { MediaState } from '../../media/CallConnection.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import { LeaveControl } from '../participant/LeaveControl.tsx';
import { OwnPicture } from '../participant/OwnCameraPanel.tsx';
import type { LocalProgress } from '../participant/progress.ts';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import type { VerificationSession } from '../participant/useVerificationSession.ts';
import { InviteInterpreter } from './InviteInterpreter.tsx';

/** The verification asks for an interpreter, or one was invited anyway (the agent may invite one). */
export function wantsInterpreter(snapshot: VerificationSnapshot): boolean {
	return snapshot.accessibility.interpreter || (snapshot.interpreter !== null && snapshot.interpreter.status !== 'removed');
}

export function waitMinutes(seconds: number): number {
	return Math.max(1, Math.ceil(seconds / 60));
}

export function WaitingRoom({
	session,
	media,
	callMedia,
	progress,
	updateProgress,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
	media: LocalMediaView;
	/** The pre-connected call media's state: connected while waiting, forwarded to no one. */
	callMedia: MediaState;
	progress: LocalProgress;
	updateProgress: (patch: Partial<LocalProgress>) => void;
}) {
	const { t, tm } = useI18n();
	const { snapshot, client } = session;
	const queue = snapshot.queue;

	return (
		<section className="applicant-panel" data-testid="waiting-room">
			<ScreenHeading>{t('waiting.title')}</ScreenHeading>
			<div className="applicant-queue" role="status" aria-live="polite" aria-atomic="true">
				{queue ? (
					<>
						<p className="applicant-queue-position" data-testid="queue-position" data-position={queue.position}>
							{tm('queue.position', { position: queue.position })}
						</p>
						<p data-testid="queue-wait" data-seconds={queue.estimatedWaitSeconds}>
							{queue.estimatedWaitSeconds === 0
								? t('waiting.soon')
								: tm('queue.estimatedWait', { minutes: waitMinutes(queue.estimatedWaitSeconds) })}
						</p>
					</>
				) : (
					<p data-testid="queue-position">{t('waiting.joining')}</p>
				)}
			</div>
			<p>{t('waiting.keepOpen')}</p>
			<div className="applicant-waiting-grid">
				<div>
					<h2>{t('waiting.prepareHeading')}</h2>
					<ul>
						<li>{t('waiting.prepare.document')}</li>
						<li>{t('waiting.prepare.light')}</li>
						<li>{t('waiting.prepare.quiet')}</li>
					</ul>
					<OwnPicture media={media} />
					<p
						className="status"
						data-tone={callMedia === 'connected' ? 'ok' : undefined}
						data-testid="waiting-media"
						data-media-state={callMedia}
					>
						{callMedia === 'connected'
							? t('waiting.media.connected')
							: callMedia === 'failed'
								? t('waiting.media.later')
								: t('waiting.media.connecting')}
					</p>
				</div>
				{wantsInterpreter(snapshot) ? (
					<InviteInterpreter session={session} progress={progress} updateProgress={updateProgress} />
				) : null}
			</div>
			<div className="applicant-actions">
				<LeaveControl
					testId="leave-queue"
					texts={{
						button: 'waiting.leave',
						title: 'waiting.leaveConfirm.title',
						body: 'waiting.leaveConfirm.body',
						yes: 'waiting.leaveConfirm.yes',
						no: 'waiting.leaveConfirm.no',
					}}
					onLeave={async () => session.setSnapshot(await client.request('cancel', {}))}
				/>
			</div>
		</section>
	);
}
