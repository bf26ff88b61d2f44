// Tells screen reader users, politely, who came and went in the call; the screen shows it in the
// video tiles, which a blind interpreter or applicant cannot see.
import type { Role } from '@vidverify/shared';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export function CallAnnouncer({ client, ownRole }: { client: VerificationClient; ownRole: Role }) {
	const { t } = useI18n();
	const [message, setMessage] = useState('');
	useEffect(() => {
		const name = (role: Role) => t(`role.${role}`);
		const offs = [
			client.on('participantJoined', ({ participant }) => {
				if (participant.role !== ownRole) setMessage(t('announce.joined', { role: name(participant.role) }));
			}),
			client.on('participantReconnecting', ({ role }) => {
				if (role !== ownRole) setMessage(t('announce.reconnecting', { role: name(role) }));
			}),
			client.on('participantLeft', ({ role }) => {
				if (role !== ownRole) setMessage(t('announce.left', { role: name(role) }));
			}),
		];
		return () => {
			for (const off of offs) off();
		};
	}, [client, ownRole, t]);
	return (
		<p className="visually-hidden" role="status" aria-live="polite" data-testid="call-announcement">
			{message}
		</p>
	);
}
