// The agent's queue: the availability switch, the waiting verifications with their ticking waiting
// time and needs, which of them this agent may take and why not the others, "take next" and a per-row
// accept, and the outcome of the agent's last verification.
import type { AgentQueueView, QueueEntry, VerificationSnapshot } from '@vidverify/shared';
import { useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { reasonOf } from '../../signalling/request.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import type { AgentProfile } from './agentToken.ts';
import { useNow } from './format.ts';
import { formatDuration, ineligibilityOf, waitingSecondsNow } from './queue.ts';

export type ReceivedQueue = { view: AgentQueueView; receivedAt: number };

type Props = {
	client: VerificationClient;
	profile: AgentProfile;
	queue: ReceivedQueue;
	onQueue: (view: AgentQueueView) => void;
	onAccepted: (snapshot: VerificationSnapshot) => void;
};

export function QueueView({ client, profile, queue, onQueue, onAccepted }: Props) {
	const { t, describeError } = useI18n();
	const now = useNow(1000);
	const [busy, setBusy] = useState<'availability' | 'accept' | undefined>();
	// Kept as the error, not as text, so a language switch translates a message already on screen.
	const [error, setError] = useState<unknown>();
	const { view } = queue;
	const available = view.availability === 'available';
	const eligibleCount = view.items.filter((entry) => entry.eligible).length;
	const next = view.items.find((entry) => entry.next);

	async function toggleAvailability() {
		setBusy('availability');
		setError(undefined);
		try {
			onQueue(await client.request('setAvailability', { availability: available ? 'away' : 'available' }));
		} catch (caught) {
			setError(caught);
		} finally {
			setBusy(undefined);
		}
	}

	async function accept(verificationId?: string) {
		setBusy('accept');
		setError(undefined);
		try {
			onAccepted(await client.request('accept', verificationId ? { verificationId } : {}));
		} catch (caught) {
			setError(caught);
			// What is waiting has changed under us: show the current list.
			void client.request('getQueue', {}).then(onQueue, () => undefined);
		} finally {
			setBusy(undefined);
		}
	}

	return (
		<main className="agent-queue" data-testid="queue-view">
			<section className="agent-panel agent-availability" aria-labelledby="agent-availability-title">
				<h2 id="agent-availability-title" className="visually-hidden">
					{t('agent.availability.label')}
				</h2>
				<button
					type="button"
					role="switch"
					aria-checked={available}
					className="agent-switch"
					data-availability={view.availability}
					onClick={() => void toggleAvailability()}
					disabled={busy === 'availability'}
					data-testid="availability-toggle"
				>
					<span className="agent-switch-track" aria-hidden="true">
						<span className="agent-switch-thumb" />
					</span>
					<span>{t('agent.availability.label')}</span>
					<strong className="agent-switch-state">
						{available ? t('agent.availability.available') : t('agent.availability.away')}
					</strong>
				</button>
				<p className="hint">{available ? t('agent.availability.hintAvailable') : t('agent.availability.hintAway')}</p>
			</section>

			<section className="agent-panel" aria-labelledby="agent-queue-title">
				<div className="agent-panel-head">
					<h2 id="agent-queue-title">{t('agent.queue.title')}</h2>
					<p data-testid="queue-count">{t('agent.queue.count', { count: view.items.length, eligible: eligibleCount })}</p>
					<button
						type="button"
						onClick={() => void accept()}
						disabled={!available || !next || busy !== undefined}
						data-testid="accept-next"
					>
						{busy === 'accept' ? t('agent.queue.accepting') : t('agent.queue.takeNext')}
					</button>
				</div>
				{error !== undefined ? (
					<p className="status" data-tone="error" role="alert" data-testid="queue-error" data-reason={reasonOf(error).reason}>
						{describeError(error)}
					</p>
				) : null}
				{view.items.length === 0 ? (
					<p className="agent-empty" data-testid="queue-empty">
						{t('agent.queue.empty')}
					</p>
				) : (
					<table className="agent-queue-table">
						<thead>
							<tr>
								<th scope="col">{t('agent.queue.col.waiting')}</th>
								<th scope="col">{t('agent.queue.col.purpose')}</th>
								<th scope="col">{t('agent.queue.col.language')}</th>
								<th scope="col">{t('agent.queue.col.needs')}</th>
								<th scope="col">{t('agent.queue.col.action')}</th>
							</tr>
						</thead>
						<tbody>
							{view.items.map((entry) => (
								<QueueRow
									key={entry.verificationId}
									entry={entry}
									seconds={waitingSecondsNow(entry, queue.receivedAt, now)}
									profile={profile}
									canAccept={available && busy === undefined}
									onAccept={() => void accept(entry.verificationId)}
								/>
							))}
						</tbody>
					</table>
				)}
			</section>
		</main>
	);
}

function QueueRow({
	entry,
	seconds,
	profile,
	canAccept,
	onAccept,
}: {
	entry: QueueEntry;
	seconds: number;
	profile: AgentProfile;
	canAccept: boolean;
	onAccept: () => void;
}) {
	const { t, tm } = useI18n();
	const purpose = tm(`purpose.${entry.purpose}`);
	const language = t(`agent.locale.${entry.locale}`);
	const time = formatDuration(seconds);
	const needs = [
		entry.interpreterNeeded ? t('agent.queue.needs.interpreter') : undefined,
		entry.textOnlyChallenge ? t('agent.queue.needs.textOnly') : undefined,
	].filter((need): need is string => need !== undefined);
	const why = ineligibilityOf(entry, profile);
	return (
		<tr
			data-testid="queue-row"
			data-verification-id={entry.verificationId}
			data-eligible={entry.eligible}
			data-next={entry.next}
			className={entry.eligible ? undefined : 'agent-ineligible'}
		>
			<td>
				<time dateTime={`PT${seconds}S`} data-testid="queue-waiting" className="agent-tabular">
					{time}
				</time>
				{entry.next ? <span className="agent-badge agent-next">{t('agent.queue.next')}</span> : null}
			</td>
			<td>{purpose}</td>
			<td>{language}</td>
			<td>{needs.length > 0 ? needs.join(', ') : <span className="hint">{t('agent.queue.needs.none')}</span>}</td>
			<td>
				{why ? (
					<span className="agent-why" data-testid="queue-ineligible">
						{t(`agent.queue.ineligible.${why}`, { language })}
					</span>
				) : (
					<button
						type="button"
						className="agent-secondary"
						onClick={onAccept}
						disabled={!canAccept}
						aria-label={t('agent.queue.acceptLabel', { purpose, language })}
						data-testid="queue-accept"
					>
						{t('agent.queue.accept')}
					</button>
				)}
			</td>
		</tr>
	);
}
