// Puts the agent's still back together from the chunks the server relays (stillOffered, then
// stillChunkRelayed in order, then stillEnded): in this page's memory only, checked against the size
// offered, handed over as one Blob to show. Nothing here stores, uploads or exports it.
import type { StillNotifications } from '@vidverify/shared';

export type StillOffer = StillNotifications['stillOffered'];
export type StillChunk = StillNotifications['stillChunkRelayed'];

export type StillAssembly = { offer: StillOffer; parts: Uint8Array[]; received: number };

export function startAssembly(offer: StillOffer): StillAssembly {
	return { offer, parts: [], received: 0 };
}

export function decodeBase64(data: string): Uint8Array {
	const binary = atob(data);
	const bytes = new Uint8Array(binary.length);
	for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
	return bytes;
}

/**
 * Adds the next chunk; false when it does not belong (another still, out of order, past the size
 * offered), after which the assembly is of no use: the server drops such a still too.
 */
export function addChunk(assembly: StillAssembly, chunk: StillChunk): boolean {
	if (chunk.stillId !== assembly.offer.stillId || chunk.index !== assembly.parts.length) return false;
	const bytes = decodeBase64(chunk.data);
	if (assembly.received + bytes.length > assembly.offer.bytes) return false;
	assembly.parts.push(bytes);
	assembly.received += bytes.length;
	return true;
}

export function isComplete(assembly: StillAssembly): boolean {
	return assembly.received === assembly.offer.bytes;
}

/** The whole picture, once complete, as the applicant's browser encoded it. */
export function blobOf(assembly: StillAssembly): Blob {
	if (!isComplete(assembly)) throw new TypeError('the still is not complete');
	return new Blob(assembly.parts as BlobPart[], { type: assembly.offer.mediaType });
}
