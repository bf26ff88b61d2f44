// Camera clips that look like a call without being anyone: drawn, clearly synthetic faces, and a
// clearly fictional ID card ("SPECIMEN", a made-up name, issued by no country) that the applicant
// holds up. The README's screenshots play them as each role's camera; the clips loop, with a blink and
// a card that sways a little in the hand, as a live picture does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { textWidth } from './bitmapFont.ts';
import { drawMrzText } from './mrzFont.ts';
import { type Colour, mix, Raster, rgb, shade } from './raster.ts';
import { SPECIMEN_HOLDER, SPECIMEN_MRZ } from './specimenMrz.ts';
import { writeY4m } from './y4m.ts';

export type Person = {
	skin: Colour;
	hair: Colour;
	hairStyle: 'short' | 'long';
	eyes: Colour;
	top: Colour;
	headset?: boolean;
};

export const PEOPLE = {
	applicant: {
		skin: rgb(233, 190, 160),
		hair: rgb(70, 45, 30),
		hairStyle: 'short',
		eyes: rgb(80, 110, 60),
		top: rgb(200, 90, 60),
	},
	agent: {
		skin: rgb(150, 100, 72),
		hair: rgb(25, 20, 20),
		hairStyle: 'short',
		eyes: rgb(60, 40, 25),
		top: rgb(40, 70, 130),
		headset: true,
	},
	interpreter: {
		skin: rgb(240, 205, 175),
		hair: rgb(150, 95, 45),
		hairStyle: 'long',
		eyes: rgb(60, 90, 140),
		top: rgb(60, 140, 90),
	},
} as const satisfies Record<string, Person>;

export type CameraRole = keyof typeof PEOPLE;

/** Light from the upper left: a point's brightness from its place in its shape (each -1..1). */
const lit =
	(colour: Colour, strength = 0.18) =>
	(u: number, v: number) =>
		shade(colour, 1 + strength * (-0.6 * u - 0.8 * v) * 0.5 - strength * 0.25 * (u * u + v * v));

/**
 * A person from the chest up, the head's centre at (cx, cy) and its half-height `size`. `eyesOpen`
 * from 1 (open) to 0 (closed) makes the blink.
 */
export function drawPerson(picture: Raster, person: Person, cx: number, cy: number, size: number, eyesOpen = 1): void {
	const rx = size * 0.78;
	const ry = size;
	const skin = person.skin;
	// Body first, then what sits in front of it.
	if (person.hairStyle === 'long') picture.ellipse(cx, cy + size * 0.45, rx * 1.28, ry * 1.3, lit(shade(person.hair, 0.9)));
	picture.ellipse(cx, cy + size * 2.35, size * 2.1, size * 1.25, lit(person.top, 0.3));
	picture.roundedRect(cx - size * 0.3, cy + size * 0.55, size * 0.6, size * 0.95, size * 0.25, shade(skin, 0.88));
	// The collar's shadow under the chin.
	picture.ellipse(cx, cy + size * 1.15, size * 0.45, size * 0.2, shade(person.top, 0.75), {
		clip: (_x, y) => y > cy + size * 1.1,
	});
	for (const side of [-1, 1])
		picture.ellipse(cx + side * rx * 0.97, cy + size * 0.08, size * 0.15, size * 0.24, shade(skin, 0.92));
	picture.ellipse(cx, cy, rx, ry, lit(skin));
	// Cheeks.
	for (const side of [-1, 1])
		picture.ellipse(cx + side * rx * 0.5, cy + ry * 0.3, rx * 0.2, ry * 0.11, rgb(225, 120, 110), { alpha: 0.18 });

	// Hair over the top of the head, down to a hairline that curves lower towards the temples.
	const fringe = (x: number, y: number) => y < cy - ry * 0.52 + ry * 0.3 * ((x - cx) / rx) ** 2;
	picture.ellipse(cx, cy - ry * 0.12, rx * 1.06, ry * 0.98, lit(person.hair, 0.25), { clip: fringe });
	if (person.hairStyle === 'long') {
		for (const side of [-1, 1]) {
			picture.ellipse(cx + side * rx * 0.95, cy + ry * 0.2, rx * 0.22, ry * 0.85, lit(person.hair, 0.25));
		}
	}

	// Eyes, brows, nose, mouth.
	const eyeY = cy - ry * 0.06;
	for (const side of [-1, 1]) {
		const eyeX = cx + side * rx * 0.38;
		picture.roundedRect(eyeX - rx * 0.2, eyeY - ry * 0.24, rx * 0.4, ry * 0.055, ry * 0.03, shade(person.hair, 0.95));
		if (eyesOpen > 0.2) {
			const open = ry * 0.085 * eyesOpen;
			picture.ellipse(eyeX, eyeY, rx * 0.19, open, rgb(248, 248, 245));
			const inEye = (x: number, y: number) => ((x - eyeX) / (rx * 0.19)) ** 2 + ((y - eyeY) / open) ** 2 <= 1;
			picture.ellipse(eyeX, eyeY, ry * 0.075, ry * 0.075, person.eyes, { clip: inEye });
			picture.ellipse(eyeX, eyeY, ry * 0.035, ry * 0.035, rgb(20, 20, 25), { clip: inEye });
			picture.ellipse(eyeX - ry * 0.025, eyeY - ry * 0.025, ry * 0.014, ry * 0.014, rgb(255, 255, 255));
			picture.ring(eyeX, eyeY, rx * 0.19, open, Math.max(1, size * 0.012), shade(skin, 0.55));
		} else {
			picture.line(eyeX - rx * 0.18, eyeY, eyeX + rx * 0.18, eyeY, Math.max(1.5, size * 0.015), shade(skin, 0.5));
		}
	}
	picture.ellipse(cx, cy + ry * 0.22, rx * 0.12, ry * 0.16, shade(skin, 0.9), { alpha: 0.7 });
	for (const side of [-1, 1]) picture.ellipse(cx + side * rx * 0.06, cy + ry * 0.32, rx * 0.035, ry * 0.022, shade(skin, 0.55));
	picture.ellipse(cx, cy + ry * 0.53, rx * 0.27, ry * 0.075, mix(skin, rgb(180, 70, 70), 0.5));
	picture.line(cx - rx * 0.24, cy + ry * 0.53, cx + rx * 0.24, cy + ry * 0.53, Math.max(1, size * 0.014), shade(skin, 0.45));

	if (person.headset) {
		const band = shade(rgb(45, 45, 50), 1);
		picture.ring(cx, cy - ry * 0.02, rx * 1.14, ry * 1.1, size * 0.07, band, { clip: (_x, y) => y < cy - ry * 0.05 });
		for (const side of [-1, 1]) picture.ellipse(cx + side * rx * 1.02, cy + size * 0.06, size * 0.13, size * 0.22, lit(band));
		picture.line(cx - rx * 1.02, cy + size * 0.2, cx - rx * 0.35, cy + ry * 0.62, size * 0.035, band);
		picture.ellipse(cx - rx * 0.32, cy + ry * 0.62, size * 0.06, size * 0.05, band);
	}
}

/** DD.MM.YYYY, as the card prints a date. */
const printed = (date: string) => date.split('-').reverse().join('.');

/** Lines of the specimen card, left to right: label and value. None of it is anyone. */
const CARD_FIELDS = [
	['SURNAME', SPECIMEN_HOLDER.surname],
	['GIVEN NAMES', SPECIMEN_HOLDER.givenNames],
	['DATE OF BIRTH', printed(SPECIMEN_HOLDER.dateOfBirth)],
	['DOCUMENT NO', SPECIMEN_HOLDER.documentNumber],
	['EXPIRES', printed(SPECIMEN_HOLDER.expires)],
] as const;

/**
 * Where drawSpecimenCard() prints the machine-readable zone on a card `width` pixels wide: each line's
 * top left corner and the font's unit (a glyph is 6 units high, 6 from one to the next), so that the
 * 30 characters span the card as a TD1 zone does.
 */
export function specimenZoneLayout(width: number): { text: string; x: number; y: number; unit: number }[] {
	const scale = width / 500;
	const height = Math.round((width * 54) / 85.6);
	return SPECIMEN_MRZ.map((text, index) => ({
		text,
		x: 26 * scale,
		y: height - 69 * scale + index * 22 * scale,
		unit: 2.5 * scale,
	}));
}

/**
 * The front of a fictional ID card (85.6 × 54 mm, as real cards are, so it reads as one), issued by a
 * made-up "vidverify test authority", with SPECIMEN across it in red.
 */
export function drawSpecimenCard(width = 500): Raster {
	const height = Math.round((width * 54) / 85.6);
	const card = new Raster(width, height);
	const unit = width / 500;
	const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height;
	card.roundedRect(0, 0, width, height, 22 * unit, rgb(226, 238, 232));
	// A fine wave pattern, as printed security backgrounds have (this one is only decoration).
	card.paintEach((x, y) => (Math.abs(Math.sin(x * 0.07 + 5 * Math.sin(y * 0.025))) > 0.93 ? rgb(170, 205, 195) : undefined), {
		clip: (x, y) => inside(x, y) && (card.pixels[(y * width + x) * 4 + 3] ?? 0) > 250,
		alpha: 0.8,
	});
	const teal = rgb(24, 100, 110);
	card.roundedRect(0, 0, width, 62 * unit, 22 * unit, teal, { clip: (_x, y) => y < 40 * unit });
	card.roundedRect(0, 20 * unit, width, 42 * unit, 0, teal);
	card.text(22 * unit, 12 * unit, 'VIDVERIFY TEST AUTHORITY', Math.round(2 * unit), rgb(255, 255, 255));
	card.text(
		22 * unit,
		36 * unit,
		'SPECIMEN IDENTITY CARD - NOT A REAL DOCUMENT',
		Math.max(1, Math.round(unit)),
		rgb(200, 235, 230),
	);

	const photo = { x: 22 * unit, y: 80 * unit, width: 118 * unit, height: 150 * unit };
	card.roundedRect(photo.x, photo.y, photo.width, photo.height, 6 * unit, rgb(200, 215, 230));
	const portrait = new Raster(Math.round(photo.width), Math.round(photo.height));
	portrait.roundedRect(0, 0, portrait.width, portrait.height, 6 * unit, rgb(200, 215, 230));
	drawPerson(portrait, PEOPLE.applicant, portrait.width / 2, portrait.height * 0.42, portrait.height * 0.25);
	card.composite(portrait, photo.x + portrait.width / 2, photo.y + portrait.height / 2, 0);

	const ink = rgb(25, 35, 45);
	const label = rgb(70, 110, 115);
	let line = 82 * unit;
	for (const [name, value] of CARD_FIELDS) {
		card.text(162 * unit, line, name, Math.max(1, Math.round(unit)), label);
		card.text(162 * unit, line + 10 * unit, value, Math.round(2 * unit), ink);
		line += 30 * unit;
	}
	// The machine-readable zone: a valid TD1 zone of the fictional holder, in the OCR-B-like MRZ font.
	card.roundedRect(0, height - 77 * unit, width, 77 * unit, 0, rgb(245, 248, 246), {
		clip: (x, y) => inside(x, y) && (card.pixels[(y * width + x) * 4 + 3] ?? 0) > 0,
	});
	for (const line of specimenZoneLayout(width)) drawMrzText(card, line.x, line.y, line.text, line.unit, ink);

	const stamp = new Raster(Math.round(textWidth('SPECIMEN', Math.round(7 * unit)) + 24 * unit), Math.round(70 * unit));
	stamp.roundedRect(2, 2, stamp.width - 4, stamp.height - 4, 8 * unit, rgb(200, 30, 40));
	stamp.roundedRect(6 * unit, 6 * unit, stamp.width - 12 * unit, stamp.height - 12 * unit, 5 * unit, rgb(255, 255, 255), {
		alpha: 1,
	});
	stamp.text(12 * unit, 11 * unit, 'SPECIMEN', Math.round(7 * unit), rgb(200, 30, 40));
	// Only the red of the stamp is laid on the card: the white inside becomes see-through.
	for (let at = 0; at < stamp.pixels.length; at += 4) {
		if ((stamp.pixels[at + 1] ?? 0) > 200) stamp.pixels[at + 3] = 0;
		else stamp.pixels[at + 3] = Math.round((stamp.pixels[at + 3] ?? 0) * 0.8);
	}
	card.composite(stamp, width * 0.62, height * 0.5, -0.32);
	return card;
}

/** The room behind a person: a soft wall with the light from one side. */
function drawRoom(picture: Raster, wall: Colour): void {
	const { width, height } = picture;
	picture.paintEach((x, y) => shade(wall, 1.08 - 0.22 * (x / width) - 0.1 * (y / height)));
	picture.roundedRect(width * 0.04, height * 0.08, width * 0.22, height * 0.5, 8, shade(wall, 1.22), { alpha: 0.6 });
}

export type Clip = { width: number; height: number; frames: number; fps: number };

/** One frame of a role's camera: its person, and for the applicant the card held up beside the face. */
export function cameraFrame(role: CameraRole, frame: number, clip: Clip, card?: Raster): Raster {
	const { width, height, frames } = clip;
	const picture = new Raster(width, height);
	const phase = (2 * Math.PI * frame) / frames;
	// A blink at the start of the loop, a slight sway all along, so the picture is plainly live.
	const eyesOpen = frame === 1 ? 0 : frame === 0 || frame === 2 ? 0.5 : 1;
	const sway = Math.sin(phase) * width * 0.004;
	if (role === 'applicant') {
		drawRoom(picture, rgb(214, 206, 192));
		drawPerson(picture, PEOPLE.applicant, width * 0.36 + sway, height * 0.42, height * 0.21, eyesOpen);
		if (card) {
			const cardX = width * 0.72 + sway * 1.5;
			const cardY = height * 0.6;
			picture.composite(card, cardX, cardY, -0.08 + 0.02 * Math.sin(phase), (width * 0.36) / card.width);
			// The thumb holding it by its left edge, clear of the machine-readable zone.
			const skin = PEOPLE.applicant.skin;
			picture.ellipse(cardX - width * 0.178, cardY + height * 0.01, width * 0.02, height * 0.05, shade(skin, 0.95));
		}
	} else if (role === 'agent') {
		drawRoom(picture, rgb(190, 200, 212));
		drawPerson(picture, PEOPLE.agent, width * 0.5 + sway, height * 0.45, height * 0.24, eyesOpen);
	} else {
		drawRoom(picture, rgb(208, 214, 200));
		drawPerson(picture, PEOPLE.interpreter, width * 0.5 + sway, height * 0.45, height * 0.24, eyesOpen);
	}
	return picture;
}

/** The applicant sends 1280×720, as a document needs; the others a smaller picture, as in the journeys. */
export const SPECIMEN_CLIPS: Record<CameraRole, Clip> = {
	applicant: { width: 1280, height: 720, frames: 24, fps: 12 },
	agent: { width: 640, height: 360, frames: 24, fps: 12 },
	interpreter: { width: 640, height: 360, frames: 24, fps: 12 },
};

const written = new Map<CameraRole, string>();

/** The role's clip as a Y4M file for Chromium's fake camera, drawn once per process. */
export function specimenCamera(role: CameraRole): string {
	const existing = written.get(role);
	if (existing && fs.existsSync(existing)) return existing;
	const clip = SPECIMEN_CLIPS[role];
	const card = role === 'applicant' ? drawSpecimenCard() : undefined;
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidverify-specimen-')), `${role}.y4m`);
	function* frames() {
		for (let frame = 0; frame < clip.frames; frame += 1) yield cameraFrame(role, frame, clip, card);
	}
	writeY4m(file, frames(), clip.fps);
	written.set(role, file);
	return file;
}
