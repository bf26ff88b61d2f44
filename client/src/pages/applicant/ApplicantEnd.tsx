// The end of the applicant's visit: what happened and what happens next.
import type { VerificationSnapshot } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { ScreenHeading } from '../participant/ScreenHeading.tsx';
import { endMessage } from './endMessage.ts';

export function ApplicantEnd({ snapshot }: { snapshot: VerificationSnapshot }) {
	const { t, tm } = useI18n();
	const message = endMessage(snapshot);
	if (!message) return null;
	return (
		<section className="applicant-panel applicant-end" data-testid="end-screen" data-state={message.state}>
			<ScreenHeading>{t(message.titleKey)}</ScreenHeading>
			{message.bodyKeys.map((key) => (
				<p key={key}>{t(key)}</p>
			))}
			{message.adviceKeys.length > 0 ? (
				<>
					<h2>{t('end.adviceHeading')}</h2>
					<ul data-testid="end-advice">
						{message.adviceKeys.map((key) => (
							<li key={key}>{tm(key)}</li>
						))}
					</ul>
				</>
			) : null}
			<p className="hint">{t('end.nothingKept')}</p>
			<p className="hint">{t('end.closePage')}</p>
		</section>
	);
}
