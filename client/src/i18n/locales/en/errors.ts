// What a person reads when the server (or the connection to it) refuses a request: one sentence per
// reason key of the protocol, saying what happened and what to do. The server's English message is
// for logs and never shown. Parameters: {request} (what was asked, see error.request.*) and {state}
// (the verification's state, from the catalogue) are translated before they are filled in.
import type { CallRequestName, ErrorReason, VerificationRequestName } from '@vidverify/shared';

export type ErrorStrings = Record<`error.reason.${ErrorReason}`, string> &
	Record<`error.request.${VerificationRequestName | CallRequestName | 'unknown'}`, string> & {
		/** Between the items of a list filled into a reason ({reasons}). */
		'error.listSeparator': string;
	};

export const errors: ErrorStrings = {
	'error.reason.unauthenticated': 'Your link is not accepted any more. Open the newest link you were given.',
	'error.reason.forbidden': 'You are not allowed to do that here.',
	'error.reason.invalidPayload': 'Something in what you entered was not accepted. Check it and try again.',
	'error.reason.invalidState': 'That cannot be done at this point of the verification.',
	'error.reason.notFound': 'That could not be found. It may have ended already.',
	'error.reason.conflict': 'Someone else changed this at the same moment. Try again.',
	'error.reason.rateLimited': 'Too many attempts in a short time. Wait a moment, then try again.',
	'error.reason.payloadTooLarge': 'That is too long to send. Shorten it and try again.',
	'error.reason.protocolMismatch': 'This page is out of date. Reload it.',
	'error.reason.unavailable': 'The service is busy or restarting. Try again in a moment.',
	'error.reason.internal': 'Something went wrong on our side. Try again; if it keeps happening, contact support.',

	'error.reason.tokenExpired': 'Your link has expired. Ask for a new one.',
	'error.reason.tokenInvalid': 'This link is not valid. Check that you opened the whole link, or ask for a new one.',
	'error.reason.signInEnded':
		'Your sign-in to the agent console has reached its longest time. Open a new agent link from your platform.',
	'error.reason.linkExpired': 'This verification link has expired. Ask your platform for a new one.',
	'error.reason.unknownVerification': 'This link belongs to no verification we know. Ask your platform for a new one.',
	'error.reason.invitationInvalid': 'This invitation is not valid any more. Ask the applicant for a new link.',
	'error.reason.invitationExpired': 'This invitation has expired. Ask the applicant for a new link.',
	'error.reason.invitationUsed': 'This invitation was already used on another device. Ask the applicant for a new link.',
	'error.reason.removedFromCall': 'The agent ended your part in this call.',

	'error.reason.roleMayNotSend': 'Your role in the call cannot do that.',
	'error.reason.notAParticipant': 'You are not taking part in this verification.',
	'error.reason.notYourVerification': 'This verification is not assigned to you.',
	'error.reason.noVerificationAssigned': 'You have no verification in progress.',
	'error.reason.notAReviewer': 'Your sign-in may not review verifications. Ask your platform for a reviewer link.',
	'error.reason.reviewOwnCall': 'You were the agent in this call, so another reviewer must decide it.',
	'error.reason.notEligibleToTake':
		'You may not take this verification: it needs a language or skill your profile does not list.',

	'error.reason.notAllowedInState': 'You cannot {request} right now. Current state: {state}.',
	'error.reason.verificationEnded':
		'This verification is already over, so this link cannot be used again. Your platform has its result.',
	'error.reason.tooManyChanges': 'This call has recorded too many changes. Finish it now, or start a new verification.',
	'error.reason.consentChanged': 'The consent text has changed. Read the new text and accept it again.',
	'error.reason.alreadyInCall': 'You are still in a call. Decide it first.',
	'error.reason.setAvailableFirst': 'Switch to available before accepting a call.',
	'error.reason.nothingToAccept': 'Nobody you can take is waiting right now.',
	'error.reason.takenByAnotherAgent': 'Another agent took that verification just before you. Take the next one.',
	'error.reason.noSuchStep': 'This checklist has no such step. Reload the call.',
	'error.reason.stepNotApplicable': 'This step no longer applies.',
	'error.reason.promptStepFirst': 'Prompt this step before marking it.',
	'error.reason.noInterpreterForStep': 'This step needs an interpreter in the call. Invite one first.',
	'error.reason.interpreterNotDeclared': 'The interpreter has not said who they are yet. Wait for their declaration.',
	'error.reason.typedAnswerNotMatched': 'The typed number did not match.',
	'error.reason.noChallengeWaiting': 'There is no number to answer right now. Wait for the agent to show one.',
	'error.reason.challengeNotTyped': 'This number is to be read aloud, not typed.',
	'error.reason.challengeAlreadyAnswered': 'This number was already answered. Ask the agent for a new one.',
	'error.reason.challengeExpired': 'This number has expired. Ask the agent for a new one.',
	'error.reason.interpreterAlreadyPresent': 'An interpreter is already taking part.',
	'error.reason.noInterpreterPresent': 'No interpreter is in the call.',
	'error.reason.approvalNeedsRequiredSteps': 'Approval needs every required step passed. Finish the open steps first.',
	'error.reason.approvalWithFailedStep':
		'A step was marked failed, so the verification cannot be approved. Prompt that step again and pass it, or reject.',
	'error.reason.reasonsNotSupported':
		'No failed step or check of this call supports: {reasons}. Untick it, or fail the step that shows it first.',
	'error.reason.reasonsNeedNote': 'Nothing recorded in this call shows: {reasons}. Write in the note what you saw, or untick it.',
	'error.reason.noSuchDocumentCheck': 'There is no document check number {check} in this call. Run the check again.',
	'error.reason.documentHeldByAnother':
		'Document check {check} found that document tied to another user, so it cannot be recorded as the applicant’s.',
	'error.reason.notEligible': 'This verification cannot go ahead for this applicant.',
	'error.reason.earlierVerificationUnknown': 'The earlier verification given for this identity update is not known here.',
	'error.reason.earlierVerificationNotOver': 'The earlier verification given for this identity update is not over yet.',
	'error.reason.earlierVerificationOtherUser': 'The earlier verification given for this identity update belongs to another user.',
	'error.reason.earlierVerificationNotReset': 'An earlier verification can only be given for an identity update.',

	'error.reason.changedConcurrently': 'This changed at the same moment somewhere else. Try again.',
	'error.reason.alreadyReviewed': 'Another reviewer decided this verification just before you ({state}). Choose another one.',
	'error.reason.stillRecording': 'The result is still being saved. Try again in a moment.',
	'error.reason.serviceStarting': 'The service is starting. Try again in a moment.',
	'error.reason.serviceShuttingDown': 'The service is restarting. Try again in a moment.',
	'error.reason.journalUnavailable': 'The result could not be saved just now. Try again in a moment.',
	'error.reason.requestTimedOut': 'The server did not answer in time. Check your connection and try again.',
	'error.reason.disconnected': 'You are not connected right now. Wait until the connection is back, then try again.',

	'error.reason.joinMediaFirst': 'The video connection is not ready yet. Wait a moment.',
	'error.reason.mediaServedElsewhere': 'The video moved to another server. Wait while it reconnects.',
	'error.reason.mediaRestarted': 'The video server restarted. Wait while the video reconnects.',
	'error.reason.mediaUnavailable': 'Video is not available right now. Try again in a moment.',
	'error.reason.callEnded': 'This call has ended.',
	'error.reason.alreadySending': 'Your camera or microphone is already being sent.',
	'error.reason.tooManyChecks': 'Too many connection checks in a short time. Wait a minute, then try again.',

	'error.request.consent': 'accept the consent',
	'error.request.cancel': 'leave the queue',
	'error.request.leave': 'leave',
	'error.request.setAvailability': 'change your availability',
	'error.request.getQueue': 'load the queue',
	'error.request.accept': 'accept a call',
	'error.request.promptStep': 'prompt a step',
	'error.request.markStep': 'mark a step',
	'error.request.answerChallenge': 'answer the number',
	'error.request.inviteInterpreter': 'invite an interpreter',
	'error.request.removeInterpreter': 'remove the interpreter',
	'error.request.declareInterpreter': 'make your declaration',
	'error.request.checkDocument': 'check the document',
	'error.request.decide': 'decide',
	'error.request.getState': 'load the verification',
	'error.request.sendChat': 'send a message',
	'error.request.getMediaEndpoint': 'find the video server',
	'error.request.getMediaCapabilities': 'start the video',
	'error.request.joinMedia': 'join the video',
	'error.request.connectTransport': 'connect the video',
	'error.request.produce': 'send your camera',
	'error.request.resumeConsumer': 'show a picture',
	'error.request.restartIce': 'restore the video connection',
	'error.request.reportSendStats': 'report the call quality',
	'error.request.requestHighQuality': 'ask for a sharper picture',
	'error.request.standBy': 'get the video ready for your next call',
	'error.request.connectStandby': 'connect the video for your next call',
	'error.request.leaveStandby': 'stop getting the video ready',
	'error.request.unknown': 'do that',
	'error.listSeparator': ', ',
};
