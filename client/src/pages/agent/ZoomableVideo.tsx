// A remote participant's live picture that the agent can magnify, move around and freeze to read a
// document. The zoom is a CSS transform on the playing video; freezing copies the current frame into
// a canvas shown in its place. Both exist only in this page: the canvas is never exported or sent
// (the MRZ reader of this page may read its pixels, onFrozenFrame), and is emptied when unfrozen or
// when the call view goes away. A sharp photo the agent took
// (SharpPhoto.tsx) is shown in the same place, under the same zoom and pan.
import {
	type PointerEvent,
	type ReactNode,
	type Ref,
	useCallback,
	useEffect,
	useImperativeHandle,
	useRef,
	useState,
} from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { ShownStill } from './SharpPhoto.tsx';
import {
	isZoomed,
	panBy,
	transformOf,
	UNZOOMED,
	type ViewerCommand,
	type ViewportPoint,
	type ZoomState,
	zoomIn,
	zoomOut,
} from './zoom.ts';

export type ViewerHandle = {
	run: (command: ViewerCommand) => void;
	/** Whether keyboard focus is on this viewer's picture. */
	hasFocus: () => boolean;
};

export type ZoomableVideoProps = {
	name: string;
	track: MediaStreamTrack | undefined;
	/** The container's test id (remote-video-applicant, remote-video-interpreter). */
	testId: string;
	/** Prefix of the controls' test ids: "" for the applicant, "interpreter-" for the interpreter. */
	controlPrefix: string;
	handle: Ref<ViewerHandle>;
	onUse: () => void;
	/** Extra controls after the zoom buttons (the applicant's "Highest quality", "Take a sharp photo"). */
	children?: ReactNode;
	/** A full-resolution photo to show in place of the video while it is there. */
	still?: ShownStill | undefined;
	/** Told the frozen frame's canvas when the picture is frozen, and undefined when it is live again. */
	onFrozenFrame?: ((canvas: HTMLCanvasElement | undefined) => void) | undefined;
};

/** Forgets a frozen frame: a zero-size canvas holds no pixels. */
function discard(canvas: HTMLCanvasElement | null): void {
	if (!canvas) return;
	canvas.width = 0;
	canvas.height = 0;
}

/** Laid out like the video and the frozen frame (styles.css), with the same transform. */
const STILL_LAYOUT = {
	position: 'absolute',
	inset: 0,
	width: '100%',
	height: '100%',
	objectFit: 'contain',
	transformOrigin: '0 0',
} as const;

export function ZoomableVideo({
	name,
	track,
	testId,
	controlPrefix,
	handle,
	onUse,
	children,
	still,
	onFrozenFrame,
}: ZoomableVideoProps) {
	const { t } = useI18n();
	const viewport = useRef<HTMLDivElement>(null);
	const video = useRef<HTMLVideoElement>(null);
	const canvas = useRef<HTMLCanvasElement>(null);
	const drag = useRef<{ pointerId: number; x: number; y: number } | undefined>(undefined);
	const [zoom, setZoom] = useState<ZoomState>(UNZOOMED);
	const [frozen, setFrozen] = useState(false);
	const shortcutsId = `${testId}-shortcuts`;

	useEffect(() => {
		const element = video.current;
		if (element) element.srcObject = track ? new MediaStream([track]) : null;
	}, [track]);

	useEffect(() => {
		const element = canvas.current;
		return () => discard(element);
	}, []);

	const frozenFrameTo = useRef(onFrozenFrame);
	frozenFrameTo.current = onFrozenFrame;
	// Kept in a ref as well, so a toggle reads the latest value without a state updater doing the drawing.
	const frozenNow = useRef(false);
	const toggleFreeze = useCallback(() => {
		const source = video.current;
		const target = canvas.current;
		if (!source || !target) return;
		if (frozenNow.current) {
			discard(target);
			frozenNow.current = false;
			setFrozen(false);
			frozenFrameTo.current?.(undefined);
			return;
		}
		if (source.videoWidth === 0 || source.videoHeight === 0) return;
		target.width = source.videoWidth;
		target.height = source.videoHeight;
		target.getContext('2d')?.drawImage(source, 0, 0);
		frozenNow.current = true;
		setFrozen(true);
		frozenFrameTo.current?.(target);
	}, []);

	const run = useCallback(
		(command: ViewerCommand) => {
			onUse();
			switch (command.type) {
				case 'zoomIn':
					setZoom((state) => zoomIn(state));
					break;
				case 'zoomOut':
					setZoom((state) => zoomOut(state));
					break;
				case 'reset':
					setZoom(UNZOOMED);
					break;
				case 'pan':
					setZoom((state) => panBy(state, command.dx, command.dy));
					break;
				case 'freeze':
					toggleFreeze();
					break;
			}
		},
		[onUse, toggleFreeze],
	);

	useImperativeHandle(handle, () => ({ run, hasFocus: () => document.activeElement === viewport.current }), [run]);

	function pointAt(event: { clientX: number; clientY: number }): ViewportPoint | undefined {
		const rect = viewport.current?.getBoundingClientRect();
		if (!rect || rect.width === 0 || rect.height === 0) return undefined;
		return { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.height };
	}

	function onPointerDown(event: PointerEvent<HTMLDivElement>) {
		onUse();
		if (!isZoomed(zoom) || event.button !== 0) return;
		event.currentTarget.setPointerCapture(event.pointerId);
		drag.current = { pointerId: event.pointerId, x: event.clientX, y: event.clientY };
	}

	function onPointerMove(event: PointerEvent<HTMLDivElement>) {
		const start = drag.current;
		const rect = viewport.current?.getBoundingClientRect();
		if (!start || start.pointerId !== event.pointerId || !rect || rect.width === 0) return;
		const dx = (event.clientX - start.x) / rect.width;
		const dy = (event.clientY - start.y) / rect.height;
		drag.current = { ...start, x: event.clientX, y: event.clientY };
		setZoom((state) => panBy(state, dx, dy));
	}

	function endDrag() {
		drag.current = undefined;
	}

	const level = Math.round(zoom.scale * 10) / 10;
	const style = { transform: transformOf(zoom) };

	return (
		<figure className="agent-viewer" data-testid={testId} data-zoom={level} data-frozen={frozen} data-still={still !== undefined}>
			{/* biome-ignore lint/a11y/useSemanticElements: a labelled, focusable picture region, not a group of form fields */}
			<div
				ref={viewport}
				className="agent-viewer-viewport"
				data-zoomed={isZoomed(zoom)}
				role="group"
				// biome-ignore lint/a11y/noNoninteractiveTabindex: the picture takes focus so arrow keys can move a zoomed document
				tabIndex={0}
				aria-label={t('agent.viewer.label', { name })}
				aria-describedby={shortcutsId}
				onFocus={onUse}
				onPointerDown={onPointerDown}
				onPointerMove={onPointerMove}
				onPointerUp={endDrag}
				onPointerCancel={endDrag}
				onDoubleClick={(event) => {
					const point = pointAt(event);
					onUse();
					setZoom((state) => zoomIn(state, point));
				}}
			>
				<video ref={video} autoPlay playsInline muted style={style} hidden={frozen || still !== undefined} />
				<canvas ref={canvas} style={style} hidden={!frozen || still !== undefined} />
				{still ? (
					<img
						src={still.url}
						width={still.width}
						height={still.height}
						alt={t('agent.still.badge')}
						style={{ ...STILL_LAYOUT, ...style }}
						draggable={false}
						data-testid={`${controlPrefix}still-image`}
					/>
				) : null}
				{!track ? <p className="agent-viewer-empty">{t('agent.viewer.noVideo')}</p> : null}
				<span className="agent-viewer-badge" data-frozen={frozen || still !== undefined}>
					{still ? t('agent.still.badge') : frozen ? t('agent.viewer.frozen') : t('agent.viewer.live')}
				</span>
			</div>
			<figcaption className="agent-viewer-caption">
				<span className="agent-viewer-name">{name}</span>
				<span className="agent-viewer-tools">
					<button
						type="button"
						className="agent-tool"
						onClick={() => run({ type: 'zoomOut' })}
						disabled={!isZoomed(zoom)}
						data-testid={`${controlPrefix}zoom-out`}
						aria-label={t('agent.viewer.zoomOut')}
						title={`${t('agent.viewer.zoomOut')} (−)`}
					>
						−
					</button>
					<output className="agent-zoom-level" aria-live="polite" data-testid={`${controlPrefix}zoom-level`}>
						{t('agent.viewer.zoomLevel', { level })}
					</output>
					<button
						type="button"
						className="agent-tool"
						onClick={() => run({ type: 'zoomIn' })}
						data-testid={`${controlPrefix}zoom-in`}
						aria-label={t('agent.viewer.zoomIn')}
						title={`${t('agent.viewer.zoomIn')} (+)`}
					>
						+
					</button>
					<button
						type="button"
						className="agent-tool"
						onClick={() => run({ type: 'reset' })}
						disabled={!isZoomed(zoom)}
						data-testid={`${controlPrefix}zoom-reset`}
						title={`${t('agent.viewer.reset')} (0)`}
					>
						{t('agent.viewer.reset')}
					</button>
					<button
						type="button"
						className="agent-tool"
						onClick={() => run({ type: 'freeze' })}
						disabled={!track && !frozen}
						aria-pressed={frozen}
						data-testid={`${controlPrefix}freeze`}
						title={`${frozen ? t('agent.viewer.unfreeze') : t('agent.viewer.freeze')} (F)`}
					>
						{frozen ? t('agent.viewer.unfreeze') : t('agent.viewer.freeze')}
					</button>
					{children}
				</span>
			</figcaption>
			<p id={shortcutsId} className="hint agent-viewer-shortcuts">
				{t('agent.viewer.shortcuts')}
			</p>
		</figure>
	);
}
