import { describe, expect, it } from 'vitest';
import { browserFamily, classifyMediaError } from './mediaErrors.ts';

const domError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('classifyMediaError()', () => {
	it('calls NotAllowedError permission denied', () => {
		expect(classifyMediaError(domError('NotAllowedError')).kind).toBe('permission_denied');
	});

	it('calls NotFoundError a missing camera, or a missing microphone when cameras were found', () => {
		expect(classifyMediaError(domError('NotFoundError')).kind).toBe('no_camera');
		expect(classifyMediaError(domError('NotFoundError'), { cameras: 0, microphones: 0 }).kind).toBe('no_camera');
		expect(classifyMediaError(domError('NotFoundError'), { cameras: 1, microphones: 0 }).kind).toBe('no_microphone');
	});

	it("calls Chrome's NotReadableError and Firefox's AbortError a busy device", () => {
		expect(classifyMediaError(domError('NotReadableError')).kind).toBe('device_busy');
		expect(classifyMediaError(domError('AbortError')).kind).toBe('device_busy');
	});

	it('calls a missing mediaDevices (TypeError) or SecurityError not supported', () => {
		expect(classifyMediaError(new TypeError('undefined is not an object')).kind).toBe('not_supported');
		expect(classifyMediaError(domError('SecurityError')).kind).toBe('not_supported');
	});

	it('keeps anything else as other, with its name and message for the details', () => {
		expect(classifyMediaError(domError('OverconstrainedError'))).toEqual({
			kind: 'other',
			detail: 'OverconstrainedError: OverconstrainedError happened',
		});
		expect(classifyMediaError('weird').kind).toBe('other');
	});
});

describe('browserFamily()', () => {
	const agents: Record<string, string> = {
		chrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
		chrome_android:
			'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
		edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
		firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
		safari_mac:
			'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
		safari_ios:
			'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
		samsung:
			'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
	};
	for (const [family, agent] of Object.entries(agents)) {
		it(`recognises ${family}`, () => {
			expect(browserFamily(agent)).toBe(family);
		});
	}

	it('calls Chrome on an iPhone (which is Safari underneath) safari_ios', () => {
		expect(
			browserFamily(
				'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
			),
		).toBe('safari_ios');
	});

	it('falls back to other', () => {
		expect(browserFamily('curl/8.0')).toBe('other');
	});
});
