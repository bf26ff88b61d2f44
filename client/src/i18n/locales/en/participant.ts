// The words of the participant pages (applicant and interpreter), in English: link problems, what will
// happen, the device check with how to fix each camera or microphone problem per browser, the waiting
// room, the call and the end. Domain texts (prompts, consent, reasons, relations) are the catalogue's.
export const participant = {
	'join.loading': 'Opening your verification…',

	'link.problem.missing.title': 'This page needs your link',
	'link.problem.missing.body':
		'Open the link your platform gave you (in its app, e-mail or message). The link itself lets you in.',
	'link.problem.invalid.title': 'This link does not work',
	'link.problem.invalid.body':
		'The link may have been cut off when it was copied. Open it again from your platform, or ask the platform for a new one.',
	'link.problem.agent_link.title': 'This is an agent link',
	'link.problem.agent_link.body': 'Agent links open the agent console, not the verification for applicants.',
	'link.problem.agent_link.action': 'Open the agent console',
	'link.problem.expired.title': 'This link has expired',
	'link.problem.expired.body':
		'Links work for a limited time. Start the verification again on your platform to get a new link. If you were invited to interpret, ask the applicant for a new invitation.',
	'link.problem.used.title': 'This invitation was already used',
	'link.problem.used.body':
		'An interpreter invitation works once, on one device. If that was not you, or you were disconnected for too long, ask the applicant or the agent for a new invitation.',
	'link.problem.removed.title': 'You are no longer part of this call',
	'link.problem.removed.body':
		'The agent ended your part in this call. If you think this is a mistake, the applicant can invite you again.',
	'link.problem.ended.title': 'This verification has ended',
	'link.problem.ended.body':
		'The call this link was for is over. Your platform will tell the applicant what happens next. For a new check, start again on the platform.',
	'link.problem.outdated_page.title': 'This page needs a reload',
	'link.problem.outdated_page.body': 'The service was updated since this page was opened. Reload the page to continue.',
	'link.problem.unavailable.title': 'The service is busy',
	'link.problem.unavailable.body': 'We could not let you in just now. Wait a moment, then reload the page.',
	'link.reload': 'Reload the page',
	'link.serverSaid': 'Why:',

	'intro.purpose': 'Reason for this check: {purpose}.',
	'intro.whatHappens': 'What will happen',
	'intro.step.consent': 'You read and accept how the check works (below).',
	'intro.step.devices': 'You check your camera and microphone.',
	'intro.step.wait': 'You wait for the next free agent. You can see your place in the queue.',
	'intro.step.call':
		'In a video call, the agent asks you to show your face and your ID and to read a number. Each instruction also appears on screen in large text, and you can use the chat.',
	'intro.step.result': 'After the call, your platform tells you the result.',
	'intro.interpreter.lead':
		'You were invited to interpret for an applicant in their video identity check. You translate what the agent and the applicant say; only the applicant may answer.',
	'intro.interpreter.step.consent': 'You read how the check works (below) and agree to take part.',
	'intro.interpreter.step.call': 'You join the video call with the applicant and the agent.',
	'intro.interpreter.step.declare':
		'When the agent asks, you give your full name and your relation to the applicant, and show your own ID on camera.',
	'consent.heading': 'Consent',

	'declined.title': 'No problem',
	'declined.body':
		'Nothing has started and nothing was recorded. You can open this link again until {until} and start when you are ready.',
	'declined.again': 'Read it again',

	'device.title': 'Check your camera and microphone',
	'device.intro': 'Your browser will ask to use the camera and microphone: choose Allow. Nothing is recorded.',
	'device.starting': 'Starting your camera and microphone…',
	'device.preview': 'Your camera preview',
	'device.noPicture': 'No picture yet',
	'device.pictureHeading': 'Picture',
	'device.soundHeading': 'Sound',
	'device.resolution': 'Your camera sends {width}×{height}: good for reading documents.',
	'device.resolutionLow':
		'Your camera sends only {width}×{height}. The agent may struggle to read your ID: use a better camera (a phone’s back camera is usually best) if you can.',
	'device.lighting.pending': 'Checking the light and sharpness…',
	'device.lighting.ok': 'The light and sharpness look good.',
	'device.lighting.too_dark': 'The picture is too dark. Turn on a light or face a window.',
	'device.lighting.glare': 'There is glare. Tilt your ID or move away from direct light so nothing shines white.',
	'device.lighting.blurred':
		'The picture looks blurred. Clean the camera lens and hold still, or move your ID a little further away.',
	'device.camera': 'Camera',
	'device.cameraNumber': 'Camera {number}',
	'device.microphone': 'Microphone',
	'device.microphoneNumber': 'Microphone {number}',
	'device.useBackCamera': 'Use the back camera (for your ID)',
	'device.useFrontCamera': 'Use the front camera',
	'device.micLevel': 'Microphone level',
	'device.micSpeak': 'Say a few words: the bar should move.',
	'device.micHeard': 'We can hear you.',
	'device.micSilent':
		'We hear nothing yet. Check that the microphone is not muted (a switch on a headset or laptop) and choose another microphone if there is one.',
	'device.continue': 'Continue',
	'device.queueNote': 'Finish this check while you wait.',
	'device.agentReady': 'An agent is ready for you. Finish this check and press Continue to join the call.',
	'device.problem.detail': 'Browser message:',
	'device.problem.permission_denied.title': 'Camera or microphone access is blocked',
	'device.problem.permission_denied.body':
		'The check needs your camera and microphone. The browser was told not to allow them for this page.',
	'device.problem.no_camera.title': 'No camera found',
	'device.problem.no_camera.body': 'This device has no camera we can use.',
	'device.problem.no_microphone.title': 'No microphone found',
	'device.problem.no_microphone.body': 'This device has no microphone we can use.',
	'device.problem.device_busy.title': 'The camera or microphone is in use',
	'device.problem.device_busy.body': 'Another app or browser tab is using the camera or microphone, so this page cannot.',
	'device.problem.no_rear_camera.title': 'No back camera',
	'device.problem.no_rear_camera.body': 'This device has no back camera. Hold your ID in front of the camera you have.',
	'device.problem.no_webrtc.title': 'This browser cannot make video calls',
	'device.problem.no_webrtc.body':
		'It has no video calling (WebRTC). Open the link in a current version of Chrome, Edge, Firefox or Safari.',
	'device.problem.not_supported.title': 'This browser cannot use the camera here',
	'device.problem.not_supported.body':
		'Open the link in a current version of Chrome, Edge, Firefox or Safari. The page must be opened with https.',
	'device.problem.other.title': 'The camera or microphone did not start',
	'device.problem.other.body': 'Something unexpected stopped them. Try again; if it keeps failing, restart the browser.',
	'device.fix.permission.chrome':
		'To fix it: click the camera icon (or the settings icon) at the left of the address bar, set Camera and Microphone to Allow, then press Try again.',
	'device.fix.permission.chrome_android':
		'To fix it: tap the settings icon left of the address, open Permissions, allow Camera and Microphone, then tap Try again. If they stay blocked, allow Chrome to use the camera in your phone’s Settings → Apps → Chrome → Permissions.',
	'device.fix.permission.edge':
		'To fix it: click the lock icon at the left of the address bar, set Camera and Microphone to Allow, then press Try again.',
	'device.fix.permission.firefox':
		'To fix it: click the crossed-out camera icon in the address bar, clear “Blocked temporarily” for Camera and Microphone, then press Try again.',
	'device.fix.permission.safari_mac':
		'To fix it: in the menu choose Safari → Settings for this website, set Camera and Microphone to Allow, then press Try again.',
	'device.fix.permission.safari_ios':
		'To fix it: tap “aA” in the address bar, then Website Settings, set Camera and Microphone to Allow, then tap Try again. If that is not offered, open the iPhone’s Settings → Safari → Camera and Microphone and choose Allow.',
	'device.fix.permission.samsung':
		'To fix it: tap the lock icon in the address bar, open Permissions, allow Camera and Microphone, then tap Try again.',
	'device.fix.permission.other':
		'To fix it: open this browser’s site settings (often behind an icon at the left of the address bar), allow Camera and Microphone for this page, then press Try again.',
	'device.fix.busy':
		'To fix it: close video call apps (such as Zoom, Teams, WeChat or FaceTime) and other tabs that use the camera, then press Try again. If it still fails, restart the browser.',
	'device.fix.missing':
		'To fix it: connect a camera and microphone (or a headset), or open the link on a phone or laptop that has them, then press Try again. Check that the camera is not switched off with a key or a cover.',

	'waiting.title': 'Waiting for an agent',
	'waiting.joining': 'Joining the queue…',
	'waiting.soon': 'An agent should be with you in a moment.',
	'waiting.keepOpen': 'Keep this page open. When an agent takes your call, the call starts here by itself.',
	'waiting.prepareHeading': 'Get ready',
	'waiting.prepare.document': 'Have your original ID document at hand (not a copy or a photo).',
	'waiting.prepare.light': 'Sit in good light, facing a lamp or a window.',
	'waiting.prepare.quiet': 'Find a quiet place where you can speak.',
	'waiting.leave': 'Leave the queue',
	'waiting.leaveConfirm.title': 'Leave the queue?',
	'waiting.leaveConfirm.body':
		'You will lose your place and this verification ends. You can start a new one on your platform later.',
	'waiting.leaveConfirm.yes': 'Leave',
	'waiting.leaveConfirm.no': 'Stay in the queue',

	'invite.title': 'Your interpreter',
	'invite.explain':
		'If a family member interprets for you, invite them: you get a link to send them. They join the call on their own phone or computer.',
	'invite.button': 'Invite my interpreter',
	'invite.sendLink': 'Send this link to your interpreter. It works once, on one device, until {until}.',
	'invite.linkLabel': 'Invitation link',
	'invite.copy': 'Copy the link',
	'invite.copied': 'Link copied.',
	'invite.copyFailed': 'Could not copy: select the link and copy it by hand.',
	'invite.share': 'Share…',
	'invite.shareTitle': 'Interpreter invitation',
	'invite.shareText': 'Please join my video identity check as my interpreter:',
	'invite.newLink': 'Make a new link',
	'invite.present': 'Your interpreter is in the call.',
	'invite.presentNamed': 'Your interpreter {name} is in the call.',

	'call.title': 'Video call',
	'call.yourCamera': 'Your camera',
	'call.sideLabel': 'Your camera, chat and call controls',
	'call.highQuality': 'The agent asked for your sharpest picture: hold your ID still, close to the camera.',
	'call.leave': 'Leave the call',
	'call.leaveConfirm.title': 'Leave the call?',
	'call.leaveConfirm.body': 'The check ends now and is not finished. You can start a new one on your platform later.',
	'call.leaveConfirm.yes': 'Leave',
	'call.leaveConfirm.no': 'Stay in the call',
	'prompt.heading': 'Current instruction',
	'prompt.none': 'The agent will tell you what to do. Each instruction appears here.',
	'prompt.stepDone': 'Done. Wait for the next instruction.',
	'prompt.forApplicant': 'For the applicant:',
	'prompt.forInterpreter': 'For the interpreter:',
	'prompt.forBoth': 'For both of you:',
	'announce.joined': '{role} joined the call.',
	'announce.reconnecting': '{role} lost the connection and is reconnecting.',
	'announce.left': '{role} left the call.',

	'challenge.titleSpoken': 'Read this number out loud',
	'challenge.titleTyped': 'Type this number',
	'challenge.answerLabel': 'The number you see',
	'challenge.submit': 'Send the number',
	'challenge.matched': 'Thank you: the number is correct.',
	'challenge.notMatched': 'The number did not match. The agent will give you a new one.',
	'challenge.expired': 'This number has expired. The agent will give you a new one.',

	'end.approved.title': 'Your check is complete',
	'end.approved.body': 'Thank you. The agent has finished your identity check.',
	'end.rejected.title': 'Your check could not be completed',
	'end.rejected.body': 'The agent could not confirm your identity in this call.',
	'end.escalated.title': 'Your check needs a further review',
	'end.escalated.body': 'The agent passed your check to a colleague for a closer look. You do not need to do anything now.',
	'end.platformTells': 'Your platform will tell you the result and what it means for your account.',
	'end.abandoned.title': 'You left before the call',
	'end.abandoned.body': 'Your verification was stopped before an agent took it.',
	'end.interrupted.title': 'The call ended early',
	'end.interrupted.left': 'You left the call before the check was finished.',
	'end.interrupted.lost':
		'The connection was lost and did not come back in time, so the check could not be finished. A stronger Wi-Fi or mobile connection helps.',
	'end.expired.title': 'This verification has expired',
	'end.expired.body': 'The time for this verification ran out before the check was done.',
	'end.startAgain': 'To try again, start a new verification on your platform.',
	'end.adviceHeading': 'For next time',
	'end.nothingKept': 'No video, audio or image of this call was recorded.',
	'end.closePage': 'You can close this page now.',

	'interpreter.callRunning': 'The call has already started. Finish this check and press Continue to join it.',
	'interpreter.waiting.title': 'The call has not started yet',
	'interpreter.waiting.body': 'The applicant is waiting for an agent. The call starts here by itself when an agent takes it.',
	'interpreter.call.title': 'Video call (interpreting)',
	'interpreter.leave': 'Leave the call',
	'interpreter.leaveConfirm.title': 'Leave the call?',
	'interpreter.leaveConfirm.body':
		'The applicant stays in the call without you. This invitation cannot be used again: the applicant would have to invite you anew.',
	'interpreter.end.left.title': 'You left the call',
	'interpreter.end.left.body': 'Thank you. The applicant’s check goes on without you.',
	'interpreter.end.removed.title': 'Your part in the call has ended',
	'interpreter.end.removed.body': 'The agent ended your part in this call. The applicant’s check goes on.',
	'interpreter.end.decided.title': 'The call is over',
	'interpreter.end.decided.body': 'Thank you for interpreting. The platform will tell the applicant the result.',
	'interpreter.end.ended.title': 'The call has ended',
	'interpreter.end.ended.body': 'The call ended before the check was finished. The applicant can start again on the platform.',

	'declare.title': 'Who you are',
	'declare.explain': 'Give your full name as on your ID, and how you are related to the applicant. Then say it on camera.',
	'declare.name': 'Full name',
	'declare.relation': 'Relation to the applicant',
	'declare.relationChoose': 'Choose…',
	'declare.submit': 'Send',
	'declare.update': 'Send the correction',
	'declare.done': 'Sent: {declaration}.',
	'declare.incomplete': 'Enter your full name (at least 2 characters) and choose your relation.',
};
