// Turns a refused or failed request into the sentence a person reads: the translation of its reason
// key, with the parameters that name protocol words (a request, a state, reason codes) translated themselves.
import {
	REASON_CODE_INFO,
	type ReasonCode,
	type ReasonParams,
	VERIFICATION_STATES,
	type VerificationState,
} from '@vidverify/shared';
import { reasonOf } from '../signalling/request.ts';
import { UI_RESOURCES } from './resources.ts';

type Translate = (key: string, params?: ReasonParams) => string;

function isState(value: unknown): value is VerificationState {
	return typeof value === 'string' && (VERIFICATION_STATES as readonly string[]).includes(value);
}

function isReasonCode(value: string): value is ReasonCode {
	return value in REASON_CODE_INFO;
}

function translatedParams(params: ReasonParams, t: Translate, tm: Translate): ReasonParams {
	const shown: ReasonParams = { ...params };
	const { request, state, reasons } = params;
	if (typeof request === 'string') {
		const key = `error.request.${request}`;
		// An unknown request name (a newer server) reads better as a neutral phrase than as code.
		shown.request = key in UI_RESOURCES.en ? t(key) : t('error.request.unknown');
	}
	if (isState(state)) shown.state = tm(`state.${state}`);
	// Reason codes joined by commas, each shown by its label; the list separator is the catalogue's.
	if (typeof reasons === 'string') {
		shown.reasons = reasons
			.split(',')
			.map((code) => (isReasonCode(code) ? tm(REASON_CODE_INFO[code].labelKey) : code))
			.join(t('error.listSeparator'));
	}
	return shown;
}

export function errorText(error: unknown, t: Translate, tm: Translate): string {
	const { reason, params } = reasonOf(error);
	return t(`error.reason.${reason}`, translatedParams(params, t, tm));
}
