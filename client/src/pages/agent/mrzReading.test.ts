import { describe, expect, it } from 'vitest';
import {
	compareWithDeclaration,
	documentTypeOf,
	isReading,
	readZone,
	restoreLine,
	sameName,
	verdictsOf,
	zoneOf,
} from './mrzReading.ts';

// The e2e specimen card's zone (e2e/support/specimenMrz.ts) and ICAO 9303's own TD3 example.
const SPECIMEN = ['I<UTOXD12345678<<<<<<<<<<<<<<<', '9001011<3512311UTO<<<<<<<<<<<2', 'TESTWELL<<ROBIN<ALEX<<<<<<<<<<'];
const PASSPORT = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const NOW = new Date('2026-12-02T09:00:00');

function read(lines: string[], declared?: Parameters<typeof readZone>[1], now = NOW) {
	const reading = readZone(lines.join('\n'), declared, now);
	if (!isReading(reading)) throw new Error(`not read: ${reading.kind}`);
	return reading;
}

describe('readZone()', () => {
	it('reads a TD1 card: its fields, every check digit holding, not expired', () => {
		const reading = read(SPECIMEN);
		expect(reading).toMatchObject({
			format: 'TD1',
			documentCode: 'I',
			issuingState: 'UTO',
			documentNumber: 'XD1234567',
			surname: 'TESTWELL',
			givenNames: 'ROBIN ALEX',
			birthDate: '900101',
			expiryDate: '2035-12-31',
			nationality: 'UTO',
			sex: '<',
			expired: false,
		});
		expect(reading.checkDigits).toEqual([
			{ name: 'documentNumber', holds: true },
			{ name: 'birthDate', holds: true },
			{ name: 'expirationDate', holds: true },
			{ name: 'composite', holds: true },
		]);
		expect(reading.verdicts).toEqual({ checkDigits: 'valid', expired: false, matchesDeclaration: null });
		expect(documentTypeOf(reading)).toBe('national_id');
	});

	it('reads a TD3 passport, expired after its date', () => {
		const reading = read(PASSPORT);
		expect(reading).toMatchObject({ format: 'TD3', documentNumber: 'L898902C3', surname: 'ERIKSSON', expiryDate: '2012-04-15' });
		expect(reading.verdicts).toMatchObject({ checkDigits: 'valid', expired: true });
		expect(documentTypeOf(reading)).toBe('passport');
	});

	it('names the check digit that does not hold when a character was misread', () => {
		const misread = [SPECIMEN[0]?.replace('XD1234567', 'XD1234561') ?? '', SPECIMEN[1] ?? '', SPECIMEN[2] ?? ''];
		const reading = read(misread);
		expect(reading.checkDigits.filter((digit) => !digit.holds).map((digit) => digit.name)).toEqual([
			'documentNumber',
			'composite',
		]);
		expect(reading.verdicts.checkDigits).toBe('invalid');
	});

	it('is expired the day after the expiry, not on it', () => {
		expect(read(SPECIMEN, undefined, new Date('2035-12-31T23:00:00')).expired).toBe(false);
		expect(read(SPECIMEN, undefined, new Date('2036-01-01T00:30:00')).expired).toBe(true);
	});

	it('mends what OCR typically gets wrong in the fillers: spaces, a letter for a <, one too many or few', () => {
		const ocr = ['I<UTOXD12345678<<<<<<< <<<<<<<<<', '9001011<3512311UTO<<<<K<<<<<<2', 'TESTWELL<<ROBIN<ALEX<<<<<<<<<<<LK'];
		expect(read(ocr).lines).toEqual(SPECIMEN);
		expect(restoreLine('TESTWELL<<ROBIN<ALEX<<<<<<<<<', 30)).toBe(SPECIMEN[2]);
		// A card's document code is A, C or I: the T OCR saw in a slightly blurred photo is an I.
		expect(read([`T${SPECIMEN[0]?.slice(1)}`, SPECIMEN[1] ?? '', SPECIMEN[2] ?? '']).documentCode).toBe('I');
	});

	it('finds the zone among other text OCR read around it', () => {
		expect(zoneOf(['SPECIMEN IDENTITY CARD', ...SPECIMEN, 'x'].join('\n'))?.lines).toEqual(SPECIMEN);
	});

	it('says so when the text is no zone', () => {
		expect(readZone('TESTWELL ROBIN\n01.01.1990', undefined, NOW)).toEqual({ kind: 'noZone' });
	});
});

describe('the comparison with the declaration', () => {
	it('matches the name in any order and case, and the date of birth', () => {
		const reading = read(SPECIMEN, { fullName: 'Robin Alex Testwell', dateOfBirth: '1990-01-01' });
		expect(reading.comparison).toEqual({ fullName: 'match', dateOfBirth: 'match' });
		expect(reading.verdicts.matchesDeclaration).toBe(true);
	});

	it('does not match another date or another name, and says which', () => {
		const reading = read(SPECIMEN, { fullName: 'Robin Testwell', dateOfBirth: '1990-01-02' });
		expect(reading.comparison).toEqual({ fullName: 'mismatch', dateOfBirth: 'mismatch' });
		expect(reading.verdicts.matchesDeclaration).toBe(false);
	});

	it('compares only what was declared', () => {
		expect(read(SPECIMEN, { dateOfBirth: '1990-01-01' }).comparison).toEqual({ fullName: 'not_declared', dateOfBirth: 'match' });
		expect(read(SPECIMEN, { dateOfBirth: '1990-01-01' }).verdicts.matchesDeclaration).toBe(true);
	});

	it('takes accents and ICAO transliterations as the same name', () => {
		expect(sameName('Jürgen Müller', 'MUELLER', 'JUERGEN')).toBe(true);
		expect(sameName('Jürgen Müller', 'MULLER', 'JURGEN')).toBe(true);
		expect(sameName('José  García-Márquez', 'GARCIA<MARQUEZ'.replace('<', ' '), 'JOSE')).toBe(true);
		expect(sameName('Jose Garcia', 'GARCIA MARQUEZ', 'JOSE')).toBe(false);
	});

	it('is a mismatch when the zone gave no date of birth to compare', () => {
		expect(compareWithDeclaration({ dateOfBirth: '1990-01-01' }, { surname: 'A', givenNames: 'B', birthDate: null })).toEqual({
			fullName: 'not_declared',
			dateOfBirth: 'mismatch',
		});
	});
});

describe('verdictsOf()', () => {
	it('never holds a field, only the three verdicts', () => {
		const verdicts = verdictsOf([{ name: 'composite', holds: true }], false, { fullName: 'match', dateOfBirth: 'not_declared' });
		expect(verdicts).toEqual({ checkDigits: 'valid', expired: false, matchesDeclaration: true });
	});

	it('takes no check digits, or an unreadable expiry, as nothing proven', () => {
		expect(verdictsOf([], null, { fullName: 'not_declared', dateOfBirth: 'not_declared' })).toEqual({
			checkDigits: 'invalid',
			expired: true,
			matchesDeclaration: null,
		});
	});
});
