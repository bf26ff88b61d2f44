// Judges a camera frame the way an agent would before trying to read a document: is it too dark, is
// there glare, is it blurred. Unclear pictures are the most common reason checks fail, so the applicant
// gets a hint while they can still fix it. Pure functions over RGBA pixels (as getImageData returns
// them), so they run in Node tests on synthetic images; the frames stay in the page's memory.

export type FrameHint = 'ok' | 'too_dark' | 'glare' | 'blurred';

export type FrameMeasures = {
	/** Mean luminance, 0 (black) to 255 (white). */
	meanLuminance: number;
	/** Share of pixels at or above GLARE_LEVEL: blown-out highlights where print cannot be read. */
	glareShare: number;
	/** Variance of the 4-neighbour Laplacian of the luminance: edges and print raise it, blur lowers it. */
	sharpness: number;
};

/**
 * Thresholds for frames scaled to about 320 pixels wide (ANALYSIS_WIDTH). Downscaling sharpens a
 * picture, so the blur threshold is lower than the ~100 often quoted for full-size frames; sensor
 * noise in a dim room alone gives a variance of 10–30, which stays under it only when nothing in the
 * picture has an edge.
 */
export const FRAME_THRESHOLDS = {
	darkMeanLuminance: 60,
	glareLevel: 250,
	glareShare: 0.05,
	blurSharpness: 40,
} as const;

export const ANALYSIS_WIDTH = 320;

/** Rec. 601 luma, integer weights: the brightness a person perceives, cheap enough for every pixel. */
export function luminance(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
	const count = width * height;
	if (rgba.length < count * 4) throw new RangeError(`expected ${count * 4} RGBA values, got ${rgba.length}`);
	const luma = new Float32Array(count);
	for (let index = 0; index < count; index += 1) {
		const offset = index * 4;
		luma[index] = (299 * (rgba[offset] ?? 0) + 587 * (rgba[offset + 1] ?? 0) + 114 * (rgba[offset + 2] ?? 0)) / 1000;
	}
	return luma;
}

export function measureFrame(rgba: ArrayLike<number>, width: number, height: number): FrameMeasures {
	const luma = luminance(rgba, width, height);
	let sum = 0;
	let glare = 0;
	for (const value of luma) {
		sum += value;
		if (value >= FRAME_THRESHOLDS.glareLevel) glare += 1;
	}
	return {
		meanLuminance: luma.length > 0 ? sum / luma.length : 0,
		glareShare: luma.length > 0 ? glare / luma.length : 0,
		sharpness: laplacianVariance(luma, width, height),
	};
}

export function laplacianVariance(luma: Float32Array, width: number, height: number): number {
	if (width < 3 || height < 3) return 0;
	let sum = 0;
	let sumOfSquares = 0;
	let count = 0;
	for (let y = 1; y < height - 1; y += 1) {
		for (let x = 1; x < width - 1; x += 1) {
			const index = y * width + x;
			const value =
				(luma[index - 1] ?? 0) +
				(luma[index + 1] ?? 0) +
				(luma[index - width] ?? 0) +
				(luma[index + width] ?? 0) -
				4 * (luma[index] ?? 0);
			sum += value;
			sumOfSquares += value * value;
			count += 1;
		}
	}
	const mean = sum / count;
	return sumOfSquares / count - mean * mean;
}

/**
 * The one hint to show. Darkness comes first because a dark frame is also flat (it would read as
 * blurred); glare next because a blown-out area hides print however sharp the rest is.
 */
export function hintFor(measures: FrameMeasures): FrameHint {
	if (measures.meanLuminance < FRAME_THRESHOLDS.darkMeanLuminance) return 'too_dark';
	if (measures.glareShare >= FRAME_THRESHOLDS.glareShare) return 'glare';
	if (measures.sharpness < FRAME_THRESHOLDS.blurSharpness) return 'blurred';
	return 'ok';
}

/**
 * Keeps the shown hint steady: a new hint replaces the current one only after it was seen `confirmAfter`
 * times in a row, so a hand passing the lens or autofocus hunting does not make the text flicker (and a
 * screen reader does not announce every change).
 */
export class HintSmoother {
	readonly #confirmAfter: number;
	#shown: FrameHint | undefined;
	#candidate: FrameHint | undefined;
	#seen = 0;

	constructor(confirmAfter = 2) {
		this.#confirmAfter = confirmAfter;
	}

	get shown(): FrameHint | undefined {
		return this.#shown;
	}

	push(hint: FrameHint): FrameHint | undefined {
		if (this.#shown === undefined) {
			// The first judgement is shown at once: an empty hint area helps no one.
			this.#shown = hint;
			return hint;
		}
		if (hint === this.#shown) {
			this.#candidate = undefined;
			this.#seen = 0;
			return this.#shown;
		}
		if (hint === this.#candidate) this.#seen += 1;
		else {
			this.#candidate = hint;
			this.#seen = 1;
		}
		if (this.#seen >= this.#confirmAfter) {
			this.#shown = hint;
			this.#candidate = undefined;
			this.#seen = 0;
		}
		return this.#shown;
	}

	reset(): void {
		this.#shown = undefined;
		this.#candidate = undefined;
		this.#seen = 0;
	}
}
