// The landing page: what this service is, where each kind of visitor goes, and on a development server
// a way to try a verification on this machine (TryPanel), offered only when the server says so.
import type { TryVariant } from '@vidverify/shared';
import { useEffect, useState } from 'react';
import { LanguageSwitcher } from '../components/LanguageSwitcher.tsx';
import { useI18n } from '../i18n/useI18n.ts';
import { TryPanel } from './home/TryPanel.tsx';
import { fetchTryOffer } from './home/tryVerification.ts';
import './home/home.css';

export function Home() {
	const { t } = useI18n();
	const [variants, setVariants] = useState<readonly TryVariant[] | undefined>(undefined);

	useEffect(() => {
		let current = true;
		void fetchTryOffer().then((offered) => {
			if (current) setVariants(offered);
		});
		return () => {
			current = false;
		};
	}, []);

	return (
		<>
			<header className="app-header">
				<span className="applicant-brand">{t('app.name')}</span>
				<LanguageSwitcher />
			</header>
			{/* data-try-offer says when the server has answered, so a test can tell "no offer" from "not asked yet". */}
			<main
				className="home"
				data-testid="home"
				data-try-offer={variants === undefined ? 'pending' : variants.length > 0 ? 'offered' : 'none'}
			>
				<h1>{t('app.name')}</h1>
				<p>{t('home.intro')}</p>
				<p>
					{t('home.check.intro')} <a href="/check">{t('home.check.link')}</a>
				</p>
				{variants && variants.length > 0 ? <TryPanel variants={variants} /> : null}
			</main>
		</>
	);
}
