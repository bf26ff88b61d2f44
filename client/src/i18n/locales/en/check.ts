// The connection check page (/check): anyone may open it before a call.

export const check = {
	'check.title': 'Connection check',
	'check.intro': 'This sends your camera and microphone to our server and back. Nothing is recorded.',
	'check.start': 'Start the check',
	'check.retry': 'Try again',
	'check.connecting': 'Connecting…',
	'check.waiting': 'Connected; waiting for your video to come back…',
	'check.passed': 'Your connection works: your video came back through our server.',
	'check.noVideo':
		'No video came back from the server. A firewall or a company network may block video calls (WebRTC over UDP); try another network, such as your phone’s.',
	'check.failed': 'The check did not finish: {reason}',
	'check.ownCamera': 'Your camera',
	'check.echo': 'After a round trip through the server',
	'check.echoLabel': 'Your video after a round trip through the server',
};
