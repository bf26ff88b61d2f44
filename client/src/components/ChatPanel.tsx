// Text chat for the call: essential for deaf or mute applicants. Messages live only in this page.
import type { VerificationNotifications } from '@vidverify/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../i18n/useI18n.ts';
import type { VerificationClient } from '../signalling/VerificationClient.ts';

/** A received message with a number of this page's own, to key the list. */
type Message = VerificationNotifications['chatMessageSent'] & { sequence: number };

export function ChatPanel({ client, ownParticipantId }: { client: VerificationClient; ownParticipantId: string }) {
	const { t, describeError } = useI18n();
	const [messages, setMessages] = useState<Message[]>([]);
	const [draft, setDraft] = useState('');
	const [error, setError] = useState<string | undefined>();

	useEffect(
		() =>
			client.on('chatMessageSent', (message) =>
				setMessages((previous) => [...previous, { ...message, sequence: (previous.at(-1)?.sequence ?? 0) + 1 }]),
			),
		[client],
	);

	async function send(event: FormEvent) {
		event.preventDefault();
		const text = draft.trim();
		if (!text) return;
		try {
			await client.request('sendChat', { text });
			setDraft('');
			setError(undefined);
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
		}
	}

	return (
		<section className="chat" aria-labelledby="chat-title">
			<h2 id="chat-title">{t('chat.title')}</h2>
			<ol className="chat-messages" aria-live="polite" data-testid="chat-messages">
				{messages.length === 0 ? <li className="chat-empty">{t('chat.empty')}</li> : null}
				{messages.map((message) => (
					<li key={message.sequence} data-own={message.from.participantId === ownParticipantId}>
						<strong>{t(`role.${message.from.role}`)}:</strong> {message.text}
					</li>
				))}
			</ol>
			<form onSubmit={(event) => void send(event)}>
				<label htmlFor="chat-input" className="visually-hidden">
					{t('chat.placeholder')}
				</label>
				<input
					id="chat-input"
					value={draft}
					onChange={(event) => setDraft(event.target.value)}
					placeholder={t('chat.placeholder')}
					maxLength={1000}
				/>
				<button type="submit">{t('chat.send')}</button>
			</form>
			{error ? (
				<p className="status" data-tone="error" role="alert">
					{error}
				</p>
			) : null}
			<p className="hint">{t('chat.notStored')}</p>
		</section>
	);
}
