// The specimen card's holder and machine-readable zone, in one place: the card prints them, the
// camera readers read them back and the journeys compare with them. A clearly fictional person on a
// TD1 card (three lines of 30) of UTO, the state code ICAO 9303's own specimens use for a country that
// does not exist, with every check digit computed as the standard says.

/** Who the specimen card is of. None of it is anyone. */
export const SPECIMEN_HOLDER = {
	surname: 'TESTWELL',
	givenNames: 'ROBIN ALEX',
	/** As the host would declare it (YYYY-MM-DD). */
	dateOfBirth: '1990-01-01',
	documentNumber: 'XD1234567',
	expires: '2035-12-31',
	issuingState: 'UTO',
} as const;

const WEIGHTS = [7, 3, 1] as const;

function characterValue(character: string): number {
	if (character === '<') return 0;
	if (/^[0-9]$/.test(character)) return Number(character);
	if (/^[A-Z]$/.test(character)) return character.charCodeAt(0) - 55;
	throw new TypeError(`not an MRZ character: ${JSON.stringify(character)}`);
}

/** ICAO 9303 part 3, 4.9: the sum of each character's value times 7, 3, 1, 7, 3, 1, ... modulo 10. */
export function checkDigit(field: string): string {
	let sum = 0;
	for (const [index, character] of [...field].entries()) sum += characterValue(character) * (WEIGHTS[index % 3] ?? 1);
	return String(sum % 10);
}

/** YYYY-MM-DD as the zone writes it: YYMMDD. */
function zoneDate(date: string): string {
	return date.slice(2).replaceAll('-', '');
}

function filled(text: string, length: number): string {
	if (text.length > length) throw new TypeError(`${text} is longer than ${length}`);
	return text.padEnd(length, '<');
}

/** The three lines of a TD1 zone (ICAO 9303 part 5, 4.2.2) for the holder. */
export function tdOneZone(holder: typeof SPECIMEN_HOLDER): [string, string, string] {
	const number = filled(holder.documentNumber, 9);
	const first = filled(`I<${holder.issuingState}${number}${checkDigit(number)}`, 30);
	const birth = zoneDate(holder.dateOfBirth);
	const expiry = zoneDate(holder.expires);
	// Sex unspecified (<): the card does not say.
	const second = filled(`${birth}${checkDigit(birth)}<${expiry}${checkDigit(expiry)}${holder.issuingState}`, 29);
	// The composite check digit covers the upper line from the document number on and the middle
	// line's number fields: both dates with their check digits and the optional data.
	const composite = checkDigit(first.slice(5, 30) + second.slice(0, 7) + second.slice(8, 15) + second.slice(18, 29));
	const name = filled(`${holder.surname}<<${holder.givenNames.replaceAll(' ', '<')}`, 30);
	return [first, `${second}${composite}`, name];
}

export const SPECIMEN_MRZ = tdOneZone(SPECIMEN_HOLDER);
