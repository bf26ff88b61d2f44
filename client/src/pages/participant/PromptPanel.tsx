// The agent's current instruction in large text, announced at once to screen readers: for a deaf
// applicant this is how the agent speaks. Says who the step is for when it is not the reader.
import type { Role, VerificationSnapshot } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';

export function currentStep(snapshot: VerificationSnapshot) {
	return snapshot.checklist.find((step) => step.id === snapshot.currentStepId);
}

export function PromptPanel({ snapshot, participant }: { snapshot: VerificationSnapshot; participant: Exclude<Role, 'agent'> }) {
	const { t, tm } = useI18n();
	const step = currentStep(snapshot);
	const active = step?.status === 'prompted';
	let forWhom: string | undefined;
	if (active && step.actor === 'both') forWhom = t('prompt.forBoth');
	else if (active && step.actor !== participant)
		forWhom = t(step.actor === 'interpreter' ? 'prompt.forInterpreter' : 'prompt.forApplicant');

	return (
		<section className="applicant-prompt-area" aria-labelledby="prompt-heading">
			<h2 id="prompt-heading" className="visually-hidden">
				{t('prompt.heading')}
			</h2>
			<div aria-live="assertive" aria-atomic="true">
				{forWhom ? <p className="applicant-prompt-for">{forWhom}</p> : null}
				<p
					className={active ? 'prompt' : 'prompt applicant-prompt--idle'}
					data-testid="prompt"
					data-step-id={step?.id ?? ''}
					data-step-status={step?.status ?? ''}
				>
					{active ? tm(step.promptKey) : step ? t('prompt.stepDone') : t('prompt.none')}
				</p>
			</div>
		</section>
	);
}
