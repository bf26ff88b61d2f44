// Switches the page between English and Simplified Chinese.
import { LOCALES, type Locale } from '@vidverify/shared';
import { useI18n } from '../i18n/useI18n.ts';

export function LanguageSwitcher() {
	const { locale, setLocale, t } = useI18n();
	return (
		<label className="language-switcher">
			<span>{t('language.label')}</span>{' '}
			<select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
				{LOCALES.map((option) => (
					<option key={option} value={option} lang={option}>
						{t(`language.${option}`)}
					</option>
				))}
			</select>
		</label>
	);
}
