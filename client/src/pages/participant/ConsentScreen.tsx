// What will happen, and the consent text (the shared catalogue's words, in the shown language, with
// its version). The applicant's acceptance is recorded by the server; the interpreter reads the same
// text with a word on their own part in the call.
import { CONSENT_TEXT_KEYS, CONSENT_VERSION, type Purpose, type Role } from '@vidverify/shared';
import { useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { ScreenHeading } from './ScreenHeading.tsx';

const APPLICANT_STEPS = [
	'intro.step.consent',
	'intro.step.devices',
	'intro.step.wait',
	'intro.step.call',
	'intro.step.result',
] as const;
const INTERPRETER_STEPS = [
	'intro.interpreter.step.consent',
	'intro.step.devices',
	'intro.interpreter.step.call',
	'intro.interpreter.step.declare',
] as const;

export function ConsentScreen({
	participant,
	purpose,
	onAccept,
	onDecline,
}: {
	participant: Exclude<Role, 'agent'>;
	purpose: Purpose;
	onAccept: () => Promise<void>;
	onDecline?: () => void;
}) {
	const { t, tm, describeError } = useI18n();
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const [title, ...paragraphs] = CONSENT_TEXT_KEYS;

	async function accept() {
		setBusy(true);
		setError(undefined);
		try {
			await onAccept();
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
			setBusy(false);
		}
	}

	return (
		<section className="applicant-panel" data-testid="consent-screen" aria-describedby="consent-text">
			<ScreenHeading>{tm(title)}</ScreenHeading>
			{participant === 'interpreter' ? (
				<p className="applicant-lead">{t('intro.interpreter.lead')}</p>
			) : (
				<p className="applicant-lead">{t('intro.purpose', { purpose: tm(`purpose.${purpose}`) })}</p>
			)}
			<h2>{t('intro.whatHappens')}</h2>
			<ol className="applicant-steps">
				{(participant === 'interpreter' ? INTERPRETER_STEPS : APPLICANT_STEPS).map((key) => (
					<li key={key}>{t(key)}</li>
				))}
			</ol>
			<h2>{t('consent.heading')}</h2>
			<div id="consent-text" className="applicant-consent-text" data-consent-version={CONSENT_VERSION}>
				{paragraphs.map((key) => (
					<p key={key}>{tm(key)}</p>
				))}
				<p className="hint">{tm('consent.version', { version: CONSENT_VERSION })}</p>
			</div>
			<div className="applicant-actions">
				<button type="button" onClick={() => void accept()} disabled={busy} data-testid="consent-accept">
					{tm('consent.accept')}
				</button>
				{onDecline ? (
					<button type="button" className="applicant-secondary" onClick={onDecline} disabled={busy} data-testid="consent-decline">
						{tm('consent.decline')}
					</button>
				) : null}
			</div>
			{error ? (
				<p className="status" data-tone="error" role="alert" data-testid="consent-error">
					{error}
				</p>
			) : null}
		</section>
	);
}
