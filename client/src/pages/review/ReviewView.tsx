// The reviewer's view of the agent console (a token with the review permission): the queue of
// verifications in review, kept current by `reviewQueueChanged`, one case's recorded evidence, and the
// reviewer's decision. Everything shown comes from the server; refusals (the reviewer's own call,
// another reviewer first) are shown in the reviewer's language where they can act on them.
import type { ReviewCase, ReviewQueueEntry, ReviewResponses } from '@vidverify/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { reasonOf } from '../../signalling/request.ts';
import type { ConnectionState, VerificationClient } from '../../signalling/VerificationClient.ts';
import type { AgentProfile } from '../agent/agentToken.ts';
import { formatDateTime } from '../agent/format.ts';
import { ReviewCasePanel } from './ReviewCasePanel.tsx';
import { withEntry } from './reviewQueue.ts';

type Opened =
	| { kind: 'loading'; verificationId: string }
	| { kind: 'shown'; review: ReviewCase }
	| { kind: 'failed'; verificationId: string; error: unknown };

export function ReviewView({
	client,
	connection,
	profile,
	announce,
}: {
	client: VerificationClient;
	connection: ConnectionState;
	profile: AgentProfile;
	announce: (text: string) => void;
}) {
	const { t, tm, locale, describeError } = useI18n();
	const [items, setItems] = useState<ReviewQueueEntry[] | undefined>();
	const [total, setTotal] = useState(0);
	const [error, setError] = useState<unknown>();
	const [opened, setOpened] = useState<Opened | undefined>();
	const [decided, setDecided] = useState<ReviewResponses['decideReview'] | undefined>();
	const heading = useRef<HTMLHeadingElement>(null);

	const load = useCallback(async () => {
		try {
			const queue = await client.request('getReviewQueue', {});
			setItems(queue.items);
			setTotal(queue.total);
			setError(undefined);
		} catch (caught) {
			setError(caught);
		}
	}, [client]);

	useEffect(() => {
		if (connection === 'connected') void load();
	}, [connection, load]);

	useEffect(
		() =>
			client.on('reviewQueueChanged', ({ verificationId, entry }) => {
				setItems((previous) => (previous ? withEntry(previous, verificationId, entry) : previous));
				setTotal((previous) => Math.max(0, previous + (entry ? 1 : -1)));
			}),
		[client],
	);

	const open = async (verificationId: string) => {
		setDecided(undefined);
		setOpened({ kind: 'loading', verificationId });
		try {
			setOpened({ kind: 'shown', review: await client.request('getReviewCase', { verificationId }) });
		} catch (caught) {
			setOpened({ kind: 'failed', verificationId, error: caught });
		}
	};

	const back = () => {
		setOpened(undefined);
		void load();
	};

	const onDecided = (result: ReviewResponses['decideReview']) => {
		setDecided(result);
		setOpened(undefined);
		announce(t('review.decide.done', { id: result.verificationId, state: tm(`state.${result.state}`) }));
		void load();
	};

	useEffect(() => {
		if (!opened) heading.current?.focus();
	}, [opened]);

	if (opened?.kind === 'shown') {
		const stillInQueue = items?.some((item) => item.verificationId === opened.review.verificationId) ?? true;
		return (
			<ReviewCasePanel client={client} review={opened.review} stillInReview={stillInQueue} onBack={back} onDecided={onDecided} />
		);
	}

	return (
		<main className="agent-queue" data-testid="review-view">
			{decided ? (
				<p className="status" data-tone="ok" role="status" data-testid="review-result" data-state={decided.state}>
					{t('review.decide.done', { id: decided.verificationId, state: tm(`state.${decided.state}`) })}
				</p>
			) : null}
			{opened?.kind === 'failed' ? (
				<p
					className="status"
					data-tone="error"
					role="alert"
					data-testid="review-case-error"
					data-reason={reasonOf(opened.error).reason}
				>
					{t('review.case.error', { reason: describeError(opened.error) })}
				</p>
			) : null}
			<section className="agent-panel" aria-labelledby="review-queue-title">
				<div className="agent-panel-head">
					<h2 id="review-queue-title" ref={heading} tabIndex={-1} className="agent-focus-target">
						{t('review.queue.title')}
					</h2>
					{items ? (
						<p className="hint" role="status" data-testid="review-count">
							{t('review.queue.count', { count: total })}
						</p>
					) : null}
				</div>
				{error !== undefined ? (
					<p className="status" data-tone="error" role="alert" data-testid="review-queue-error">
						{t('review.queue.error', { reason: describeError(error) })}
					</p>
				) : null}
				{items === undefined && error === undefined ? <p className="hint">{t('review.queue.loading')}</p> : null}
				{items && items.length === 0 ? (
					<p className="agent-empty" data-testid="review-empty">
						{t('review.queue.empty')}
					</p>
				) : null}
				{items && items.length > 0 ? (
					<ul className="agent-queue-list" data-testid="review-queue">
						{items.map((entry) => {
							const ownCall = entry.agent.agentId === profile.agentId;
							return (
								<li
									key={entry.verificationId}
									className="agent-queue-row"
									data-testid="review-row"
									data-verification-id={entry.verificationId}
									data-own-call={ownCall}
								>
									<div>
										<strong>{tm(`purpose.${entry.purpose}`)}</strong>
										<p>{t(`review.queue.decision.${entry.agentDecision}`)}</p>
										<p className="hint">
											{t('review.queue.by', { name: entry.agent.displayName })} ·{' '}
											{t('review.queue.since', { time: formatDateTime(new Date(entry.since), locale) })}
											{entry.interpreter ? ` · ${t('review.queue.interpreter')}` : ''}
										</p>
										{ownCall ? <p className="hint">{t('review.queue.ownCall')}</p> : null}
									</div>
									<button
										type="button"
										onClick={() => void open(entry.verificationId)}
										disabled={opened?.kind === 'loading'}
										aria-label={t('review.queue.openLabel', { id: entry.verificationId })}
										data-testid="review-open"
									>
										{t('review.queue.open')}
									</button>
								</li>
							);
						})}
					</ul>
				) : null}
				{opened?.kind === 'loading' ? (
					<p className="hint" role="status">
						{t('review.case.loading')}
					</p>
				) : null}
			</section>
		</main>
	);
}
