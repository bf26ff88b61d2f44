// What components translate with: the page's locale, `t` for this app's own words, `tm` for the
// shared catalogue's domain texts, and `describeError` for a refused request, all from the one i18next
// instance. A component using it re-renders when the language changes.
import { DEFAULT_LOCALE, isLocale, type Locale, type MessageKey } from '@vidverify/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './errorText.ts';
import { changeLocale } from './i18n.ts';
import type { UiKey } from './resources.ts';

export type Params = Record<string, string | number>;
/** Any key, as the translation functions take them under the hood. */
export type Translate = (key: string, params?: Params) => string;

export type I18n = {
	locale: Locale;
	setLocale: (locale: Locale) => void;
	/** A UI string of this app; plural keys take their form from `count`. */
	t: (key: UiKey, params?: Params) => string;
	/** A domain text from the shared catalogue (prompts, guidance, reason codes, states). */
	tm: (key: MessageKey | string, params?: Params) => string;
	/** What a person reads for a refused or failed request: its translated reason, never the server's English. */
	describeError: (error: unknown) => string;
};

export function useI18n(): I18n {
	const { t: translate, i18n } = useTranslation('ui');
	const language = i18n.language;
	return useMemo<I18n>(() => {
		const plain = translate as unknown as (key: string, options?: Record<string, unknown>) => string;
		const t: Translate = (key, params) => plain(key, params);
		const tm: Translate = (key, params) => plain(key, { ...params, ns: 'catalogue' });
		return {
			locale: isLocale(language) ? language : DEFAULT_LOCALE,
			setLocale: (locale) => void changeLocale(locale),
			t,
			tm,
			describeError: (error) => errorText(error, t, tm),
		};
	}, [translate, language]);
}
