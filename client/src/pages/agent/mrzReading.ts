// What the agent's MRZ reading aid makes of the text OCR read off the zone: the lines put back into an
// ICAO 9303 shape (TD1 3 × 30, TD2 2 × 36, TD3 2 × 44), parsed with the `mrz` package, and the three
// verdicts the record keeps: whether every check digit holds, whether the document has expired, and
// whether it matches who the host declared. The fields stay in this page; only the verdicts are sent.
import type { DeclaredIdentity, DocumentType, MrzVerdicts } from '@vidverify/shared';
import { parse } from 'mrz';

/** The zone's shapes the reader knows: lines and characters per line. */
const SHAPES = [
	{ format: 'TD1', lines: 3, length: 30 },
	{ format: 'TD2', lines: 2, length: 36 },
	{ format: 'TD3', lines: 2, length: 44 },
] as const;
export type MrzFormat = (typeof SHAPES)[number]['format'];

/** The characters OCR is allowed to see in a zone: what ICAO 9303 prints there. */
export const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

export type CheckDigitName = 'documentNumber' | 'birthDate' | 'expirationDate' | 'personalNumber' | 'composite';

export type MrzReading = {
	format: MrzFormat;
	/** The lines as parsed, after the shape was restored. */
	lines: string[];
	documentCode: string;
	issuingState: string;
	documentNumber: string | null;
	surname: string;
	givenNames: string;
	/** YYMMDD as printed; the reader does not guess the century of a birth. */
	birthDate: string | null;
	/** YYYY-MM-DD; an expiry is taken to be in this century. */
	expiryDate: string | null;
	nationality: string;
	sex: string;
	/** Each check digit of the zone and whether it holds. */
	checkDigits: { name: CheckDigitName; holds: boolean }[];
	expired: boolean | null;
	comparison: DeclarationComparison;
	verdicts: MrzVerdicts;
};

export type FieldComparison = 'match' | 'mismatch' | 'not_declared';
export type DeclarationComparison = { fullName: FieldComparison; dateOfBirth: FieldComparison };

/** Why a text could not be read as a zone: too few lines of a known length, or the parser refused it. */
export type MrzFailure = { kind: 'noZone' } | { kind: 'unparsable' };

/**
 * The lines of OCR output that may belong to a zone, spaces dropped (OCR splits a zone's long runs of
 * fillers into "words").
 */
export function candidateLines(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.replace(/[^A-Z0-9<]/g, ''))
		.filter((line) => line.length >= 20);
}

/** The longest run of fillers in a line: where OCR most often drops or adds a character. */
function longestFillerRun(line: string): { start: number; length: number } {
	let best = { start: -1, length: 0 };
	for (const match of line.matchAll(/<+/g)) {
		if (match[0].length > best.length) best = { start: match.index ?? 0, length: match[0].length };
	}
	return best;
}

/**
 * A line brought to the shape's length: a letter OCR saw inside a run of fillers or at the end of one
 * that closes the line (K, L, C or E for a "<") becomes a filler again, and a character too many or too few is taken out of, or
 * added to, the longest run of fillers, where the count is the easiest to get wrong.
 */
export function restoreLine(line: string, length: number): string {
	let restored = line
		.replace(/(?<=<<)[KLCE](?=<)|(?<=<)[KLCE](?=<<)/g, '<')
		// The line's end after a run of fillers: a name's field filled out, where OCR sees the last < as K or L.
		.replace(/(?<=<<<)[KLCE<]{1,2}$/, (end) => '<'.repeat(end.length));
	while (restored.length !== length) {
		const run = longestFillerRun(restored);
		if (run.length === 0) break;
		restored =
			restored.length > length
				? restored.slice(0, run.start) + restored.slice(run.start + 1)
				: `${restored.slice(0, run.start)}<${restored.slice(run.start)}`;
	}
	return restored.length > length ? restored.slice(0, length) : restored.padEnd(length, '<');
}

/** The zone in the OCR output: the shape whose line count and length fit the most characters read. */
export function zoneOf(text: string): { format: MrzFormat; lines: string[] } | undefined {
	const lines = candidateLines(text);
	let best: { format: MrzFormat; lines: string[]; misfit: number } | undefined;
	for (const shape of SHAPES) {
		for (let first = 0; first + shape.lines <= lines.length; first += 1) {
			const group = lines.slice(first, first + shape.lines);
			const misfit = group.reduce((sum, line) => sum + Math.abs(line.length - shape.length), 0);
			// A few characters lost or doubled per line are mended; more is another kind of text.
			if (misfit > shape.lines * 3) continue;
			if (!best || misfit < best.misfit) {
				best = { format: shape.format, lines: group.map((line) => restoreLine(line, shape.length)), misfit };
			}
		}
	}
	if (!best) return undefined;
	const [first = '', ...rest] = best.lines;
	return { format: best.format, lines: [documentCodeMended(first, best.format), ...rest] };
}

/**
 * A card's zone opens with its document code's A, C or I (ICAO 9303 part 5, 4.2.2), a passport's with
 * P: an I that OCR saw as the T, L or 1 it resembles is put back; anything else is left to fail.
 */
function documentCodeMended(line: string, format: MrzFormat): string {
	const code = line.charAt(0);
	return format !== 'TD3' && 'TL1'.includes(code) && code !== '' ? `I${line.slice(1)}` : line;
}

const CHECK_DIGIT_FIELDS: Record<string, CheckDigitName> = {
	documentNumberCheckDigit: 'documentNumber',
	birthDateCheckDigit: 'birthDate',
	expirationDateCheckDigit: 'expirationDate',
	personalNumberCheckDigit: 'personalNumber',
	compositeCheckDigit: 'composite',
};

/** YYMMDD of an expiry as a date: documents valid today expire in this century. */
function expiryDateOf(yymmdd: string): string {
	return `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** Today in the agent's own calendar, as YYYY-MM-DD. */
function localDate(now: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** ICAO 9303's transliterations of letters a zone cannot hold (part 3, 6.A), before accents are dropped. */
const TRANSLITERATIONS: Record<string, string> = { Ä: 'AE', Ö: 'OE', Ü: 'UE', ß: 'SS', Å: 'AA', Ø: 'OE', Æ: 'AE', Þ: 'TH' };

/** A name as the zone's words: capitals, each letter outside A-Z transliterated or its accent dropped. */
export function zoneWords(name: string, transliterate: boolean): string[] {
	let upper = name.toUpperCase();
	if (transliterate) upper = upper.replace(/[ÄÖÜßÅØÆÞ]/g, (letter) => TRANSLITERATIONS[letter] ?? letter);
	return upper
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Z]+/g, ' ')
		.trim()
		.split(' ')
		.filter((word) => word.length > 0)
		.sort();
}

/**
 * Whether a declared name is the zone's: the same words in any order (hosts write the family name
 * first or last), with or without ICAO's transliteration of umlauts and the like.
 */
export function sameName(declared: string, surname: string, givenNames: string): boolean {
	const zone = zoneWords(`${surname} ${givenNames}`, false).join(' ');
	return [true, false].some((transliterate) => zoneWords(declared, transliterate).join(' ') === zone);
}

export function compareWithDeclaration(
	declared: DeclaredIdentity | undefined,
	zone: { surname: string; givenNames: string; birthDate: string | null },
): DeclarationComparison {
	const fullName: FieldComparison =
		declared?.fullName === undefined
			? 'not_declared'
			: sameName(declared.fullName, zone.surname, zone.givenNames)
				? 'match'
				: 'mismatch';
	const dateOfBirth: FieldComparison =
		declared?.dateOfBirth === undefined
			? 'not_declared'
			: zone.birthDate !== null && declared.dateOfBirth.slice(2).replaceAll('-', '') === zone.birthDate
				? 'match'
				: 'mismatch';
	return { fullName, dateOfBirth };
}

/** The verdicts the record keeps: never a field. */
export function verdictsOf(
	checkDigits: MrzReading['checkDigits'],
	expired: boolean | null,
	comparison: DeclarationComparison,
): MrzVerdicts {
	const compared = [comparison.fullName, comparison.dateOfBirth].filter((field) => field !== 'not_declared');
	return {
		checkDigits: checkDigits.length > 0 && checkDigits.every((digit) => digit.holds) ? 'valid' : 'invalid',
		// An expiry that could not be read is not taken as valid.
		expired: expired ?? true,
		matchesDeclaration: compared.length === 0 ? null : compared.every((field) => field === 'match'),
	};
}

/** Reads OCR output as a zone; `now` decides expiry, `declared` is what the host said. */
export function readZone(text: string, declared: DeclaredIdentity | undefined, now: Date): MrzReading | MrzFailure {
	const zone = zoneOf(text);
	if (!zone) return { kind: 'noZone' };
	let result: ReturnType<typeof parse>;
	try {
		// Autocorrect: O for 0 in a number field and the like, which OCR of a zone mixes up.
		result = parse(zone.lines, { autocorrect: true });
	} catch {
		return { kind: 'unparsable' };
	}
	const detail = (field: string) => result.details.find((candidate) => candidate.field === field);
	// The raw characters of a field, for those the parser finds invalid (a state code no country has).
	const raw = (field: string) => {
		const found = detail(field);
		if (!found) return '';
		return (zone.lines[found.line] ?? '').slice(found.start, found.end).replace(/<+$/, '').replaceAll('<', ' ');
	};
	const fieldText = (field: string) => {
		const value = result.fields[field as keyof typeof result.fields];
		return typeof value === 'string' ? value : raw(field);
	};
	const checkDigits = result.details.flatMap((candidate) => {
		const name = candidate.field ? CHECK_DIGIT_FIELDS[candidate.field] : undefined;
		return name ? [{ name, holds: candidate.valid }] : [];
	});
	const expiry = result.fields.expirationDate ?? null;
	const expiryDate = expiry && /^\d{6}$/.test(expiry) ? expiryDateOf(expiry) : null;
	const expired = expiryDate === null ? null : expiryDate < localDate(now);
	const birth = result.fields.birthDate ?? null;
	const surname = fieldText('lastName');
	const givenNames = fieldText('firstName');
	const comparison = compareWithDeclaration(declared, { surname, givenNames, birthDate: birth });
	return {
		format: zone.format,
		lines: zone.lines,
		documentCode: fieldText('documentCode'),
		issuingState: raw('issuingState'),
		documentNumber: result.documentNumber ?? null,
		surname,
		givenNames,
		birthDate: birth,
		expiryDate,
		nationality: raw('nationality'),
		sex: (zone.format === 'TD1' ? zone.lines[1]?.[7] : zone.lines[1]?.[20]) ?? '<',
		checkDigits,
		expired,
		comparison,
		verdicts: verdictsOf(checkDigits, expired, comparison),
	};
}

export function isReading(value: MrzReading | MrzFailure): value is MrzReading {
	return 'format' in value;
}

/** The catalogue's document type for the zone's document code (P passport, I identity card). */
export function documentTypeOf(reading: Pick<MrzReading, 'documentCode'>): DocumentType {
	const code = reading.documentCode.charAt(0);
	return code === 'P' ? 'passport' : code === 'I' ? 'national_id' : 'other';
}
