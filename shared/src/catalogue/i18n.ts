// Locales, the dictionaries per locale and translate(): how any part of the system turns a MessageKey
// into the text a person reads.
import { en, type MessageKey } from './messages.en.ts';
import { zhCN } from './messages.zh-CN.ts';

export type { MessageKey } from './messages.en.ts';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholder names a text uses, in order of first appearance. */
export function placeholdersOf(text: string): string[] {
	return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (match) => match[1] ?? ''))];
}

/**
 * The text of `key` in `locale` with its `{name}` placeholders filled from `params`. A placeholder without
 * a value is left as written, so a forgotten parameter shows on screen instead of vanishing silently.
 */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
	// The types make every key present in every locale; the fallbacks guard data that bypassed them.
	const text = MESSAGES[locale]?.[key] ?? MESSAGES.en[key] ?? key;
	if (params === undefined) return text;
	return text.replace(PLACEHOLDER, (whole, name: string) => {
		const value = params[name];
		return value === undefined ? whole : String(value);
	});
}
