// Pieces both call screens (applicant and interpreter) are made of: the connection and media status
// with its retry and announcements, and another participant's picture and sound.
import type { Role } from '@vidverify/shared';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import { type CallMedia, trackOf } from '../../media/useCallMedia.ts';
import type { ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import { CallAnnouncer } from './CallAnnouncer.tsx';

export function CallStatus({
	client,
	connection,
	call,
	ownRole,
}: {
	client: VerificationClient;
	connection: ConnectionState;
	call: CallMedia;
	ownRole: Exclude<Role, 'agent'>;
}) {
	const { t } = useI18n();
	return (
		<>
			<ConnectionBanner connection={connection} media={call.state} failure={call.failure} />
			{call.state === 'failed' ? (
				<button type="button" onClick={call.retry} data-testid="media-retry">
					{t('error.retry')}
				</button>
			) : null}
			<CallAnnouncer client={client} ownRole={ownRole} />
		</>
	);
}

/** `of`: whose picture and sound (named so to stay clear of the ARIA role attribute). */
export function RemoteVideo({ call, of: role, large = false }: { call: CallMedia; of: Role; large?: boolean }) {
	const { t } = useI18n();
	return (
		<VideoTile
			label={t(`role.${role}`)}
			video={trackOf(call.remote, role, 'camera')}
			audio={trackOf(call.remote, role, 'microphone')}
			placeholder={t('video.waitingFor', { name: t(`role.${role}`) })}
			testId={`remote-video-${role}`}
			large={large}
		/>
	);
}
