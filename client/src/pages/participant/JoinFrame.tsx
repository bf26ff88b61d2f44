// The frame around every screen of the join flow: the service name, the language switch, and the
// connection banner (unless the screen shows its own, as the call does with the media state).
import type { ReactNode } from 'react';
import { ConnectionBanner } from '../../components/ConnectionBanner.tsx';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { useI18n } from '../../i18n/useI18n.ts';
import type { ConnectionState } from '../../signalling/VerificationClient.ts';

export function JoinFrame({
	connection,
	children,
	wide = false,
}: {
	/** Omitted when the screen draws its own banner, or has no connection (a link problem). */
	connection?: ConnectionState | undefined;
	children: ReactNode;
	wide?: boolean;
}) {
	const { t } = useI18n();
	return (
		<>
			<header className="app-header">
				<span className="applicant-brand">{t('app.name')}</span>
				<LanguageSwitcher />
			</header>
			<main className={wide ? 'applicant-main applicant-main--wide' : 'applicant-main'}>
				{connection ? <ConnectionBanner connection={connection} /> : null}
				{children}
			</main>
		</>
	);
}
