// The i18next resources of the app, per locale: `ui` holds this app's own words (one file per flow
// under locales/<locale>/), `catalogue` the shared domain texts (prompts, reason codes, states) that
// the server and hosts use too. Plural keys follow i18next's convention (`key_one`, `key_other`)
// with the forms each locale's plural rules ask for: English has two, Chinese one.
import { type Locale, MESSAGES } from '@vidverify/shared';
import { agent } from './locales/en/agent.ts';
import { check } from './locales/en/check.ts';
import { common } from './locales/en/common.ts';
import { errors } from './locales/en/errors.ts';
import { home } from './locales/en/home.ts';
import { mrz } from './locales/en/mrz.ts';
import { operator } from './locales/en/operator.ts';
import { participant } from './locales/en/participant.ts';
import { review } from './locales/en/review.ts';
import { still } from './locales/en/still.ts';
import { waitingMedia } from './locales/en/waitingMedia.ts';
import { agent as agentZh } from './locales/zh-CN/agent.ts';
import { check as checkZh } from './locales/zh-CN/check.ts';
import { common as commonZh } from './locales/zh-CN/common.ts';
import { errors as errorsZh } from './locales/zh-CN/errors.ts';
import { home as homeZh } from './locales/zh-CN/home.ts';
import { mrz as mrzZh } from './locales/zh-CN/mrz.ts';
import { operator as operatorZh } from './locales/zh-CN/operator.ts';
import { participant as participantZh } from './locales/zh-CN/participant.ts';
import { review as reviewZh } from './locales/zh-CN/review.ts';
import { still as stillZh } from './locales/zh-CN/still.ts';
import { waitingMedia as waitingMediaZh } from './locales/zh-CN/waitingMedia.ts';

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/**
 * Another locale's copy of an English dictionary: every key, with a plural key in its `_other` form
 * (the one every locale has); further forms its rules need are checked by resources.test.ts.
 */
export type LocaleStrings<English> = {
	[K in keyof English as K extends `${string}_${Exclude<PluralSuffix, 'other'>}` ? never : K]: string;
} & Partial<Record<Extract<keyof English, `${string}_${PluralSuffix}`>, string>>;

const en = {
	...common,
	...home,
	...check,
	...participant,
	...waitingMedia,
	...agent,
	...review,
	...still,
	...mrz,
	...operator,
	...errors,
};

/** A key as the code asks for it: plural forms are one key, chosen by the `count` parameter. */
export type UiKey = keyof typeof en extends infer K ? (K extends `${infer Base}_${PluralSuffix}` ? Base : K & string) : never;

export const UI_RESOURCES: Record<Locale, Record<string, string>> = {
	en,
	'zh-CN': {
		...commonZh,
		...homeZh,
		...checkZh,
		...participantZh,
		...waitingMediaZh,
		...agentZh,
		...reviewZh,
		...stillZh,
		...mrzZh,
		...operatorZh,
		...errorsZh,
	},
};

export const I18N_RESOURCES = {
	en: { ui: UI_RESOURCES.en, catalogue: MESSAGES.en },
	'zh-CN': { ui: UI_RESOURCES['zh-CN'], catalogue: MESSAGES['zh-CN'] },
} satisfies Record<Locale, { ui: Record<string, string>; catalogue: Record<string, string> }>;
