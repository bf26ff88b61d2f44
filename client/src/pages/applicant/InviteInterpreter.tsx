// For an applicant who needs an interpreter (a family member, for a deaf or mute applicant): makes a
// one-time link and offers to copy or share it. The link is kept in this tab only (the server hands
// it out once); a lost link is replaced by inviting again.
import { useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { LocalProgress } from '../participant/progress.ts';
import type { VerificationSession } from '../participant/useVerificationSession.ts';

export function InviteInterpreter({
	session,
	progress,
	updateProgress,
}: {
	session: VerificationSession & { snapshot: NonNullable<VerificationSession['snapshot']> };
	progress: LocalProgress;
	updateProgress: (patch: Partial<LocalProgress>) => void;
}) {
	const { t, describeError } = useI18n();
	const { snapshot, client } = session;
	const [busy, setBusy] = useState(false);
	const [feedback, setFeedback] = useState<string | undefined>();
	const [error, setError] = useState<string | undefined>();

	const interpreter = snapshot.interpreter;
	const present = snapshot.participants.find((participant) => participant.role === 'interpreter');
	const link =
		progress.interpreterLink &&
		interpreter?.invitationId === progress.interpreterLink.invitationId &&
		interpreter.status === 'invited' &&
		Date.parse(progress.interpreterLink.expiresAt) > Date.now()
			? progress.interpreterLink
			: undefined;

	async function invite() {
		setBusy(true);
		setError(undefined);
		try {
			const answer = await client.request('inviteInterpreter', {});
			// The snapshot's interpreter arrives with interpreterInvited; the tab keeps the link to show it again.
			updateProgress({ interpreterLink: { invitationId: answer.invitationId, url: answer.url, expiresAt: answer.expiresAt } });
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
		} finally {
			setBusy(false);
		}
	}

	async function copy(url: string) {
		try {
			await navigator.clipboard.writeText(url);
			setFeedback(t('invite.copied'));
		} catch {
			setFeedback(t('invite.copyFailed'));
		}
	}

	async function share(url: string) {
		try {
			await navigator.share({ title: t('invite.shareTitle'), text: t('invite.shareText'), url });
		} catch {
			// Closing the share sheet is not an error worth showing.
		}
	}

	return (
		<section className="applicant-invite" aria-labelledby="invite-title" data-testid="interpreter-invite">
			<h2 id="invite-title">{t('invite.title')}</h2>
			{present ? (
				<p data-testid="interpreter-present">
					{present.displayName ? t('invite.presentNamed', { name: present.displayName }) : t('invite.present')}
				</p>
			) : link ? (
				<>
					<p>{t('invite.sendLink', { until: new Date(link.expiresAt).toLocaleTimeString() })}</p>
					<label className="device-field">
						<span>{t('invite.linkLabel')}</span>
						<input
							readOnly
							value={link.url}
							onFocus={(event) => event.target.select()}
							data-testid="interpreter-link"
							className="applicant-link"
						/>
					</label>
					<div className="applicant-actions">
						<button type="button" onClick={() => void copy(link.url)} data-testid="interpreter-link-copy">
							{t('invite.copy')}
						</button>
						{typeof navigator.share === 'function' ? (
							<button type="button" className="applicant-secondary" onClick={() => void share(link.url)}>
								{t('invite.share')}
							</button>
						) : null}
						<button type="button" className="applicant-secondary" onClick={() => void invite()} disabled={busy}>
							{t('invite.newLink')}
						</button>
					</div>
					<p className="hint" role="status">
						{feedback}
					</p>
				</>
			) : (
				<>
					<p>{t('invite.explain')}</p>
					<button type="button" onClick={() => void invite()} disabled={busy} data-testid="invite-interpreter">
						{t('invite.button')}
					</button>
				</>
			)}
			{error ? (
				<p className="status" data-tone="error" role="alert">
					{error}
				</p>
			) : null}
		</section>
	);
}
