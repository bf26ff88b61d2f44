import { describe, expect, it } from 'vitest';
import {
	clampPan,
	isTypingTarget,
	MAX_SCALE,
	panBy,
	transformOf,
	UNZOOMED,
	viewerCommandFor,
	ZOOM_LEVELS,
	zoomIn,
	zoomOut,
	zoomTo,
} from './zoom.ts';

const key = (value: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
	key: value,
	ctrlKey: false,
	metaKey: false,
	altKey: false,
	...modifiers,
});

describe('zoom', () => {
	it('zoomIn() from the unzoomed picture magnifies around the centre', () => {
		const state = zoomIn(UNZOOMED);
		expect(state.scale).toBe(ZOOM_LEVELS[1]);
		// The centre stays the centre: 0.5 = x + 0.5 * scale.
		expect(state.x).toBeCloseTo(0.5 - 0.5 * state.scale);
		expect(state.y).toBeCloseTo(0.5 - 0.5 * state.scale);
	});

	it('zoomTo() keeps the picture point under the focus in place', () => {
		const state = zoomTo(UNZOOMED, 2, { x: 0.25, y: 0.75 });
		expect(state).toEqual({ scale: 2, x: -0.25, y: -0.75 });
		const deeper = zoomTo(state, 4, { x: 0.5, y: 0.5 });
		// Before: the viewport centre shows picture point (0.5 + 0.25) / 2 = 0.375; after, still.
		expect((0.5 - deeper.x) / deeper.scale).toBeCloseTo(0.375);
		expect((0.5 - deeper.y) / deeper.scale).toBeCloseTo((0.5 + 0.75) / 2);
	});

	it('zoomTo() at a corner never uncovers the viewport', () => {
		const state = zoomTo(UNZOOMED, 3, { x: 0, y: 1 });
		expect(state).toEqual({ scale: 3, x: 0, y: -2 });
	});

	it('zoomIn() stops at the largest level and zoomOut() at 1', () => {
		let state = UNZOOMED;
		for (let i = 0; i < 20; i++) state = zoomIn(state);
		expect(state.scale).toBe(MAX_SCALE);
		for (let i = 0; i < 20; i++) state = zoomOut(state);
		expect(state).toEqual(UNZOOMED);
	});

	it('zoomOut() steps down one level and pulls the picture back over the viewport', () => {
		const state = zoomOut({ scale: 4, x: -3, y: 0 });
		expect(state.scale).toBe(3);
		expect(state.x).toBeGreaterThanOrEqual(1 - 3);
		expect(state.x).toBeLessThanOrEqual(0);
	});

	it('panBy() moves within the edges of the magnified picture', () => {
		const state = zoomTo(UNZOOMED, 2);
		expect(panBy(state, 0.1, 0)).toEqual({ scale: 2, x: -0.4, y: -0.5 });
		expect(panBy(state, 5, -5)).toEqual({ scale: 2, x: 0, y: -1 });
		expect(panBy(UNZOOMED, 0.3, 0.3)).toEqual(UNZOOMED);
	});

	it('clampPan() bounds the scale too', () => {
		expect(clampPan({ scale: 50, x: 0, y: 0 }).scale).toBe(MAX_SCALE);
		expect(clampPan({ scale: 0.2, x: 1, y: 1 })).toEqual(UNZOOMED);
	});

	it('transformOf() writes percentages for translate and a plain factor for scale', () => {
		expect(transformOf({ scale: 2, x: -0.25, y: -0.5 })).toBe('translate(-25%, -50%) scale(2)');
		expect(transformOf(UNZOOMED)).toBe('translate(0%, 0%) scale(1)');
	});
});

describe('viewerCommandFor', () => {
	it('maps +, −, 0 and F whether or not the picture has focus', () => {
		expect(viewerCommandFor(key('+'), false)).toEqual({ type: 'zoomIn' });
		expect(viewerCommandFor(key('='), false)).toEqual({ type: 'zoomIn' });
		expect(viewerCommandFor(key('-'), false)).toEqual({ type: 'zoomOut' });
		expect(viewerCommandFor(key('0'), false)).toEqual({ type: 'reset' });
		expect(viewerCommandFor(key('f'), false)).toEqual({ type: 'freeze' });
		expect(viewerCommandFor(key('F'), true)).toEqual({ type: 'freeze' });
	});

	it('leaves Ctrl and Cmd combinations to the browser', () => {
		expect(viewerCommandFor(key('+', { ctrlKey: true }), true)).toBeUndefined();
		expect(viewerCommandFor(key('0', { metaKey: true }), true)).toBeUndefined();
		expect(viewerCommandFor(key('f', { altKey: true }), true)).toBeUndefined();
	});

	it('pans with the arrow keys only while the picture has focus', () => {
		expect(viewerCommandFor(key('ArrowLeft'), false)).toBeUndefined();
		expect(viewerCommandFor(key('ArrowRight'), true)).toEqual({ type: 'pan', dx: -0.1, dy: 0 });
		expect(viewerCommandFor(key('ArrowUp'), true)).toEqual({ type: 'pan', dx: 0, dy: 0.1 });
	});
});

describe('isTypingTarget', () => {
	it('is true for text fields, text areas, selects and editable content', () => {
		expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
		expect(isTypingTarget({ tagName: 'input' })).toBe(true);
		expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
		expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
		expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
	});

	it('is false for buttons, checkboxes and the page itself', () => {
		expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
		expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
		expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
		expect(isTypingTarget(null)).toBe(false);
	});
});
