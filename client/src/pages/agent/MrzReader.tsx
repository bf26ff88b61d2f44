// The agent's MRZ reading aid: on a sharp photo or a frozen frame, the agent marks the document's
// machine-readable zone (the console proposes the foot of the card), this browser reads it (OCR in a
// worker, mrzOcr.ts, loaded on first use) and parses it with its check digits (mrzReading.ts). The
// panel shows the fields, each check digit, the expiry and the comparison with what the host declared;
// a button sends the number to the duplicate check with the verdicts. The copy of the picture and what
// was read live in this component only, gone when it is closed, the picture goes, or the call ends.
// OCR and the parser are imported when the agent first reads a zone: the call's bundle holds neither.
import type { DeclaredIdentity, DocumentCheckView, DocumentType } from '@vidverify/shared';
import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import { bmpOf, type Pixels, prepareZone, proposeZone, type Region } from './mrzImage.ts';
import type { ZoneOcr } from './mrzOcr.ts';
import type { DeclarationComparison, MrzReading } from './mrzReading.ts';

/** What the zone can be read from: the sharp photo shown, or the frozen frame. */
export type MrzSource = { kind: 'still'; url: string } | { kind: 'frame'; canvas: HTMLCanvasElement };

type Props = {
	client: VerificationClient;
	source: MrzSource | undefined;
	declared: DeclaredIdentity | undefined;
	onChecked: (check: DocumentCheckView) => void;
};

type Stage = 'idle' | 'marking' | 'reading' | 'read';
type Message = { tone: 'ok' | 'error'; text: string } | undefined;

/** The source's pixels, drawn into the panel's own canvas. */
async function copyInto(source: MrzSource, canvas: HTMLCanvasElement): Promise<Pixels | undefined> {
	let picture: CanvasImageSource;
	let width: number;
	let height: number;
	if (source.kind === 'still') {
		const image = new Image();
		image.src = source.url;
		await image.decode();
		picture = image;
		width = image.naturalWidth;
		height = image.naturalHeight;
	} else {
		picture = source.canvas;
		width = source.canvas.width;
		height = source.canvas.height;
	}
	if (width === 0 || height === 0) return undefined;
	canvas.width = width;
	canvas.height = height;
	const context = canvas.getContext('2d', { willReadFrequently: true });
	if (!context) return undefined;
	context.drawImage(picture, 0, 0);
	const { data } = context.getImageData(0, 0, width, height);
	return { width, height, data };
}

/** A rectangle between two points, kept inside the picture. */
function between(a: { x: number; y: number }, b: { x: number; y: number }, pixels: Pixels): Region {
	const x = Math.max(0, Math.min(a.x, b.x));
	const y = Math.max(0, Math.min(a.y, b.y));
	return {
		x,
		y,
		width: Math.min(pixels.width, Math.max(a.x, b.x)) - x,
		height: Math.min(pixels.height, Math.max(a.y, b.y)) - y,
	};
}

/** The sizes (prepared width, pixels) a zone is read again at when the first read's check digits fail. */
const RETRY_WIDTHS = [1200, 700];

function digitsHolding(reading: MrzReading): number {
	return reading.checkDigits.filter((digit) => digit.holds).length;
}

/** The whole lower third: where a zone is when the console found no card. */
function fallbackRegion(pixels: Pixels): Region {
	return { x: 0, y: Math.round(pixels.height * 0.6), width: pixels.width, height: Math.round(pixels.height * 0.4) };
}

export function MrzReader({ client, source, declared, onChecked }: Props) {
	const { t, describeError } = useI18n();
	const canvas = useRef<HTMLCanvasElement>(null);
	const pixels = useRef<Pixels | undefined>(undefined);
	const ocr = useRef<Promise<ZoneOcr> | undefined>(undefined);
	const drag = useRef<{ pointerId: number; from: { x: number; y: number } } | undefined>(undefined);
	const [stage, setStage] = useState<Stage>('idle');
	const [region, setRegion] = useState<Region | undefined>();
	const [message, setMessage] = useState<Message>();
	const [reading, setReading] = useState<(MrzReading & { documentType: DocumentType }) | undefined>();
	const [readMs, setReadMs] = useState<number | undefined>();
	const [sentCheck, setSentCheck] = useState<number | undefined>();
	const [sending, setSending] = useState(false);

	const close = useCallback(() => {
		pixels.current = undefined;
		if (canvas.current) {
			canvas.current.width = 0;
			canvas.current.height = 0;
		}
		setStage('idle');
		setRegion(undefined);
		setMessage(undefined);
		setReading(undefined);
		setReadMs(undefined);
		setSentCheck(undefined);
	}, []);

	// The picture it was marked on is gone (dismissed, unfrozen, replaced): so is the copy and the reading.
	// biome-ignore lint/correctness/useExhaustiveDependencies: the source changing is what closes the panel
	useEffect(() => close(), [source, close]);

	// The call view goes away: the reader's worker ends with it.
	useEffect(
		() => () => {
			void ocr.current?.then((worker) => worker.close()).catch(() => undefined);
			ocr.current = undefined;
		},
		[],
	);

	async function start() {
		const target = canvas.current;
		if (!source || !target) return;
		setReading(undefined);
		setSentCheck(undefined);
		const copied = await copyInto(source, target);
		if (!copied) return;
		pixels.current = copied;
		const proposed = proposeZone(copied);
		setRegion(proposed ?? fallbackRegion(copied));
		setMessage({ tone: 'ok', text: proposed ? t('agent.mrz.proposed') : t('agent.mrz.notFound') });
		setStage('marking');
	}

	async function read() {
		const marked = region;
		const picture = pixels.current;
		if (!marked || !picture || marked.width < 8 || marked.height < 8) return;
		const started = performance.now();
		setStage('reading');
		setReading(undefined);
		setSentCheck(undefined);
		setMessage({ tone: 'ok', text: ocr.current ? t('agent.mrz.reading') : t('agent.mrz.loading') });
		try {
			ocr.current ??= import('./mrzOcr.ts').then(({ startZoneOcr }) => startZoneOcr());
			const [worker, zone] = await Promise.all([ocr.current, import('./mrzReading.ts')]);
			setMessage({ tone: 'ok', text: t('agent.mrz.reading') });
			// OCR misreads a character now and then (an O for a < beside an O); the check digits tell. A read
			// whose digits fail is tried again at other sizes, and the read with the most digits holding is
			// kept: independent reads, none altered, so a document whose digits are wrong fails at every size.
			let result = zone.readZone(await worker.read(bmpOf(prepareZone(picture, marked))), declared, new Date());
			for (const width of RETRY_WIDTHS) {
				if (zone.isReading(result) && result.verdicts.checkDigits === 'valid') break;
				const retry = zone.readZone(await worker.read(bmpOf(prepareZone(picture, marked, width))), declared, new Date());
				if (zone.isReading(retry) && (!zone.isReading(result) || digitsHolding(retry) > digitsHolding(result))) result = retry;
			}
			const elapsed = Math.round(performance.now() - started);
			setReadMs(elapsed);
			if (!zone.isReading(result)) {
				setMessage({ tone: 'error', text: t(result.kind === 'noZone' ? 'agent.mrz.noZone' : 'agent.mrz.unparsable') });
				setStage('marking');
				return;
			}
			setReading({ ...result, documentType: zone.documentTypeOf(result) });
			setMessage({ tone: 'ok', text: t('agent.mrz.readIn', { seconds: (elapsed / 1000).toFixed(1) }) });
			setStage('read');
		} catch (error) {
			ocr.current = undefined;
			setMessage({ tone: 'error', text: t('agent.mrz.failed', { reason: describeError(error) }) });
			setStage('marking');
		}
	}

	async function sendCheck() {
		const number = reading?.documentNumber;
		if (!reading || !number) return;
		setSending(true);
		try {
			const { check } = await client.request('checkDocument', {
				documentType: reading.documentType,
				documentNumber: number,
				mrz: reading.verdicts,
			});
			onChecked(check);
			setSentCheck(check.check);
		} catch (error) {
			setMessage({ tone: 'error', text: t('agent.document.failed', { reason: describeError(error) }) });
		} finally {
			setSending(false);
		}
	}

	/** A pointer's place in the picture's own pixels. */
	function pointIn(event: { clientX: number; clientY: number }): { x: number; y: number } | undefined {
		const rect = canvas.current?.getBoundingClientRect();
		const picture = pixels.current;
		if (!rect || !picture || rect.width === 0) return undefined;
		return {
			x: ((event.clientX - rect.left) / rect.width) * picture.width,
			y: ((event.clientY - rect.top) / rect.height) * picture.height,
		};
	}

	function onPointerDown(event: PointerEvent<HTMLDivElement>) {
		const from = pointIn(event);
		if (stage !== 'marking' || !from || event.button !== 0) return;
		event.currentTarget.setPointerCapture(event.pointerId);
		drag.current = { pointerId: event.pointerId, from };
	}

	function onPointerMove(event: PointerEvent<HTMLDivElement>) {
		const start = drag.current;
		const to = pointIn(event);
		if (!start || start.pointerId !== event.pointerId || !to || !pixels.current) return;
		setRegion(between(start.from, to, pixels.current));
	}

	function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
		const picture = pixels.current;
		if (stage !== 'marking' || !picture || !region) return;
		if (event.key === 'Enter') {
			event.preventDefault();
			void read();
			return;
		}
		const steps: Record<string, [number, number]> = {
			ArrowLeft: [-1, 0],
			ArrowRight: [1, 0],
			ArrowUp: [0, -1],
			ArrowDown: [0, 1],
		};
		const step = steps[event.key];
		if (!step) return;
		event.preventDefault();
		// Two hundredths of the picture a press: a zone is marked in a few presses.
		const dx = step[0] * picture.width * 0.02;
		const dy = step[1] * picture.height * 0.02;
		const next = event.shiftKey
			? { ...region, width: Math.max(8, region.width + dx), height: Math.max(8, region.height + dy) }
			: { ...region, x: region.x + dx, y: region.y + dy };
		setRegion(
			between(
				{ x: Math.max(0, next.x), y: Math.max(0, next.y) },
				{ x: Math.max(0, next.x) + next.width, y: Math.max(0, next.y) + next.height },
				picture,
			),
		);
	}

	const picture = pixels.current;
	const percent = (value: number, of: number) => `${(value / of) * 100}%`;
	const hintId = 'agent-mrz-hint';

	return (
		<section className="agent-panel" aria-labelledby="agent-mrz-title" data-testid="mrz-reader" data-stage={stage}>
			<h2 id="agent-mrz-title">{t('agent.mrz.title')}</h2>
			<p className="hint">{t('agent.mrz.intro')}</p>
			{stage === 'idle' ? (
				<p className="agent-row">
					<button type="button" onClick={() => void start()} disabled={!source} data-testid="mrz-start">
						{t('agent.mrz.start')}
					</button>
					{source ? null : <span className="hint">{t('agent.mrz.needPicture')}</span>}
				</p>
			) : null}
			{/* biome-ignore lint/a11y/useSemanticElements: a labelled, focusable picture to mark on, not a group of form fields */}
			<div
				className="agent-mrz-picture"
				role="group"
				tabIndex={stage === 'marking' ? 0 : -1}
				aria-label={t('agent.mrz.pictureLabel')}
				aria-describedby={hintId}
				hidden={stage === 'idle'}
				onPointerDown={onPointerDown}
				onPointerMove={onPointerMove}
				onPointerUp={() => {
					drag.current = undefined;
				}}
				onPointerCancel={() => {
					drag.current = undefined;
				}}
				onKeyDown={onKeyDown}
				data-testid="mrz-picture"
			>
				<canvas ref={canvas} />
				{picture && region ? (
					<span
						className="agent-mrz-region"
						style={{
							left: percent(region.x, picture.width),
							top: percent(region.y, picture.height),
							width: percent(region.width, picture.width),
							height: percent(region.height, picture.height),
						}}
						data-testid="mrz-region"
						data-region={`${Math.round(region.x)},${Math.round(region.y)},${Math.round(region.width)},${Math.round(region.height)}`}
					/>
				) : null}
			</div>
			{stage !== 'idle' ? (
				<>
					<p id={hintId} className="hint">
						{t('agent.mrz.markHint')}
					</p>
					<p className="agent-row">
						<button type="button" onClick={() => void read()} disabled={stage === 'reading' || !region} data-testid="mrz-read">
							{t('agent.mrz.read')}
						</button>
						<button type="button" className="agent-secondary" onClick={close} data-testid="mrz-close">
							{t('agent.mrz.cancel')}
						</button>
					</p>
				</>
			) : null}
			<div aria-live="polite">
				{message ? (
					<p className="status" data-tone={message.tone} data-testid="mrz-status" data-ms={readMs}>
						{message.text}
					</p>
				) : null}
			</div>
			{reading ? (
				<MrzResult reading={reading} declared={declared}>
					<p className="agent-row">
						<button
							type="button"
							onClick={() => void sendCheck()}
							disabled={sending || !reading.documentNumber || sentCheck !== undefined}
							data-testid="mrz-send"
						>
							{t('agent.mrz.sendCheck')}
						</button>
					</p>
					{sentCheck !== undefined ? (
						<p className="status" data-tone="ok" data-testid="mrz-sent">
							{t('agent.mrz.sent', { check: sentCheck })}
						</p>
					) : null}
				</MrzResult>
			) : null}
		</section>
	);
}

function MrzResult({
	reading,
	declared,
	children,
}: {
	reading: MrzReading;
	declared: DeclaredIdentity | undefined;
	children: React.ReactNode;
}) {
	const { t } = useI18n();
	const value = (text: string | null) => (text === null || text === '' ? t('agent.mrz.unreadable') : text);
	const fields: [string, string, string | null][] = [
		['format', t('agent.mrz.format'), reading.format],
		['documentCode', t('agent.mrz.documentCode'), reading.documentCode],
		['issuingState', t('agent.mrz.issuingState'), reading.issuingState],
		['documentNumber', t('agent.mrz.documentNumber'), reading.documentNumber],
		['surname', t('agent.mrz.surname'), reading.surname],
		['givenNames', t('agent.mrz.givenNames'), reading.givenNames],
		['birthDate', t('agent.mrz.dateOfBirth'), reading.birthDate],
		['nationality', t('agent.mrz.nationality'), reading.nationality],
		['sex', t('agent.mrz.sex'), reading.sex],
	];
	const holds = reading.verdicts.checkDigits === 'valid';
	const comparisons: [keyof DeclarationComparison, string, string | undefined][] = [
		['fullName', t('agent.mrz.declaredName'), declared?.fullName],
		['dateOfBirth', t('agent.mrz.declaredBirth'), declared?.dateOfBirth],
	];
	return (
		<div data-testid="mrz-result">
			{/* The lines as read, for the agent to hold against the document itself. */}
			<p className="hint">{t('agent.mrz.linesRead')}</p>
			<pre className="agent-mrz-lines" data-testid="mrz-lines">
				{reading.lines.join('\n')}
			</pre>
			<dl className="agent-mrz-fields">
				{fields.map(([key, label, text]) => (
					<div key={key}>
						<dt>{label}</dt>
						<dd data-testid={`mrz-field-${key}`}>{value(text)}</dd>
					</div>
				))}
			</dl>
			<p className="status" data-tone={holds ? 'ok' : 'error'} data-testid="mrz-check-digits" data-holds={holds}>
				{holds ? t('agent.mrz.checkDigitsHold') : t('agent.mrz.checkDigitsFail')}
			</p>
			<ul className="agent-mrz-digits" aria-label={t('agent.mrz.checkDigits')}>
				{reading.checkDigits.map((digit) => (
					<li key={digit.name} data-testid={`mrz-digit-${digit.name}`} data-holds={digit.holds}>
						{t(`agent.mrz.digit.${digit.name}`)}: {digit.holds ? t('agent.mrz.holds') : t('agent.mrz.doesNotHold')}
					</li>
				))}
			</ul>
			<p
				className="status"
				data-tone={reading.expired === false ? 'ok' : 'error'}
				data-testid="mrz-expiry"
				data-expired={reading.expired ?? 'unknown'}
			>
				{reading.expiryDate === null
					? t('agent.mrz.expiryUnreadable')
					: t(reading.expired ? 'agent.mrz.expired' : 'agent.mrz.valid', { date: reading.expiryDate })}
			</p>
			<h3>{t('agent.mrz.declaration')}</h3>
			{declared?.fullName === undefined && declared?.dateOfBirth === undefined ? (
				<p className="hint" data-testid="mrz-nothing-declared">
					{t('agent.mrz.nothingDeclared')}
				</p>
			) : (
				<ul className="agent-mrz-compare">
					{comparisons.map(([key, label, declaredValue]) => (
						<li key={key} data-testid={`mrz-compare-${key}`} data-result={reading.comparison[key]}>
							{label}
							{declaredValue ? ` (${declaredValue})` : ''}: {t(`agent.mrz.compare.${reading.comparison[key]}`)}
						</li>
					))}
				</ul>
			)}
			{children}
		</div>
	);
}
