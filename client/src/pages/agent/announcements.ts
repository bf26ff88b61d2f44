// What a screen reader hears when something happens in the agent's call: one short sentence per
// notification worth interrupting for, or nothing.
import type { I18n } from '../../i18n/useI18n.ts';
import type { CallEvent, CallState } from './callState.ts';
import { formatClock } from './format.ts';

type Text = Pick<I18n, 't' | 'tm' | 'locale'>;

/** The sentence a screen reader hears for a call notification, if any. */
export function announcementFor(event: CallEvent, call: CallState | undefined, { t, tm, locale }: Text): string | undefined {
	const own = call?.snapshot.you.participantId;
	switch (event.name) {
		case 'stepPrompted':
			return t('agent.step.announce.prompted', { step: t(`agent.step.title.${event.payload.step.id}`) });
		case 'stepMarked':
			return t('agent.step.announce.marked', {
				step: t(`agent.step.title.${event.payload.step.id}`),
				status: t(`agent.step.status.${event.payload.step.status}`),
			});
		case 'challengeAnswered':
			return event.payload.matched ? t('agent.step.announce.typedMatched') : t('agent.step.announce.typedMismatch');
		case 'participantJoined': {
			const { participant, resumed } = event.payload;
			if (participant.participantId === own) return undefined;
			return t(resumed ? 'agent.call.announce.resumed' : 'agent.call.announce.joined', { role: t(`role.${participant.role}`) });
		}
		case 'participantLeft':
			if (event.payload.participantId === own) return undefined;
			return t(event.payload.reason === 'connection_lost' ? 'agent.call.announce.lost' : 'agent.call.announce.left', {
				role: t(`role.${event.payload.role}`),
			});
		case 'participantReconnecting':
			if (event.payload.participantId === own) return undefined;
			return t('agent.call.announce.reconnecting', {
				role: t(`role.${event.payload.role}`),
				time: formatClock(event.payload.graceEndsAt, locale),
			});
		case 'interpreterInvited':
			return t('agent.interpreter.announce.invited');
		case 'interpreterDeclared':
			return t('agent.interpreter.announce.declared', {
				name: event.payload.fullName,
				relation: tm(`relation.${event.payload.relation}`),
			});
		case 'interpreterRemoved':
			return t('agent.interpreter.announce.removed');
		default:
			return undefined;
	}
}
