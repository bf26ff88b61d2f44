// Finds English left on a screen that should be all Chinese: every word of Latin letters in the text
// a person sees or hears (visible text, screen-reader-only text, labels, placeholders, titles), less
// what is meant to stay as written (the product's name, the language's own name in the switcher, the
// Wi-Fi trademark) and the values the journey itself put there (ids, names, device labels).
import { expect, type Page } from '@playwright/test';

/** Words that are right in a Chinese page. */
const ALLOWED = new Set(['vidverify', 'English', 'Wi-Fi']);

/** The text a person meets on the page: rendered text plus the words assistive technology reads out. */
function textOnScreen(page: Page): Promise<string> {
	return page.evaluate(() => {
		const attributes = ['aria-label', 'placeholder', 'title', 'alt', 'aria-description'];
		const labelled = [...document.querySelectorAll(attributes.map((name) => `[${name}]`).join(','))].flatMap((element) =>
			attributes.map((name) => element.getAttribute(name) ?? ''),
		);
		return [document.body.innerText, ...labelled].join('\n');
	});
}

/**
 * Fails with the English words found on the page's current screen. `values`: strings the journey put on
 * the screen (an agent's name, a verification id, a camera's label), removed before looking.
 */
export async function expectNoEnglish(page: Page, screen: string, values: readonly string[] = []): Promise<void> {
	let text = await textOnScreen(page);
	const devices = await page.evaluate(
		async () => (await navigator.mediaDevices?.enumerateDevices?.())?.map((device) => device.label).filter(Boolean) ?? [],
	);
	for (const value of [...values, ...devices].sort((a, b) => b.length - a.length)) text = text.split(value).join(' ');
	const english = [...new Set(text.match(/[A-Za-z][A-Za-z'’-]+/g) ?? [])].filter((word) => !ALLOWED.has(word));
	expect(english, `English words on the ${screen} screen`).toEqual([]);
}
