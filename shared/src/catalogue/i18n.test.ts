import { afterEach, describe, expect, it } from 'vitest';
import { checklistFor } from './checklists.ts';
import { CONSENT_TEXT_KEYS } from './consent.ts';
import { isLocale, LOCALES, MESSAGES, type MessageKey, placeholdersOf, translate } from './i18n.ts';
import { PURPOSE_LABEL_KEYS, PURPOSES } from './purposes.ts';
import { REASON_CODE_INFO, REASON_GROUP_LABEL_KEYS } from './reasonCodes.ts';
import { RELATION_LABEL_KEYS } from './relations.ts';
import { SECURITY_FEATURE_CATEGORIES } from './securityFeatures.ts';

const englishKeys = Object.keys(MESSAGES.en) as MessageKey[];

function referencedKeys(): MessageKey[] {
	const steps = PURPOSES.flatMap((purpose) =>
		[false, true].flatMap((interpreter) =>
			[false, true].flatMap((textOnlyChallenge) => checklistFor(purpose, { interpreter, textOnlyChallenge })),
		),
	);
	return [
		...steps.flatMap((step) => [step.promptKey, step.agentGuidanceKey]),
		...SECURITY_FEATURE_CATEGORIES.flatMap((category) => [
			category.labelKey,
			...category.features.flatMap((feature) => [feature.labelKey, feature.hintKey]),
		]),
		...Object.values(REASON_CODE_INFO).flatMap((info) => [info.labelKey, info.adviceKey]),
		...Object.values(REASON_GROUP_LABEL_KEYS),
		...Object.values(RELATION_LABEL_KEYS),
		...Object.values(PURPOSE_LABEL_KEYS),
		...CONSENT_TEXT_KEYS,
	];
}

describe('MESSAGES', () => {
	it('has a non-empty text in every locale for every key a catalogue refers to', () => {
		for (const locale of LOCALES) {
			for (const key of referencedKeys()) expect(MESSAGES[locale][key]?.trim(), `${locale} ${key}`).toBeTruthy();
		}
	});

	it('has exactly the English keys in every locale and no empty text', () => {
		for (const locale of LOCALES) {
			expect(Object.keys(MESSAGES[locale]).sort()).toEqual([...englishKeys].sort());
			for (const key of englishKeys) expect(MESSAGES[locale][key].trim(), `${locale} ${key}`).not.toBe('');
		}
	});

	it('uses the same placeholders in every locale', () => {
		for (const locale of LOCALES) {
			for (const key of englishKeys) {
				expect(placeholdersOf(MESSAGES[locale][key]).sort(), `${locale} ${key}`).toEqual(placeholdersOf(MESSAGES.en[key]).sort());
			}
		}
	});

	it('has a Chinese text, not a leftover English one, for every key with words in it', () => {
		for (const key of englishKeys) {
			const english = MESSAGES.en[key];
			if (english.replace(/\{\w+\}/g, '').replace(/[\s()]/g, '') === '') continue;
			expect(MESSAGES['zh-CN'][key], key).toMatch(/\p{Script=Han}/u);
		}
	});

	it('has a label for every state of a verification', () => {
		const states = [
			'created',
			'waiting',
			'in_call',
			'in_review',
			'approved',
			'rejected',
			'escalated',
			'abandoned',
			'interrupted',
			'expired',
		];
		for (const state of states) expect(englishKeys).toContain(`state.${state}`);
	});
});

describe('translate()', () => {
	const zhCN = MESSAGES['zh-CN'];
	const removed = new Map<MessageKey, string>();
	afterEach(() => {
		for (const [key, text] of removed) zhCN[key] = text;
		removed.clear();
	});

	it('returns the text of the requested locale', () => {
		expect(translate('en', 'state.approved')).toBe('Approved');
		expect(translate('zh-CN', 'state.approved')).toBe('已通过');
	});

	it('fills every placeholder from the parameters, numbers included', () => {
		expect(translate('en', 'queue.position', { position: 3 })).toBe('You are number 3 in the queue');
		expect(translate('zh-CN', 'interpreter.declared', { name: '王芳', relation: '父母' })).toBe('王芳（父母）');
	});

	it('leaves a placeholder without a value visible rather than dropping it', () => {
		expect(translate('en', 'challenge.expected', {})).toBe('Expected number: {code}');
		expect(translate('en', 'challenge.expected')).toBe('Expected number: {code}');
	});

	it('falls back to English only when the locale lacks the key', () => {
		removed.set('state.expired', zhCN['state.expired']);
		delete (zhCN as Partial<Record<MessageKey, string>>)['state.expired'];
		expect(translate('zh-CN', 'state.expired')).toBe('Expired');
		expect(translate('zh-CN', 'state.rejected')).toBe('未通过');
	});
});

describe('isLocale()', () => {
	it('accepts the supported locales and nothing else', () => {
		expect(LOCALES.every(isLocale)).toBe(true);
		expect(isLocale('zh')).toBe(false);
		expect(isLocale('fr')).toBe(false);
		expect(isLocale(undefined)).toBe(false);
	});
});
