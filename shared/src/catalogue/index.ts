// The catalogues: checklist templates, security features, reason codes, relations, consent and texts.
export * from './checklists.ts';
export * from './consent.ts';
export * from './decisions.ts';
export * from './documentTypes.ts';
export * from './i18n.ts';
export * from './purposes.ts';
export * from './reasonCodes.ts';
export * from './relations.ts';
export * from './securityFeatures.ts';
