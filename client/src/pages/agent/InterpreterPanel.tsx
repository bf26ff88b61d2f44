// The interpreter in the call: invite one (a one-time link the applicant also sees), see who they
// declared themselves to be, and remove them, after a second confirming press, when they must go.
import { RELATION_LABEL_KEYS } from '@vidverify/shared';
import { useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import type { CallState } from './callState.ts';
import { formatClock } from './format.ts';

type Invitation = { url: string; expiresAt: string; invitationId: string };

export function InterpreterPanel({ client, call }: { client: VerificationClient; call: CallState }) {
	const { t, tm, locale, describeError } = useI18n();
	const [invitation, setInvitation] = useState<Invitation | undefined>();
	const [busy, setBusy] = useState(false);
	const [confirmingRemoval, setConfirmingRemoval] = useState(false);
	const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();
	const { snapshot } = call;
	const interpreter = snapshot.interpreter;
	// One who left or was removed is gone: the agent may invite again.
	const present = interpreter !== null && (interpreter.status === 'invited' || interpreter.status === 'joined');
	const joined = interpreter?.status === 'joined';
	const participant = snapshot.participants.find((candidate) => candidate.role === 'interpreter');
	const shownInvitation =
		present && invitation?.invitationId === interpreter.invitationId && interpreter.status === 'invited' ? invitation : undefined;

	async function invite() {
		setBusy(true);
		setMessage(undefined);
		try {
			const answer = await client.request('inviteInterpreter', {});
			// The snapshot's interpreter arrives with interpreterInvited; the link is only in this answer.
			setInvitation(answer);
		} catch (error) {
			setMessage({ tone: 'error', text: t('agent.step.error', { reason: describeError(error) }) });
		} finally {
			setBusy(false);
		}
	}

	async function remove() {
		setBusy(true);
		setMessage(undefined);
		try {
			await client.request('removeInterpreter', {});
			setConfirmingRemoval(false);
			setMessage({ tone: 'ok', text: t('agent.interpreter.removed') });
		} catch (error) {
			setMessage({ tone: 'error', text: t('agent.step.error', { reason: describeError(error) }) });
		} finally {
			setBusy(false);
		}
	}

	async function copy(url: string) {
		try {
			await navigator.clipboard.writeText(url);
			setMessage({ tone: 'ok', text: t('agent.interpreter.copied') });
		} catch {
			setMessage({ tone: 'error', text: t('agent.interpreter.copyFailed') });
		}
	}

	let status: string;
	if (!present) status = t('agent.interpreter.none');
	else if (!joined) status = t('agent.interpreter.invited', { time: formatClock(interpreter.expiresAt, locale) });
	else if (participant?.connected ?? interpreter.connected) status = t('agent.interpreter.inCall');
	else status = t('agent.interpreter.notConnected');

	return (
		<section className="agent-panel" aria-labelledby="agent-interpreter-title" data-testid="interpreter-panel">
			<h2 id="agent-interpreter-title">{t('agent.interpreter.title')}</h2>
			{snapshot.accessibility.interpreter ? <p className="hint">{t('agent.interpreter.requested')}</p> : null}
			<p data-testid="interpreter-status" data-present={present} data-joined={present ? joined : undefined}>
				{status}
			</p>
			{joined ? (
				<p data-testid="interpreter-declaration">
					{interpreter.declaration
						? t('agent.interpreter.declared', {
								name: interpreter.declaration.fullName,
								relation: tm(RELATION_LABEL_KEYS[interpreter.declaration.relation]),
							})
						: t('agent.interpreter.notDeclared')}
				</p>
			) : null}
			{shownInvitation ? (
				<div className="agent-invitation">
					<label>
						<span>{t('agent.interpreter.link', { time: formatClock(shownInvitation.expiresAt, locale) })}</span>
						<input
							readOnly
							value={shownInvitation.url}
							data-testid="interpreter-link"
							onFocus={(event) => event.target.select()}
						/>
					</label>
					<button type="button" className="agent-secondary" onClick={() => void copy(shownInvitation.url)}>
						{t('agent.interpreter.copy')}
					</button>
					<p className="hint">{t('agent.interpreter.linkHint')}</p>
				</div>
			) : null}
			<div className="agent-row">
				{!present ? (
					<button type="button" onClick={() => void invite()} disabled={busy} data-testid="interpreter-invite">
						{busy ? t('agent.interpreter.inviting') : t('agent.interpreter.invite')}
					</button>
				) : confirmingRemoval ? (
					<>
						<p className="agent-warning" id="agent-remove-question">
							{t('agent.interpreter.removeQuestion')}
						</p>
						<button
							type="button"
							className="agent-fail"
							onClick={() => void remove()}
							disabled={busy}
							aria-describedby="agent-remove-question"
							data-testid="interpreter-remove-confirm"
						>
							{t('agent.interpreter.removeConfirm')}
						</button>
						<button type="button" className="agent-secondary" onClick={() => setConfirmingRemoval(false)} disabled={busy}>
							{t('agent.interpreter.removeCancel')}
						</button>
					</>
				) : (
					<button
						type="button"
						className="agent-secondary"
						onClick={() => setConfirmingRemoval(true)}
						disabled={busy}
						data-testid="interpreter-remove"
					>
						{t('agent.interpreter.remove')}
					</button>
				)}
			</div>
			{message ? (
				<p className="status" data-tone={message.tone} role={message.tone === 'error' ? 'alert' : 'status'}>
					{message.text}
				</p>
			) : null}
		</section>
	);
}
