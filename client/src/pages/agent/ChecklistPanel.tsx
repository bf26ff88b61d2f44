// The checklist of the call: each step with what the applicant (or interpreter) is shown, what the
// agent should check, the step's own material (the random security features, the expected number
// and, in text-only calls, whether the typed answer matched, the interpreter's declaration) and the
// controls to prompt it and mark it passed or failed with a note.
import { findSecurityFeature, RELATION_LABEL_KEYS, type StepView, type VerificationRequestPayload } from '@vidverify/shared';
import { useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { SnapshotAnswer } from '../../session/snapshotReducer.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { type CallState, challengeSecondsLeft } from './callState.ts';

type Props = {
	client: VerificationClient;
	call: CallState;
	now: number;
	apply: (answer: SnapshotAnswer) => void;
};

export function ChecklistPanel({ client, call, now, apply }: Props) {
	const { t } = useI18n();
	const { checklist } = call.snapshot;
	const required = checklist.filter((step) => step.required && step.status !== 'not_applicable');
	const passed = required.filter((step) => step.status === 'passed').length;
	return (
		<section className="agent-panel agent-checklist" aria-labelledby="agent-checklist-title" data-testid="checklist">
			<div className="agent-panel-head">
				<h2 id="agent-checklist-title">{t('agent.checklist.title')}</h2>
				<p className="agent-progress" data-testid="checklist-progress">
					{t('agent.checklist.progress', { passed, count: required.length })}
				</p>
			</div>
			<ol className="agent-steps">
				{checklist.map((step, index) => (
					<StepItem key={step.id} number={index + 1} step={step} client={client} call={call} now={now} apply={apply} />
				))}
			</ol>
		</section>
	);
}

function StepItem({ step, number, client, call, now, apply }: Props & { step: StepView; number: number }) {
	const { t, tm, describeError } = useI18n();
	const [note, setNote] = useState('');
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const title = t(`agent.step.title.${step.id}`);
	const current = call.snapshot.currentStepId === step.id;
	const inactive = step.status === 'not_applicable';
	const noteId = `note-${step.id}`;

	async function prompt() {
		setBusy(true);
		setError(undefined);
		try {
			const answer = await client.request('promptStep', { stepId: step.id });
			apply({ name: 'stepPrompted', payload: answer });
		} catch (caught) {
			setError(t('agent.step.error', { reason: describeError(caught) }));
		} finally {
			setBusy(false);
		}
	}

	async function mark(result: 'passed' | 'failed') {
		setBusy(true);
		setError(undefined);
		const payload: VerificationRequestPayload<'markStep'> = { stepId: step.id, result };
		if (note.trim()) payload.note = note.trim();
		try {
			const answer = await client.request('markStep', payload);
			apply({ name: 'stepMarked', payload: answer });
			setNote('');
		} catch (caught) {
			setError(t('agent.step.error', { reason: describeError(caught) }));
		} finally {
			setBusy(false);
		}
	}

	return (
		<li
			className="agent-step"
			data-testid={`step-${step.id}`}
			data-status={step.status}
			data-current={current}
			aria-current={current ? 'step' : undefined}
		>
			<div className="agent-step-head">
				<h3>
					<span className="agent-step-number">{number}.</span> {title}
				</h3>
				<span className="agent-badge" data-status={step.status} data-testid={`status-${step.id}`}>
					{t(`agent.step.status.${step.status}`)}
				</span>
				<span className="agent-step-meta">
					{step.required ? t('agent.step.required') : t('agent.step.optional')} · {t(`agent.step.for.${step.actor}`)}
					{current ? ` · ${t('agent.step.current')}` : ''}
				</span>
			</div>
			<p className="agent-step-prompt">{t('agent.step.theySee', { prompt: tm(step.promptKey) })}</p>
			{step.agentGuidanceKey ? (
				<details className="agent-guidance" open={current || undefined}>
					<summary>{t('agent.step.guidance')}</summary>
					<p>{tm(step.agentGuidanceKey)}</p>
				</details>
			) : null}
			<StepMaterial step={step} call={call} now={now} />
			{step.note ? <p className="agent-step-note">{t('agent.step.savedNote', { note: step.note })}</p> : null}
			{inactive ? null : (
				// Not a form: Enter in the note must not mark the step, since the note may explain a failure.
				<fieldset className="agent-step-actions">
					<legend className="visually-hidden">{title}</legend>
					<button
						type="button"
						className="agent-secondary"
						onClick={() => void prompt()}
						disabled={busy}
						data-testid={`prompt-${step.id}`}
					>
						{step.status === 'pending' ? t('agent.step.prompt') : t('agent.step.reprompt')}
						<span className="visually-hidden">: {title}</span>
					</button>
					{step.status === 'pending' ? null : (
						<>
							<label className="visually-hidden" htmlFor={noteId}>
								{t('agent.step.noteLabel', { step: title })}
							</label>
							<input
								id={noteId}
								className="agent-step-note-input"
								value={note}
								onChange={(event) => setNote(event.target.value)}
								placeholder={t('agent.step.note')}
								maxLength={2000}
								data-testid={`note-${step.id}`}
							/>
						</>
					)}
					<button
						type="button"
						className="agent-pass"
						onClick={() => void mark('passed')}
						disabled={busy || step.status === 'pending'}
						data-testid={`pass-${step.id}`}
					>
						<span aria-hidden="true">✓ </span>
						{t('agent.step.pass')}
						<span className="visually-hidden">: {title}</span>
					</button>
					<button
						type="button"
						className="agent-fail"
						onClick={() => void mark('failed')}
						disabled={busy || step.status === 'pending'}
						data-testid={`fail-${step.id}`}
					>
						<span aria-hidden="true">✗ </span>
						{t('agent.step.fail')}
						<span className="visually-hidden">: {title}</span>
					</button>
				</fieldset>
			)}
			{error ? (
				<p className="status" data-tone="error" role="alert" data-testid={`step-error-${step.id}`}>
					{error}
				</p>
			) : null}
		</li>
	);
}

/** What only this kind of step brings: features to check, the number to expect, the declaration. */
function StepMaterial({ step, call, now }: { step: StepView; call: CallState; now: number }) {
	const { t, tm } = useI18n();
	if (step.kind === 'security_features' && step.securityFeatures && step.securityFeatures.length > 0) {
		return (
			<div className="agent-material" data-testid="security-features">
				<p>{t('agent.step.securityFeatures')}</p>
				<ul>
					{step.securityFeatures.map((pick) => {
						const found = findSecurityFeature(pick);
						return (
							<li key={`${pick.categoryId}/${pick.featureId}`} data-feature={pick.featureId}>
								<strong>{found ? tm(found.feature.labelKey) : pick.featureId}</strong>
								{found ? ` (${tm(found.category.labelKey)}): ${tm(found.feature.hintKey)}` : null}
							</li>
						);
					})}
				</ul>
			</div>
		);
	}
	if (step.kind === 'challenge') return <ChallengeMaterial step={step} call={call} now={now} />;
	if (step.kind === 'interpreter_declaration') {
		const declaration = call.snapshot.interpreter?.declaration;
		return (
			<p className="agent-material" data-testid="interpreter-declaration-step">
				{declaration
					? t('agent.step.declared', { name: declaration.fullName, relation: tm(RELATION_LABEL_KEYS[declaration.relation]) })
					: t('agent.step.notDeclared')}
			</p>
		);
	}
	return null;
}

function ChallengeMaterial({ step, call, now }: { step: StepView; call: CallState; now: number }) {
	const { t } = useI18n();
	const stepId = step.id;
	const marked = step.status === 'passed' || step.status === 'failed';
	const challenge = call.snapshot.challenge?.stepId === stepId ? call.snapshot.challenge : null;
	const typedCall = call.snapshot.accessibility.textOnlyChallenge;
	const answer = call.typedAnswer?.stepId === stepId ? call.typedAnswer : null;
	const secondsLeft = challengeSecondsLeft(challenge, now);
	return (
		<div className="agent-material agent-challenge" hidden={marked && !challenge && !answer}>
			{challenge ? (
				<p>
					<span>{t('agent.step.expected')}: </span>
					<strong className="agent-expected" data-testid="expected-challenge">
						{challenge.value}
					</strong>{' '}
					{answer ? null : secondsLeft ? (
						<span className="hint" data-testid="challenge-expiry">
							({t('agent.step.expiresIn', { count: secondsLeft })})
						</span>
					) : (
						<span className="agent-warning" data-testid="challenge-expiry">
							{t('agent.step.expired')}
						</span>
					)}
				</p>
			) : step.status === 'pending' ? (
				<p className="hint">{t('agent.step.noNumber')}</p>
			) : marked ? null : (
				// Prompted, but the number was answered before a reload, or has run out.
				<p className="agent-warning">{t('agent.step.expired')}</p>
			)}
			{typedCall && !(marked && !answer) ? (
				<p
					className="agent-typed"
					data-testid="challenge-typed-result"
					data-matched={answer ? String(answer.matched) : undefined}
					data-tone={answer ? (answer.matched ? 'ok' : 'error') : undefined}
				>
					{answer
						? answer.matched
							? t('agent.step.typed.matched')
							: t('agent.step.typed.mismatch')
						: challenge
							? t('agent.step.typed.waiting')
							: t('agent.step.typed.required')}
				</p>
			) : null}
		</div>
	);
}
