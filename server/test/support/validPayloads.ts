// A payload that each verification request's schema accepts, so that only the sender's role or the
// verification's state decides the answer: the permission matrix sends them as they are, the fuzzer
// mutates them.
import { CONSENT_VERSION, type VerificationRequestName, type VerificationRequestPayload } from '@vidverify/shared';

export const VALID_PAYLOADS: { [N in VerificationRequestName]: VerificationRequestPayload<N> } = {
	consent: { consentVersion: CONSENT_VERSION },
	cancel: {},
	leave: {},
	setAvailability: { availability: 'available' },
	getQueue: {},
	accept: {},
	promptStep: { stepId: 'face' },
	markStep: { stepId: 'face', result: 'passed' },
	answerChallenge: { answer: '123456' },
	inviteInterpreter: {},
	removeInterpreter: {},
	declareInterpreter: { fullName: 'Li Wei', relation: 'sibling' },
	checkDocument: { documentType: 'passport', documentNumber: 'X1234567' },
	decide: { decision: 'escalate', note: 'a valid payload' },
	getState: {},
	sendChat: { text: 'hello' },
};
