// Words of the landing page, in English: what the service is, the connection check, and on a
// development server the offer to try a verification on this machine.
export const home = {
	'home.intro': 'Identity verification by live video call. If your platform sent you a link, open that link to join your call.',
	'home.check.intro': 'Before a call you can check that video calls work from this device.',
	'home.check.link': 'Check my camera and connection',
	'home.try.title': 'Try it on this machine',
	'home.try.intro': 'This server runs in development mode, so it can create a demo verification and a demo agent for you.',
	'home.try.standard': 'Try a verification on this machine',
	'home.try.interpreter': 'Try with an interpreter',
	'home.try.typed_challenge': 'Try with a typed challenge',
	'home.try.variants':
		'With an interpreter, a family member joins from a third window; with a typed challenge, the applicant types the number shown instead of reading it aloud.',
	'home.try.creating': 'Creating a demo verification…',
	'home.try.ready.standard': 'Your demo verification is ready',
	'home.try.ready.interpreter': 'Your demo verification with an interpreter is ready',
	'home.try.ready.typed_challenge': 'Your demo verification with a typed challenge is ready',
	'home.try.hint': 'Open the two links in two windows, one of them private, so that each has a session of its own.',
	'home.try.applicantLink': 'Applicant link',
	'home.try.applicantSteps': 'Consent, check the camera and microphone, and wait for the agent.',
	'home.try.agentLink': 'Agent link',
	'home.try.agentSteps': 'Set yourself available, accept the call, prompt each step and decide.',
	'home.try.interpreterSteps':
		'In the call, the applicant invites the interpreter and opens the link it shows in a third window.',
	'home.try.typedSteps': 'When the number appears, the applicant types it instead of reading it aloud.',
	'home.try.copy': 'Copy',
	'home.try.copied': '{link} copied.',
	'home.try.copyFailed': 'This browser did not allow copying: select the link and copy it yourself.',
	'home.try.failed': 'No demo verification was created: {reason}',
};
