// The call on a phone, on one screen: what to do (the prompt) at the top, the participant's own picture
// in the middle — with a card-shaped frame to fit the ID in during document steps — the others' pictures
// as small tiles over it, and the controls at the bottom; the chat opens as a sheet over the screen.
// Applicant and interpreter share it; wider screens keep the side-by-side layout.

import type { ReactNode } from 'react';
import { useEffect, useId, useState } from 'react';
import { ChatPanel } from '../../components/ChatPanel.tsx';
import { DeviceCheckPicker } from '../../components/DeviceCheckPicker.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalMediaView } from '../../media/deviceCheck/useLocalMedia.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { OwnPicture } from './OwnCameraPanel.tsx';
import { ScreenHeading } from './ScreenHeading.tsx';

/** Where the call switches to the one-screen layout; the stylesheet's phone breakpoint is the same. */
export const PHONE_QUERY = '(max-width: 48rem)';

const phoneQuery = () => globalThis.matchMedia?.(PHONE_QUERY);

/** Whether the screen is phone-sized now; follows rotation and window resizes. */
export function useNarrowScreen(): boolean {
	const [narrow, setNarrow] = useState(() => phoneQuery()?.matches ?? false);
	useEffect(() => {
		const list = phoneQuery();
		if (!list) return;
		const onChange = () => setNarrow(list.matches);
		onChange();
		list.addEventListener('change', onChange);
		return () => list.removeEventListener('change', onChange);
	}, []);
	return narrow;
}

/**
 * The whole call screen on a phone: `top` is what the participant must read or answer (prompt,
 * challenge, declaration), `others` the other participants' tiles, `after` what may scroll below.
 */
export function PhoneCallScreen(props: {
	title: string;
	top: ReactNode;
	media: LocalMediaView;
	guide: boolean;
	others: ReactNode;
	client: VerificationClient;
	ownParticipantId: string;
	mediaState: string;
	leave: ReactNode;
	after?: ReactNode;
}) {
	return (
		<div className="phone-call" data-testid="call-screen" data-media-state={props.mediaState} data-layout="phone">
			<ScreenHeading>{props.title}</ScreenHeading>
			{props.top}
			<CallStage media={props.media} guide={props.guide} others={props.others} />
			<div className="phone-call-controls" data-testid="phone-controls">
				<DeviceCheckPicker media={props.media} microphones={false} />
				<ChatSheet client={props.client} ownParticipantId={props.ownParticipantId} />
				{props.leave}
			</div>
			{props.after}
		</div>
	);
}

/** The own picture filling the middle of the screen, with the others' pictures laid over its corner. */
export function CallStage({ media, guide, others }: { media: LocalMediaView; guide: boolean; others: ReactNode }) {
	const { t } = useI18n();
	return (
		<section className="phone-stage" aria-label={t('call.yourCamera')} data-testid="phone-stage">
			<OwnPicture media={media} guide={guide} />
			<div className="phone-stage-others">{others}</div>
		</section>
	);
}

/** A button that opens the call's chat as a sheet; the chat stays mounted, so nothing said is lost while closed. */
export function ChatSheet({ client, ownParticipantId }: { client: VerificationClient; ownParticipantId: string }) {
	const { t } = useI18n();
	const [open, setOpen] = useState(false);
	const [unread, setUnread] = useState(0);
	const sheetId = useId();

	useEffect(
		() =>
			client.on('chatMessageSent', (message) => {
				if (message.from.participantId !== ownParticipantId) setUnread((count) => count + 1);
			}),
		[client, ownParticipantId],
	);
	useEffect(() => {
		if (open) setUnread(0);
	}, [open]);
	useEffect(() => {
		if (!open) return;
		const onKey = (event: KeyboardEvent) => {
			if (event.key === 'Escape') setOpen(false);
		};
		window.addEventListener('keydown', onKey);
		return () => window.removeEventListener('keydown', onKey);
	}, [open]);

	return (
		<>
			<button
				type="button"
				className="applicant-secondary"
				aria-expanded={open}
				aria-controls={sheetId}
				onClick={() => setOpen((value) => !value)}
				data-testid="chat-toggle"
			>
				{open ? t('call.chat.close') : unread > 0 ? t('call.chat.openUnread', { count: unread }) : t('call.chat.open')}
			</button>
			<div id={sheetId} className="phone-chat-sheet" data-open={open} hidden={!open} data-testid="chat-sheet">
				<ChatPanel client={client} ownParticipantId={ownParticipantId} />
				<button type="button" className="applicant-secondary" onClick={() => setOpen(false)} data-testid="chat-sheet-close">
					{t('call.chat.close')}
				</button>
			</div>
		</>
	);
}
