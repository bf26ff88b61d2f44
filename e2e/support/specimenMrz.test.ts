import { describe, expect, test } from 'vitest';
import { MRZ_CHARACTERS } from './mrzFont.ts';
import { checkDigit, SPECIMEN_HOLDER, SPECIMEN_MRZ } from './specimenMrz.ts';

describe('checkDigit()', () => {
	test('gives the check digits of ICAO 9303’s own TD1 example (part 5, appendix A)', () => {
		// I<UTOD231458907<<<<<<<<<<<<<<< / 7408122F1204159UTO<<<<<<<<<<<6 / ERIKSSON<<ANNA<MARIA<<<<<<<<<<
		expect(checkDigit('D23145890')).toBe('7');
		expect(checkDigit('740812')).toBe('2');
		expect(checkDigit('120415')).toBe('9');
		// The composite: the upper line from the number on, both dates with their digits, the optional data.
		expect(checkDigit(`D231458907${'<'.repeat(15)}74081221204159${'<'.repeat(11)}`)).toBe('6');
		expect(checkDigit('<<<<<<')).toBe('0');
	});
});

describe('SPECIMEN_MRZ', () => {
	test('is a TD1 zone of three lines of 30 in the characters the MRZ font draws', () => {
		expect(SPECIMEN_MRZ).toHaveLength(3);
		for (const line of SPECIMEN_MRZ) {
			expect(line).toHaveLength(30);
			for (const character of line) expect(MRZ_CHARACTERS).toContain(character);
		}
	});

	test('holds the fictional holder with each check digit as the standard computes it', () => {
		const [first, second, third] = SPECIMEN_MRZ;
		expect(first).toBe('I<UTOXD12345678<<<<<<<<<<<<<<<');
		expect(second).toBe('9001011<3512311UTO<<<<<<<<<<<2');
		expect(third).toBe('TESTWELL<<ROBIN<ALEX<<<<<<<<<<');
		expect(first.slice(5, 14)).toBe(SPECIMEN_HOLDER.documentNumber);
		expect(first[14]).toBe(checkDigit(first.slice(5, 14)));
		expect(second[6]).toBe(checkDigit(second.slice(0, 6)));
		expect(second[14]).toBe(checkDigit(second.slice(8, 14)));
	});
});
