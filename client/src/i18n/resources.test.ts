import { ERROR_REASONS, LOCALES, placeholdersOf } from '@vidverify/shared';
import { describe, expect, it } from 'vitest';
import { UI_RESOURCES } from './resources.ts';

const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

/** Each locale's keys as the code asks for them, with the plural forms found for each. */
function keysOf(strings: Record<string, string>): Map<string, Set<string>> {
	const keys = new Map<string, Set<string>>();
	for (const key of Object.keys(strings)) {
		const [, base, form] = PLURAL.exec(key) ?? [key, key, ''];
		const forms = keys.get(base ?? key) ?? new Set<string>();
		if (form) forms.add(form);
		keys.set(base ?? key, forms);
	}
	return keys;
}

describe('the UI resources', () => {
	const english = keysOf(UI_RESOURCES.en);

	it.each(LOCALES)('%s has every key the English dictionary has, and no other', (locale) => {
		expect([...keysOf(UI_RESOURCES[locale]).keys()].sort()).toEqual([...english.keys()].sort());
	});

	it.each(LOCALES)('%s has exactly the plural forms its plural rules use, for every plural key', (locale) => {
		const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
		for (const [key, forms] of keysOf(UI_RESOURCES[locale])) {
			if (english.get(key)?.size === 0) continue;
			expect([...forms].sort(), key).toEqual([...needed].sort());
		}
	});

	it('counts Chinese with one form and English with two', () => {
		expect(UI_RESOURCES['zh-CN']['agent.queue.count_one']).toBeUndefined();
		expect(UI_RESOURCES.en['agent.queue.count_one']).toMatch(/verification waiting/);
		expect(UI_RESOURCES.en['agent.queue.count_other']).toMatch(/verifications waiting/);
	});

	it.each(LOCALES)('%s uses the same placeholders as English in every text', (locale) => {
		const strings = UI_RESOURCES[locale];
		for (const [key, text] of Object.entries(strings)) {
			const [, base] = PLURAL.exec(key) ?? [key, key];
			const englishText = UI_RESOURCES.en[key] ?? UI_RESOURCES.en[`${base}_other`] ?? '';
			expect(placeholdersOf(text).sort(), key).toEqual(placeholdersOf(englishText).sort());
		}
	});

	it.each(LOCALES)('%s words every error reason of the protocol', (locale) => {
		for (const reason of ERROR_REASONS) expect(UI_RESOURCES[locale][`error.reason.${reason}`], reason).toMatch(/\S/);
	});

	it('has no text left empty', () => {
		for (const locale of LOCALES) {
			for (const [key, text] of Object.entries(UI_RESOURCES[locale])) expect(text.trim(), `${locale} ${key}`).not.toBe('');
		}
	});
});
