// The app's one i18next instance: the locale of the page (remembered in this browser, first guessed
// from the browser's language), its resources, and <html lang> kept in step. Placeholders are written
// {name} as in the shared catalogue, so one syntax serves both; a placeholder left without a value
// stays visible, so a forgotten parameter shows on screen instead of vanishing silently.
import { DEFAULT_LOCALE, isLocale, type Locale } from '@vidverify/shared';
import i18next, { type i18n as I18next } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { I18N_RESOURCES } from './resources.ts';

const STORAGE_KEY = 'vidverify.locale';

function initialLocale(): Locale {
	const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
	if (isLocale(stored)) return stored;
	return globalThis.navigator?.language.toLowerCase().startsWith('zh') ? 'zh-CN' : DEFAULT_LOCALE;
}

export const i18n: I18next = i18next.createInstance();

void i18n.use(initReactI18next).init({
	resources: I18N_RESOURCES,
	lng: initialLocale(),
	fallbackLng: DEFAULT_LOCALE,
	supportedLngs: Object.keys(I18N_RESOURCES),
	ns: ['ui', 'catalogue'],
	defaultNS: 'ui',
	// Keys are flat strings with dots in them ("agent.queue.title"), never paths or namespaced names.
	keySeparator: false,
	nsSeparator: false,
	// Resources are bundled: initialise synchronously so the first render is already translated.
	initAsync: false,
	interpolation: {
		prefix: '{',
		suffix: '}',
		// React escapes what it renders.
		escapeValue: false,
	},
	missingInterpolationHandler: (_text, match) => match[0],
	react: { useSuspense: false },
});

function reflectLocale(locale: string): void {
	if (globalThis.document) document.documentElement.lang = locale;
}
reflectLocale(i18n.language);
i18n.on('languageChanged', reflectLocale);

export async function changeLocale(locale: Locale): Promise<void> {
	globalThis.localStorage?.setItem(STORAGE_KEY, locale);
	await i18n.changeLanguage(locale);
}
