// The words of the agent's full-resolution still, in English: the agent's button and what becomes of
// the photo, and the applicant's notice that one was taken.
export const still = {
	'call.still.taken':
		'The agent took a sharp photo of your camera picture to read your document. Only the agent sees it; it is not stored.',
	'agent.still.take': 'Take a sharp photo',
	'agent.still.taking': 'Taking a photo…',
	'agent.still.onlyAtSteps': 'A sharp photo can be taken during the face and document steps.',
	'agent.still.arrived':
		'Sharp photo: {width} × {height} pixels, in this browser only. It is gone when you dismiss it or the call ends.',
	'agent.still.badge': 'Photo',
	'agent.still.dismiss': 'Dismiss photo',
	'agent.still.refused': 'No photo: {reason}',
	'agent.still.failed.camera_unavailable': 'No photo: the applicant’s camera is not available.',
	'agent.still.failed.capture_failed': 'No photo: the applicant’s browser could not take one.',
	'agent.still.failed.too_large': 'No photo: it was too large to send.',
	'agent.still.failed.applicant_left': 'No photo: the applicant’s connection closed while it was sent.',
	'agent.still.failed.agent_left': 'No photo: your connection closed while it was sent.',
	'agent.still.failed.call_ended': 'No photo: the call ended.',
	'agent.still.failed.transfer_broken': 'No photo: it did not arrive whole. Try again.',
	'agent.still.failed.timed_out': 'No photo: it took too long to arrive. Try again.',
};
