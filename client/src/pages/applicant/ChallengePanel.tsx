// The challenge number, shown only to the applicant while its step is prompted, large and read digit
// by digit to screen readers. In text-only mode (deaf or mute applicants) the applicant types it back;
// the answer is single use, so the field goes once it is sent and the result stays in view.
import type { VerificationSnapshot } from '@vidverify/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export function ChallengePanel({ snapshot, client }: { snapshot: VerificationSnapshot; client: VerificationClient }) {
	const { t, describeError } = useI18n();
	const challenge = snapshot.challenge?.stepId === snapshot.currentStepId ? snapshot.challenge : null;
	const [answer, setAnswer] = useState('');
	const [result, setResult] = useState<{ value: string; stepId: string; matched: boolean } | undefined>();
	const [error, setError] = useState<string | undefined>();
	const [busy, setBusy] = useState(false);
	const [now, setNow] = useState(() => Date.now());

	// A new number starts afresh.
	const value = challenge?.value;
	useEffect(() => {
		if (value === undefined) return;
		setAnswer('');
		setError(undefined);
	}, [value]);

	useEffect(() => {
		if (!challenge) return;
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, [challenge]);

	if (!challenge) {
		// The answer's result stays in view while its step is current; the next instruction replaces it.
		return result && result.stepId === snapshot.currentStepId ? <ChallengeResult matched={result.matched} /> : null;
	}
	const expired = Date.parse(challenge.expiresAt) <= now;
	const answered = result?.value === challenge.value;

	async function submit(event: FormEvent) {
		event.preventDefault();
		if (!challenge || !answer.trim()) return;
		setBusy(true);
		setError(undefined);
		try {
			const { matched } = await client.request('answerChallenge', { answer: answer.trim() });
			setResult({ value: challenge.value, stepId: challenge.stepId, matched });
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
		} finally {
			setBusy(false);
		}
	}

	if (expired && !answered) {
		return (
			<p className="status" role="status" data-testid="challenge-expired">
				{t('challenge.expired')}
			</p>
		);
	}

	return (
		<section
			className="applicant-challenge"
			aria-labelledby="challenge-title"
			data-testid="challenge"
			data-typed={challenge.typed}
		>
			<h2 id="challenge-title">{challenge.typed ? t('challenge.titleTyped') : t('challenge.titleSpoken')}</h2>
			{answered ? null : (
				<p className="challenge-number" data-value={challenge.value}>
					<span aria-hidden="true" data-testid="challenge-number">
						{challenge.value}
					</span>
					{/* Read digit by digit: "4 8 2 9 1 3", not "four hundred eighty-two thousand…". */}
					<span className="visually-hidden">{challenge.value.split('').join(' ')}</span>
				</p>
			)}
			{challenge.typed && !answered ? (
				<form onSubmit={(event) => void submit(event)} className="applicant-challenge-form">
					<label htmlFor="challenge-answer">{t('challenge.answerLabel')}</label>
					<input
						id="challenge-answer"
						value={answer}
						onChange={(event) => setAnswer(event.target.value)}
						inputMode="numeric"
						autoComplete="off"
						maxLength={12}
						data-testid="challenge-answer"
					/>
					<button type="submit" disabled={busy || !answer.trim()} data-testid="challenge-submit">
						{t('challenge.submit')}
					</button>
				</form>
			) : null}
			{answered && result ? <ChallengeResult matched={result.matched} /> : null}
			{error ? (
				<p className="status" data-tone="error" role="alert">
					{error}
				</p>
			) : null}
		</section>
	);
}

function ChallengeResult({ matched }: { matched: boolean }) {
	const { t } = useI18n();
	return (
		<p
			className="status"
			data-tone={matched ? 'ok' : 'error'}
			role="status"
			data-testid="challenge-result"
			data-matched={matched}
		>
			{matched ? t('challenge.matched') : t('challenge.notMatched')}
		</p>
	);
}
