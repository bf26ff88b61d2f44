// One verification in review as the reviewer reads it: the agent's decision, every step with its
// result and note, the document checks and their verdicts, the interpreter, the measured quality and
// what the record supports; then the reviewer's decision, held to the agent's rules by the server
// (whose refusal is shown as it says what to change). No picture or sound exists to show.
import {
	NOTE_EXPLAINED_REASONS,
	proposedReasons,
	REASON_CODE_INFO,
	type ReasonCode,
	type ReviewCase,
	type ReviewResponses,
} from '@vidverify/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { reasonOf } from '../../signalling/request.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { formatDateTime } from '../agent/format.ts';

type Choice = 'approve' | 'reject';

export function ReviewCasePanel({
	client,
	review,
	stillInReview,
	onBack,
	onDecided,
}: {
	client: VerificationClient;
	review: ReviewCase;
	/** False once the queue says it left review (another reviewer decided it). */
	stillInReview: boolean;
	onBack: () => void;
	onDecided: (result: ReviewResponses['decideReview']) => void;
}) {
	const { t, tm, locale, describeError } = useI18n();
	const time = (iso: string | null) => (iso ? formatDateTime(new Date(iso), locale) : '–');
	const heading = useRef<HTMLHeadingElement>(null);
	useEffect(() => heading.current?.focus(), []);
	const supported = proposedReasons(review.evidence).map((entry) => entry.code);
	const offered: ReasonCode[] = [...new Set<ReasonCode>([...supported, ...NOTE_EXPLAINED_REASONS])];
	const [choice, setChoice] = useState<Choice | undefined>();
	const [reasons, setReasons] = useState<ReasonCode[]>([]);
	const [note, setNote] = useState('');
	const [sending, setSending] = useState(false);
	const [problem, setProblem] = useState<string | undefined>();
	const [refusal, setRefusal] = useState<unknown>();
	const agent = review.agentDecision;

	const submit = async (event: FormEvent) => {
		event.preventDefault();
		setProblem(undefined);
		setRefusal(undefined);
		if (!choice) return setProblem(t('review.decide.chooseFirst'));
		if (choice === 'reject' && reasons.length === 0) return setProblem(t('review.decide.reasonFirst'));
		const trimmed = note.trim();
		setSending(true);
		try {
			const result = await client.request(
				'decideReview',
				choice === 'approve'
					? { verificationId: review.verificationId, decision: 'approve', ...(trimmed ? { note: trimmed } : {}) }
					: {
							verificationId: review.verificationId,
							decision: 'reject',
							reasonCodes: reasons,
							...(trimmed ? { note: trimmed } : {}),
						},
			);
			onDecided(result);
		} catch (caught) {
			setRefusal(caught);
		} finally {
			setSending(false);
		}
	};

	const toggle = (code: ReasonCode) =>
		setReasons((previous) => (previous.includes(code) ? previous.filter((other) => other !== code) : [...previous, code]));

	return (
		<main className="agent-queue" data-testid="review-case" data-verification-id={review.verificationId}>
			<section className="agent-panel" aria-labelledby="review-case-title">
				<div className="agent-panel-head">
					<h2 id="review-case-title" ref={heading} tabIndex={-1} className="agent-focus-target">
						{t('review.case.title', { id: review.verificationId })}
					</h2>
					<button type="button" className="agent-secondary" onClick={onBack} data-testid="review-back">
						{t('review.case.back')}
					</button>
				</div>
				<p>
					{t('review.case.facts', { purpose: tm(`purpose.${review.purpose}`), locale: review.locale, time: time(review.since) })}
				</p>
				<p className="hint">{t('review.case.noMedia')}</p>
				{stillInReview ? null : (
					<p className="status" data-tone="error" role="alert">
						{t('review.case.gone', { state: tm(`state.${review.state}`) })}
					</p>
				)}
			</section>

			<section className="agent-panel" aria-labelledby="review-agent-title" data-testid="review-agent-decision">
				<h3 id="review-agent-title">{t('review.agent.title')}</h3>
				<p>
					{t('review.agent.decision', {
						decision: t(`review.agent.decision.${agent.decision === 'approve' ? 'approve' : 'escalate'}`),
						name: agent.by.displayName,
						time: time(agent.at),
					})}
				</p>
				<p data-testid="review-agent-note">
					{agent.note ? t('review.agent.note', { note: agent.note }) : t('review.agent.noNote')}
				</p>
				{agent.applicantDocument ? <p>{t('review.agent.document', { check: agent.applicantDocument })}</p> : null}
			</section>

			<section className="agent-panel" aria-labelledby="review-steps-title">
				<h3 id="review-steps-title">{t('review.steps.title')}</h3>
				<ol data-testid="review-steps">
					{review.steps.map((step) => (
						<li key={step.id} data-testid={`review-step-${step.id}`} data-status={step.status}>
							<strong>{t(`agent.step.title.${step.id}`)}</strong> (
							{step.required ? t('review.steps.required') : t('review.steps.optional')}) ·{' '}
							{t('review.steps.status', { status: t(`agent.step.status.${step.status}`) })}
							{step.markedAt ? ` · ${t('review.steps.marked', { time: time(step.markedAt) })}` : ''}
							{step.note ? <p>{t('review.steps.note', { note: step.note })}</p> : null}
							{step.securityFeatures?.length ? (
								<p>
									{t('review.steps.features', {
										features: step.securityFeatures.map((pick) => tm(`securityFeature.${pick.featureId}.label`)).join(', '),
									})}
								</p>
							) : null}
						</li>
					))}
				</ol>
			</section>

			<section className="agent-panel" aria-labelledby="review-checks-title">
				<h3 id="review-checks-title">{t('review.checks.title')}</h3>
				{review.documentChecks.length === 0 ? <p>{t('review.checks.none')}</p> : null}
				<ul data-testid="review-checks">
					{review.documentChecks.map((check) => (
						<li key={check.check}>
							{t('review.checks.entry', {
								check: check.check,
								type: t(`agent.document.type.${check.documentType}`),
								result: check.duplicate ? t('review.checks.duplicate') : t('review.checks.clear'),
							})}
							{check.mrz ? (
								<p>
									{t('review.checks.mrz', {
										digits: t(`review.checks.mrz.${check.mrz.checkDigits}`),
										expiry: check.mrz.expired ? t('review.checks.mrz.expired') : t('review.checks.mrz.notExpired'),
										match:
											check.mrz.matchesDeclaration === null
												? t('review.checks.mrz.nothing')
												: check.mrz.matchesDeclaration
													? t('review.checks.mrz.matches')
													: t('review.checks.mrz.differs'),
									})}
								</p>
							) : null}
						</li>
					))}
				</ul>
				{review.earlierRecord ? (
					<p>
						{t('review.checks.earlier', {
							id: review.earlierRecord.verificationId,
							state: tm(`state.${review.earlierRecord.state}`),
							time: time(review.earlierRecord.decidedAt),
						})}
					</p>
				) : null}
			</section>

			{review.interpreter ? (
				<section className="agent-panel" aria-labelledby="review-interpreter-title" data-testid="review-interpreter">
					<h3 id="review-interpreter-title">{t('review.interpreter.title')}</h3>
					<p>
						{review.interpreter.fullName && review.interpreter.relation
							? t('review.interpreter.declared', {
									name: review.interpreter.fullName,
									relation: tm(`relation.${review.interpreter.relation}`),
								})
							: t('review.interpreter.undeclared')}
					</p>
					{review.interpreter.consent ? (
						<p>{t('review.interpreter.consent', { time: time(review.interpreter.consent.at) })}</p>
					) : null}
					{review.interpreter.removed ? <p>{t('review.interpreter.removed')}</p> : null}
				</section>
			) : null}

			<section className="agent-panel" aria-labelledby="review-quality-title" data-testid="review-quality">
				<h3 id="review-quality-title">{t('review.quality.title')}</h3>
				{review.callQuality && review.callQuality.participants.length > 0 ? (
					<ul>
						{review.callQuality.participants.map((participant) => (
							<li key={participant.participantId}>
								{t('review.quality.entry', {
									role: tm(`role.${participant.role}`),
									kbps: participant.averageVideoKbps ?? t('review.quality.unknown'),
									loss: participant.worstPacketLossPercent ?? t('review.quality.unknown'),
									rtt: participant.averageRoundTripMs ?? t('review.quality.unknown'),
								})}
							</li>
						))}
					</ul>
				) : (
					<p>{t('review.quality.none')}</p>
				)}
			</section>

			<section className="agent-panel" aria-labelledby="review-evidence-title">
				<h3 id="review-evidence-title">{t('review.evidence.title')}</h3>
				<p data-testid="review-supported">
					{supported.length > 0
						? supported.map((code) => tm(REASON_CODE_INFO[code].labelKey)).join('; ')
						: t('review.evidence.none')}
				</p>
				{review.evidence.applicantGone ? <p>{t('review.evidence.applicantGone')}</p> : null}
			</section>

			<form
				className="agent-panel"
				aria-labelledby="review-decide-title"
				onSubmit={(event) => void submit(event)}
				data-testid="review-form"
			>
				<h3 id="review-decide-title">{t('review.decide.title')}</h3>
				<fieldset>
					<legend className="visually-hidden">{t('review.decide.title')}</legend>
					{(['approve', 'reject'] as const).map((option) => (
						<label key={option}>
							<input
								type="radio"
								name="review-decision"
								value={option}
								checked={choice === option}
								onChange={() => setChoice(option)}
								data-testid={`review-decision-${option}`}
							/>{' '}
							{t(`review.decide.${option}`)}
						</label>
					))}
				</fieldset>
				{choice === 'reject' ? (
					<fieldset data-testid="review-reasons">
						<legend>{t('review.decide.reasons')}</legend>
						{offered.map((code) => (
							<label key={code}>
								<input
									type="checkbox"
									checked={reasons.includes(code)}
									onChange={() => toggle(code)}
									data-testid={`review-reason-${code}`}
								/>{' '}
								{tm(REASON_CODE_INFO[code].labelKey)}{' '}
								<span className="hint">
									({supported.includes(code) ? t('review.decide.proposed') : t('review.decide.noteOnly')})
								</span>
							</label>
						))}
					</fieldset>
				) : null}
				<label>
					<span>{t('review.decide.note')}</span>
					<textarea
						value={note}
						onChange={(event) => setNote(event.target.value)}
						maxLength={2000}
						rows={3}
						data-testid="review-note"
					/>
				</label>
				{problem ? (
					<p className="status" data-tone="error" role="alert" data-testid="review-problem">
						{problem}
					</p>
				) : null}
				{refusal !== undefined ? (
					<p
						className="status"
						data-tone="error"
						role="alert"
						data-testid="review-refused"
						data-reason={reasonOf(refusal).reason}
					>
						{t('review.decide.refused', { reason: describeError(refusal) })}
					</p>
				) : null}
				{sending ? (
					<p className="hint" role="status">
						{t('review.decide.sending')}
					</p>
				) : null}
				<button type="submit" disabled={sending || !choice} data-testid="review-confirm">
					{choice === 'reject' ? t('review.decide.confirm.reject') : t('review.decide.confirm.approve')}
				</button>
			</form>
		</main>
	);
}
