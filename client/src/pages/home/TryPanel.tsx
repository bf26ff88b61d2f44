// The landing page's offer on a development server: one button creates a demo verification and a demo
// agent, then the two links are shown with copy buttons and how to use them; the interpreter and
// typed-challenge variants are a button each. Shown only when the server offers trying at all.
import type { TryVariant, TryVerificationAnswer } from '@vidverify/shared';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { CopyLink } from './CopyLink.tsx';
import { createTryVerification } from './tryVerification.ts';

type Phase =
	| { name: 'idle' }
	| { name: 'creating' }
	| { name: 'ready'; demo: TryVerificationAnswer }
	| { name: 'failed'; error: unknown };

export function TryPanel({ variants }: { variants: readonly TryVariant[] }) {
	const { t, locale, describeError } = useI18n();
	const [phase, setPhase] = useState<Phase>({ name: 'idle' });
	const heading = useRef<HTMLHeadingElement>(null);

	// A screen reader is taken to the links as soon as they are there.
	useEffect(() => {
		if (phase.name === 'ready') heading.current?.focus();
	}, [phase]);

	async function create(variant: TryVariant) {
		setPhase({ name: 'creating' });
		try {
			setPhase({ name: 'ready', demo: await createTryVerification(variant, locale) });
		} catch (error) {
			setPhase({ name: 'failed', error });
		}
	}

	const [first, ...others] = variants;
	return (
		<section className="home-try" aria-labelledby="home-try-title" data-testid="try-panel">
			<h2 id="home-try-title">{t('home.try.title')}</h2>
			<p>{t('home.try.intro')}</p>
			<div className="home-try-actions">
				{first ? (
					<button
						type="button"
						disabled={phase.name === 'creating'}
						onClick={() => void create(first)}
						data-testid={`try-${first}`}
					>
						{t(`home.try.${first}`)}
					</button>
				) : null}
				{others.map((variant) => (
					<button
						key={variant}
						type="button"
						className="home-try-secondary"
						disabled={phase.name === 'creating'}
						onClick={() => void create(variant)}
						data-testid={`try-${variant}`}
					>
						{t(`home.try.${variant}`)}
					</button>
				))}
			</div>
			{others.length > 0 ? <p className="hint">{t('home.try.variants')}</p> : null}
			<div aria-live="polite">
				{phase.name === 'creating' ? <p className="status">{t('home.try.creating')}</p> : null}
				{phase.name === 'failed' ? (
					<p className="status" data-tone="error" data-testid="try-failed">
						{t('home.try.failed', { reason: describeError(phase.error) })}
					</p>
				) : null}
			</div>
			{phase.name === 'ready' ? <TryLinks demo={phase.demo} heading={heading} /> : null}
		</section>
	);
}

function TryLinks({ demo, heading }: { demo: TryVerificationAnswer; heading: RefObject<HTMLHeadingElement | null> }) {
	const { t } = useI18n();
	const variantStep =
		demo.variant === 'interpreter'
			? t('home.try.interpreterSteps')
			: demo.variant === 'typed_challenge'
				? t('home.try.typedSteps')
				: undefined;
	return (
		<div
			className="home-try-result"
			data-testid="try-result"
			data-variant={demo.variant}
			data-verification-id={demo.verificationId}
		>
			<h3 ref={heading} tabIndex={-1}>
				{t(`home.try.ready.${demo.variant}`)}
			</h3>
			<p data-testid="try-hint">{t('home.try.hint')}</p>
			<CopyLink
				label={t('home.try.applicantLink')}
				steps={t('home.try.applicantSteps')}
				url={demo.applicantUrl}
				testId="try-applicant"
			/>
			<CopyLink label={t('home.try.agentLink')} steps={t('home.try.agentSteps')} url={demo.agentUrl} testId="try-agent" />
			{variantStep ? <p className="hint">{variantStep}</p> : null}
		</div>
	);
}
