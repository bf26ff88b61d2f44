// The steps people take in the journeys, written once: each role in its own Chromium with its own
// fake camera picture, the applicant's and interpreter's way into a call, the agent's queue and
// checklist, and the checks that what one side sends is what the other sees and hears.
import {
	type Browser,
	type BrowserContext,
	chromium,
	expect,
	type LaunchOptions,
	type Locator,
	type Page,
} from '@playwright/test';
import { checklistFor, type Locale, type Purpose, translate } from '@vidverify/shared';
import { peakAudioLevel } from './audio.ts';
import { withCamera } from './browser.ts';
import { ROLE_COLOURS, writeFakeVideo } from './fakeVideo.ts';
import { centreColour, sameColour } from './pixels.ts';

export type Role = keyof typeof ROLE_COLOURS;

const cameras = new Map<Role, string>();

/** The applicant sends 1280×720 (what a document needs); the others a smaller picture. */
function cameraOf(role: Role): string {
	let file = cameras.get(role);
	if (!file) {
		const size = role === 'applicant' ? { width: 1280, height: 720 } : { width: 640, height: 360 };
		file = writeFakeVideo({ colour: ROLE_COLOURS[role], ...size, frames: 10 });
		cameras.set(role, file);
	}
	return file;
}

export type Participant = { role: Role; browser: Browser; context: BrowserContext; page: Page; close: () => Promise<void> };

export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } as const;

/**
 * A browser of its own for one role (its own fake camera, unless `launch` gives other cameras),
 * optionally at a phone's size.
 */
export async function participant(
	role: Role,
	options: { phone?: boolean; locale?: string; launch?: LaunchOptions } = {},
): Promise<Participant> {
	const browser = await chromium.launch(options.launch ?? withCamera(cameraOf(role)));
	const context = await browser.newContext({
		...(options.phone ? PHONE : { viewport: { width: 1280, height: 900 } }),
		locale: options.locale ?? 'en-GB',
	});
	await context.addInitScript(trapRecording);
	const page = await context.newPage();
	return { role, browser, context, page, close: () => browser.close() };
}

/**
 * Runs in every page before its own scripts: any attempt to record media or export a frame is noted
 * in `window.__recordingAttempts` (and refused), so a journey can assert that nothing was kept.
 */
function trapRecording(): void {
	const attempts: string[] = [];
	Object.defineProperty(window, '__recordingAttempts', { value: attempts });
	const refuse = (what: string) => () => {
		attempts.push(what);
		throw new DOMException(`${what} is not allowed in vidverify`, 'SecurityError');
	};
	Object.defineProperty(window, 'MediaRecorder', { value: refuse('MediaRecorder'), configurable: false, writable: false });
	HTMLCanvasElement.prototype.toDataURL = refuse('canvas.toDataURL') as never;
	HTMLCanvasElement.prototype.toBlob = refuse('canvas.toBlob') as never;
	HTMLCanvasElement.prototype.captureStream = refuse('canvas.captureStream') as never;
	(HTMLMediaElement.prototype as unknown as { captureStream: unknown }).captureStream = refuse('media.captureStream');
}

/** What the page tried to record or export (nothing, in vidverify). */
export function recordingAttempts(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __recordingAttempts: string[] }).__recordingAttempts);
}

/** The applicant (or interpreter) from the link to the waiting room or the call: consent, device check. */
export async function joinThroughDeviceCheck(page: Page, link: string, screens?: (name: string) => Promise<void>): Promise<void> {
	await page.goto(link);
	await expect(page.getByTestId('consent-screen')).toBeVisible();
	await screens?.('consent');
	await page.getByTestId('consent-accept').click();
	await expect(page.getByTestId('device-check')).toBeVisible();
	const proceed = page.getByTestId('device-check-continue');
	await expect(proceed).toBeEnabled();
	await screens?.('device-check');
	await proceed.click();
}

export async function agentGoesAvailable(page: Page, agentUrl: string): Promise<void> {
	await page.goto(agentUrl);
	const toggle = page.getByTestId('availability-toggle');
	await expect(toggle).toBeVisible();
	if ((await toggle.getAttribute('data-availability')) !== 'available') await toggle.click();
	await expect(toggle).toHaveAttribute('data-availability', 'available');
}

/** Accepts the given verification from the queue; resolves with the time of the click. */
export async function agentAccepts(page: Page, verificationId: string): Promise<number> {
	const row = page.locator(`[data-testid="queue-row"][data-verification-id="${verificationId}"]`);
	await expect(row).toBeVisible();
	const clickedAt = Date.now();
	await row.getByTestId('queue-accept').click();
	await expect(page.getByTestId('call-view')).toBeVisible();
	return clickedAt;
}

export function videoIn(page: Page, tileTestId: string): Locator {
	return page.getByTestId(tileTestId).locator('video');
}

/** Waits until the video shows the sender's colour: the picture that arrives is the one that was sent. */
export async function expectPictureFrom(video: Locator, sender: Role): Promise<void> {
	await expect.poll(async () => sameColour(await centreColour(video), ROLE_COLOURS[sender]), { timeout: 30_000 }).toBe(true);
	const first = await centreColour(video);
	await expect
		.poll(async () => (await centreColour(video)).framesDecoded, { timeout: 10_000 })
		.toBeGreaterThan(first.framesDecoded);
}

/** Waits until the element plays sound (the sender's fake microphone beeps). */
export async function expectSound(element: Locator): Promise<void> {
	await expect.poll(() => peakAudioLevel(element), { timeout: 20_000 }).toBeGreaterThan(0.01);
}

/**
 * The agent prompts and passes every step; the applicant sees each prompt in large text, and for the
 * read-aloud step the number the applicant sees is the value the agent expects.
 */
export async function walkChecklist(
	agent: Page,
	applicant: Page,
	options: {
		purpose: Purpose;
		locale: Locale;
		interpreter?: Page;
		textOnly?: boolean;
		/** Runs once each step's prompt is on the applicant's screen, before the step is marked. */
		onPrompted?: (stepId: string) => Promise<void>;
	},
): Promise<void> {
	const steps = checklistFor(options.purpose, {
		interpreter: options.interpreter !== undefined,
		textOnlyChallenge: options.textOnly ?? false,
	});
	for (const step of steps) {
		await agent.getByTestId(`prompt-${step.id}`).click();
		const promptText = translate(options.locale, step.promptKey);
		await expect(applicant.getByTestId('prompt')).toContainText(promptText);
		if (options.interpreter) await expect(options.interpreter.getByTestId('prompt')).toContainText(promptText);
		await options.onPrompted?.(step.id);
		if (step.kind === 'challenge') {
			const expected = (await agent.getByTestId('expected-challenge').innerText()).replace(/\D/g, '');
			const shown = (await applicant.getByTestId('challenge-number').innerText()).replace(/\D/g, '');
			expect(shown).toMatch(/^\d{6}$/);
			expect(shown).toBe(expected);
			if (options.textOnly) {
				await applicant.getByTestId('challenge-answer').fill(shown);
				await applicant.getByTestId('challenge-submit').click();
				await expect(agent.getByTestId('challenge-typed-result')).toHaveAttribute('data-matched', 'true');
			}
		}
		if (step.kind === 'interpreter_declaration' && options.interpreter) {
			await options.interpreter.getByTestId('declare-name').fill('Lin Mei');
			await options.interpreter.getByTestId('declare-relation').selectOption('sibling');
			await options.interpreter.getByTestId('declare-submit').click();
			await expect(agent.getByTestId('interpreter-declaration-step')).toContainText('Lin Mei');
		}
		await agent.getByTestId(`pass-${step.id}`).click();
		await expect(agent.getByTestId(`step-${step.id}`)).toHaveAttribute('data-status', 'passed');
	}
}

/**
 * The agent runs the duplicate check of one document and reads the answer it shows; the number typed
 * is gone from the field at once.
 */
export async function checkDocument(
	agent: Page,
	documentType: string,
	documentNumber: string,
): Promise<'clear' | 'duplicate' | 'failed'> {
	const panel = agent.getByTestId('document-check');
	const result = panel.getByTestId('document-check-result');
	const before = await panel
		.getByTestId('document-history')
		.locator('li')
		.count()
		.catch(() => 0);
	await panel.getByTestId('document-type').selectOption(documentType);
	await panel.getByTestId('document-number').fill(documentNumber);
	await panel.getByTestId('document-check-submit').click();
	await expect(panel.getByTestId('document-number')).toHaveValue('');
	await expect(panel.getByTestId('document-history').locator('li')).toHaveCount(before + 1);
	return (await result.getAttribute('data-result')) as 'clear' | 'duplicate' | 'failed';
}

export async function decide(
	agent: Page,
	decision: { approve: true } | { reject: string[]; note?: string } | { escalate: string },
	beforeConfirm?: () => Promise<void>,
): Promise<void> {
	await agent.getByTestId('decide-open').click();
	const dialog = agent.getByTestId('decision-dialog');
	await expect(dialog).toBeVisible();
	if ('approve' in decision) await dialog.getByTestId('decision-approve').check();
	else if ('reject' in decision) {
		await dialog.getByTestId('decision-reject').check();
		for (const code of decision.reject) await dialog.getByTestId(`reason-${code}`).check();
		if (decision.note) await dialog.getByTestId('decision-note').fill(decision.note);
	} else {
		await dialog.getByTestId('decision-escalate').check();
		await dialog.getByTestId('decision-note').fill(decision.escalate);
	}
	await beforeConfirm?.();
	await dialog.getByTestId('decision-confirm').click();
}
