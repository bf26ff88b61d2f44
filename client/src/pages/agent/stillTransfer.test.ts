import { describe, expect, test } from 'vitest';
import { addChunk, blobOf, decodeBase64, isComplete, type StillOffer, startAssembly } from './stillTransfer.ts';

const offer: StillOffer = {
	stillId: 's1',
	stepId: 'document_front',
	bytes: 5,
	width: 1920,
	height: 1080,
	mediaType: 'image/jpeg',
};
const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

describe('a still put back together', () => {
	test('chunks in order make the bytes that were sent, as one Blob of the offered type', async () => {
		const assembly = startAssembly(offer);
		expect(addChunk(assembly, { stillId: 's1', index: 0, data: base64([1, 2, 3]) })).toBe(true);
		expect(isComplete(assembly)).toBe(false);
		expect(() => blobOf(assembly)).toThrow(TypeError);
		expect(addChunk(assembly, { stillId: 's1', index: 1, data: base64([4, 255]) })).toBe(true);
		expect(isComplete(assembly)).toBe(true);
		const blob = blobOf(assembly);
		expect(blob.type).toBe('image/jpeg');
		expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3, 4, 255]);
	});

	test('a chunk of another still, out of order or past the offered size is not taken', () => {
		const assembly = startAssembly(offer);
		expect(addChunk(assembly, { stillId: 's2', index: 0, data: base64([1]) })).toBe(false);
		expect(addChunk(assembly, { stillId: 's1', index: 1, data: base64([1]) })).toBe(false);
		expect(addChunk(assembly, { stillId: 's1', index: 0, data: base64([1, 2, 3, 4, 5, 6]) })).toBe(false);
		expect(assembly.received).toBe(0);
	});

	test('base64 decodes to its bytes', () => {
		expect([...decodeBase64('AAEC/w==')]).toEqual([0, 1, 2, 255]);
	});
});
