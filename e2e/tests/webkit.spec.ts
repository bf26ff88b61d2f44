// A smoke test in Debian's WebKitGTK (support/webkit.ts), the nearest to Safari that runs here: the
// pages render over plain http://127.0.0.1 (no CSP upgrade on loopback), and since this WebKit has no
// WebRTC, a join link's device check says so, translated, with what to use instead, rather than a
// script error.
import { expect, test } from '@playwright/test';
import { baseUrl, createVerification } from '../support/hostApi.ts';
import { WebKitBrowser } from '../support/webkit.ts';

const byTestId = (testId: string) => `[data-testid="${testId}"]`;

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('WebKitGTK: the landing page renders', async ({}, testInfo) => {
	const webkit = await WebKitBrowser.launch();
	try {
		await webkit.goto(baseUrl());
		await expect.poll(() => webkit.text('h1')).toBe('vidverify');
		expect(await webkit.text(byTestId('home'))).toContain('Identity verification by live video call.');
		// The page's script ran to the end: it asked the server whether to offer Try, and heard back.
		await expect.poll(() => webkit.attribute(byTestId('home'), 'data-try-offer')).not.toBe('pending');
		await webkit.screenshot(testInfo, 'landing-page');
	} finally {
		await webkit.close();
	}
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('WebKitGTK: a join link’s device check says that this browser cannot make video calls, and what to use, in English and Chinese', async ({}, testInfo) => {
	const webkit = await WebKitBrowser.launch();
	try {
		const created = await createVerification({ purpose: 'c2c_video', locale: 'zh-CN' });
		await webkit.goto(created.applicantUrl);
		await expect.poll(() => webkit.enabled(byTestId('consent-accept'))).toBe(true);
		await webkit.click(byTestId('consent-accept'));
		const problem = byTestId('device-problem');
		await expect.poll(() => webkit.attribute(problem, 'data-kind')).toBe('no_webrtc');
		const english = await webkit.text(problem);
		expect(english).toContain('This browser cannot make video calls');
		expect(english).toContain('Chrome, Edge, Firefox or Safari');
		expect(english).not.toContain('RTCPeerConnection');
		expect(await webkit.enabled(byTestId('device-check-continue'))).toBe(false);
		// WebKitGTK takes its language from a system locale this machine may not have; the page's own
		// switcher shows the same message translated.
		await webkit.click('.language-switcher option[value="zh-CN"]');
		await expect.poll(() => webkit.text(`${problem} h2`)).toBe('此浏览器无法进行视频通话');
		expect(await webkit.text(problem)).toContain('Chrome、Edge、Firefox 或 Safari');
		await webkit.screenshot(testInfo, 'device-check-no-webrtc');
	} finally {
		await webkit.close();
	}
});
