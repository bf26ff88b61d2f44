import { describe, expect, it } from 'vitest';
import { CONSENT_TEXT_KEYS, CONSENT_VERSION } from './consent.ts';
import { LOCALES, MESSAGES } from './i18n.ts';

/** FNV-1a over UTF-16 code units: a stable fingerprint, not a security measure. */
function fingerprint(text: string): string {
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16).padStart(8, '0');
}

const consentText = LOCALES.map((locale) => CONSENT_TEXT_KEYS.map((key) => MESSAGES[locale][key]).join('\n')).join('\n\n');

describe('consent', () => {
	it('is versioned by a date', () => {
		expect(CONSENT_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	// A recorded consent names its version; if this fails, the text changed: give it a new CONSENT_VERSION
	// and then update the fingerprint here.
	it('keeps the text that its version names', () => {
		expect({ version: CONSENT_VERSION, text: fingerprint(consentText) }).toEqual({ version: '2026-11-01', text: '2c82ca00' });
	});

	it('tells the applicant that nothing is recorded, what is kept and that they may stop', () => {
		expect(MESSAGES.en['consent.nothingRecorded']).toMatch(/no audio, video or image/);
		expect(MESSAGES.en['consent.whatIsKept']).toMatch(/decision and its reasons/);
		expect(MESSAGES.en['consent.rightToStop']).toMatch(/stop at any time/);
		expect(MESSAGES['zh-CN']['consent.nothingRecorded']).toMatch(/音频、视频或图像/);
	});
});
