// The agent's in-page magnifier for reading documents on the live picture: a zoom level and a pan
// offset applied as a CSS transform, plus the keyboard shortcuts that drive it. Pure functions, so the
// geometry is tested without a browser; nothing here ever touches pixels.

/**
 * `scale` magnifies the picture; `x` and `y` move it, as fractions of the viewport's width and height
 * (CSS `translate` percentages of an element as large as its viewport). With the transform origin at
 * the top left, the picture covers the viewport exactly when 1 − scale ≤ x ≤ 0 (and the same for y).
 */
export type ZoomState = { scale: number; x: number; y: number };

/** A point of the viewport as fractions of its width and height: {0.5, 0.5} is the centre. */
export type ViewportPoint = { x: number; y: number };

// Steps small enough to keep one's place in the document, up to the magnification at which a 720p
// picture of an ID card's microprint fills the screen; beyond that only blur grows.
export const ZOOM_LEVELS = [1, 1.5, 2, 3, 4, 6] as const;
export const MIN_SCALE = ZOOM_LEVELS[0];
export const MAX_SCALE = ZOOM_LEVELS[ZOOM_LEVELS.length - 1] ?? 6;
export const UNZOOMED: ZoomState = { scale: 1, x: 0, y: 0 };
/** One arrow-key press moves the picture by this share of the viewport. */
export const PAN_STEP = 0.1;

const CENTRE: ViewportPoint = { x: 0.5, y: 0.5 };
// Keeps comparisons of floating-point scales stable (1.5 * 2 / 2 need not be exactly 1.5).
const EPSILON = 1e-9;

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}

/** The same zoom with the picture moved back so that it covers the whole viewport. */
export function clampPan(state: ZoomState): ZoomState {
	const scale = clamp(state.scale, MIN_SCALE, MAX_SCALE);
	return { scale, x: clamp(state.x, 1 - scale, 0), y: clamp(state.y, 1 - scale, 0) };
}

/** Zooms to `scale` keeping the point under `focus` where it is (the centre unless given). */
export function zoomTo(state: ZoomState, scale: number, focus: ViewportPoint = CENTRE): ZoomState {
	const next = clamp(scale, MIN_SCALE, MAX_SCALE);
	// The picture's point under the focus, in the picture's own unzoomed fractions.
	const pictureX = (focus.x - state.x) / state.scale;
	const pictureY = (focus.y - state.y) / state.scale;
	return clampPan({ scale: next, x: focus.x - pictureX * next, y: focus.y - pictureY * next });
}

export function zoomIn(state: ZoomState, focus?: ViewportPoint): ZoomState {
	const next = ZOOM_LEVELS.find((level) => level > state.scale + EPSILON) ?? MAX_SCALE;
	return zoomTo(state, next, focus);
}

export function zoomOut(state: ZoomState, focus?: ViewportPoint): ZoomState {
	const next = [...ZOOM_LEVELS].reverse().find((level) => level < state.scale - EPSILON) ?? MIN_SCALE;
	return zoomTo(state, next, focus);
}

/** Moves the picture by a share of the viewport (positive: the picture moves right or down). */
export function panBy(state: ZoomState, dx: number, dy: number): ZoomState {
	return clampPan({ scale: state.scale, x: state.x + dx, y: state.y + dy });
}

export function isZoomed(state: ZoomState): boolean {
	return state.scale > MIN_SCALE + EPSILON;
}

/** The CSS transform for an element with `transform-origin: 0 0` that fills its viewport. */
export function transformOf(state: ZoomState): string {
	return `translate(${round(state.x * 100)}%, ${round(state.y * 100)}%) scale(${round(state.scale)})`;
}

function round(value: number): number {
	return Math.round(value * 1000) / 1000 || 0;
}

export type ViewerCommand =
	| { type: 'zoomIn' }
	| { type: 'zoomOut' }
	| { type: 'reset' }
	| { type: 'freeze' }
	| { type: 'pan'; dx: number; dy: number };

type KeyLike = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean };

/**
 * The viewer command a key press stands for. Ctrl, Cmd and Alt combinations are left alone: Ctrl + and
 * Ctrl − are the browser's own page zoom. Arrow keys pan only when the picture itself has focus, since
 * elsewhere they scroll the page or move between options.
 */
export function viewerCommandFor(event: KeyLike, viewerFocused: boolean): ViewerCommand | undefined {
	if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
	switch (event.key) {
		case '+':
		case '=':
			return { type: 'zoomIn' };
		case '-':
		case '_':
		case '−':
			return { type: 'zoomOut' };
		case '0':
			return { type: 'reset' };
		case 'f':
		case 'F':
			return { type: 'freeze' };
	}
	if (!viewerFocused) return undefined;
	// The arrow moves the view: the picture moves the other way.
	switch (event.key) {
		case 'ArrowLeft':
			return { type: 'pan', dx: PAN_STEP, dy: 0 };
		case 'ArrowRight':
			return { type: 'pan', dx: -PAN_STEP, dy: 0 };
		case 'ArrowUp':
			return { type: 'pan', dx: 0, dy: PAN_STEP };
		case 'ArrowDown':
			return { type: 'pan', dx: 0, dy: -PAN_STEP };
	}
	return undefined;
}

type TargetLike = { tagName?: string; isContentEditable?: boolean; type?: string } | null;

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image']);

/** Whether a key press goes into text the agent is typing (chat, notes, the document number). */
export function isTypingTarget(target: TargetLike): boolean {
	if (!target) return false;
	if (target.isContentEditable) return true;
	const tag = target.tagName?.toUpperCase();
	if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
	if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
	return false;
}
