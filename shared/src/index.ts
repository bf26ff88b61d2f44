// What server, client and tests share: the protocol, error codes and catalogues.

export * from './catalogue/index.ts';
export * from './errors.ts';
export * from './protocol/ack.ts';
export * from './protocol/call.ts';
export * from './protocol/hostApi.ts';
export * from './protocol/media.ts';
export * from './protocol/operator.ts';
export * from './protocol/requests.ts';
export * from './protocol/review.ts';
export * from './protocol/selfCheck.ts';
export * from './protocol/session.ts';
export * from './protocol/still.ts';
export * from './protocol/tryVerification.ts';
export * from './protocol/verification.ts';
export * from './protocol/version.ts';
