// The locale of the page and the `t` function: UI strings (this app's dictionaries) and domain texts
// (prompts, reason codes, states: the shared catalogue) in English or Simplified Chinese. The choice
// is remembered in this browser and sets <html lang>.
import { isLocale, type Locale, type MessageKey, translate } from '@vidverify/shared';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { UI_STRINGS, type UiKey } from './strings.ts';

type Params = Record<string, string | number>;

export type I18n = {
	locale: Locale;
	setLocale: (locale: Locale) => void;
	/** A UI string of this app. */
	t: (key: UiKey, params?: Params) => string;
	/** A domain text from the shared catalogue (prompts, guidance, reason codes, states). */
	tm: (key: MessageKey | string, params?: Params) => string;
};

const STORAGE_KEY = 'vidverify.locale';

function fill(text: string, params: Params | undefined): string {
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function initialLocale(): Locale {
	const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
	if (isLocale(stored)) return stored;
	return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
	const [locale, setLocaleState] = useState<Locale>(initialLocale);
	useEffect(() => {
		document.documentElement.lang = locale;
	}, [locale]);
	const value = useMemo<I18n>(
		() => ({
			locale,
			setLocale: (next) => {
				globalThis.localStorage?.setItem(STORAGE_KEY, next);
				setLocaleState(next);
			},
			t: (key, params) => fill(UI_STRINGS[locale][key] ?? UI_STRINGS.en[key] ?? key, params),
			tm: (key, params) => translate(locale, key as MessageKey, params),
		}),
		[locale],
	);
	return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
	const context = useContext(I18nContext);
	if (!context) throw new Error('useI18n() outside <I18nProvider>');
	return context;
}
