// The words of the applicant's pre-connected camera in the waiting room, in English: that it is on
// and connected so the call starts at once, and that nobody sees or hears it before an agent takes it.
export const waitingMedia = {
	'waiting.media.connected':
		'Your camera and microphone are on and already connected, so the call can start at once. Nobody sees or hears you until an agent takes your call.',
	'waiting.media.connecting':
		'Connecting your camera and microphone, so the call can start at once. Nobody sees or hears you until an agent takes your call.',
	'waiting.media.later':
		'Your camera could not connect yet; it connects when an agent takes your call. Nobody sees or hears you before that.',
};
