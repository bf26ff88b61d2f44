// Says plainly when the signalling or the media connection is not healthy, and announces it to
// screen readers; shows nothing while all is well.
import { useI18n } from '../i18n/useI18n.ts';
import type { MediaState } from '../media/CallConnection.ts';
import type { ConnectionState } from '../signalling/VerificationClient.ts';

export function ConnectionBanner({
	connection,
	media,
	failure,
}: {
	connection: ConnectionState;
	media?: MediaState;
	/** Why the media failed; shown by its translated reason. */
	failure?: unknown;
}) {
	const { t, describeError } = useI18n();
	let text: string | undefined;
	let tone: 'info' | 'error' = 'info';
	if (connection === 'connecting') text = t('connection.connecting');
	else if (connection === 'reconnecting') text = t('connection.reconnecting');
	else if (connection === 'refused') {
		text = t('connection.refused');
		tone = 'error';
	} else if (connection === 'closed') {
		text = t('connection.closed');
		tone = 'error';
	} else if (connection === 'replaced') {
		text = t('connection.replaced');
		tone = 'error';
	} else if (connection === 'signedOut') {
		text = t('connection.signedOut');
		tone = 'error';
	} else if (media === 'reconnecting') text = t('media.reconnecting');
	else if (media === 'failed') {
		text = t('media.failed', { reason: describeError(failure) });
		tone = 'error';
	}
	return (
		<div
			className="connection-banner"
			role="status"
			aria-live="assertive"
			data-testid="connection-banner"
			data-state={connection}
		>
			{text ? (
				<p className="status" data-tone={tone}>
					{text}
				</p>
			) : null}
		</div>
	);
}
