// The English texts of every domain message: the source dictionary whose keys define MessageKey, and
// the fallback for any other locale. Placeholders are written {name} and filled by translate().
export const en = {
	// Checklist prompts are what the applicant or interpreter sees in large text: short and imperative.
	// Guidance lines are what the agent checks before marking the step.
	'step.consent.prompt': 'Say “I agree” to confirm you accept this identity check',
	'step.consent.guidance':
		'Ask whether they have read the consent text and accept the check. Pass only on a clear yes from the applicant themselves (spoken, signed through the interpreter, or typed). If they hesitate, explain what is checked and that nothing is recorded.',
	'step.face.prompt': 'Look straight at the camera. Take off any hat or glasses',
	'step.face.guidance':
		'Whole face in view and evenly lit: no hat, glasses, mask or beauty filter. Note face shape, eyes, nose, ears and hairline for the comparison with the document photo. Watch for a photo or a second screen held up to the camera.',
	'step.document_front.prompt': 'Hold the front of your ID close to the camera',
	'step.document_front.guidance':
		'All four corners in view, no fingers over the photo or data, no glare on the photo. Read name, date of birth, document number and expiry date. It must be the original: no copy, printout or picture on a screen.',
	'step.document_front.prompt.renewed': 'Hold the front of your new ID close to the camera',
	'step.document_front.guidance.renewed':
		'This must be the renewed document: recent issue date, expiry date not passed. All four corners in view, photo and data readable, original rather than a copy or a screen.',
	'step.document_back.prompt': 'Turn your ID over and show the back',
	'step.document_back.guidance':
		'All four corners in view; the machine-readable zone and any data on the back are readable and agree with the front. For a passport, ask for the page with the signature instead.',
	'step.security_features.prompt': 'Slowly tilt your ID towards the light and back',
	'step.security_features.guidance':
		'Ask for slow tilts under a light source and check each feature picked for this call; the pick is random so it cannot be prepared for. A feature this document type should have that does not react points to a copy or an edited document. If the document type has no such feature, note it and check another one of the same kind.',
	'step.challenge.prompt': 'Read the number on your screen out loud',
	'step.challenge.prompt.typed': 'Type the number shown on your screen',
	'step.challenge.guidance':
		'The applicant alone must say or type the number; compare it with the expected value. Check that lips and voice match. Fail if someone else answers or the number is wrong. A number is valid once and for a short time: prompt again for a new one if needed.',
	'step.head_turn.prompt': 'Slowly turn your head to the left, then to the right',
	'step.head_turn.guidance':
		'Smooth, natural movement with ears and profile visible. Watch for a frozen picture, blurred edges around the face, a mask, or a video playing in a loop.',
	'step.confirm_details.prompt': 'Hold your ID still, close to the camera, so the agent can read it',
	'step.confirm_details.guidance':
		'The automatic check failed on this document. Read every field it needs (name, date of birth, document number, expiry date, machine-readable zone) and, if you can tell, note which one caused the failure.',
	'step.renewal_check.prompt': 'Keep your new ID in view while the agent compares it with your earlier record',
	'step.renewal_check.guidance':
		'Compare the new document with the identity verified before: same name (or an explained name change), same date of birth, a new document number and a later issue date. A different person or date of birth is not a renewal: reject as face mismatch or duplicate identity.',
	'step.interpreter_declaration.prompt': 'Say your full name and how you are related to the applicant',
	'step.interpreter_declaration.guidance':
		'The interpreter states full name and relation on camera, matching what they declared when joining. Ask the applicant to confirm they want this person to interpret. The interpreter translates only and never answers for the applicant.',
	'step.interpreter_document.prompt': 'Hold the front of your own ID close to the camera',
	'step.interpreter_document.guidance':
		"The interpreter's original document: the name matches the declaration and the photo matches their face. Their age and region are not checked for eligibility.",
	'step.joint_presence.prompt': 'Both of you: face the camera, each holding your own ID',
	'step.joint_presence.guidance':
		'Both faces and both original documents visible at the same moment, in one picture or in both pictures side by side. This shows the interpreter is with this applicant live, not a recording.',

	'challenge.expected': 'Expected number: {code}',
	'challenge.typedAnswer': 'Typed answer: {answer}',
	'securityFeatures.toCheck': 'Check these features: {features}',

	'securityCategory.optically_variable.label': 'Holograms and optically variable features',
	'securityCategory.personalisation.label': 'Personalisation technique',
	'securityCategory.substrate.label': 'Substrate and material',
	'securityCategory.security_print.label': 'Security print',

	'securityFeature.hologram.label': 'Hologram',
	'securityFeature.hologram.hint': 'Image and colours move and change as the document tilts; flat print does not',
	'securityFeature.kinegram.label': 'Kinegram',
	'securityFeature.kinegram.hint': 'Sharp metallic shapes that switch or jump between tilt angles',
	'securityFeature.colour_shifting_ink.label': 'Colour-shifting ink',
	'securityFeature.colour_shifting_ink.hint': 'A printed element changes colour, for example gold to green, when tilted',
	'securityFeature.laser_engraving.label': 'Laser-engraved data',
	'securityFeature.laser_engraving.hint':
		'Photo and data in grey tones inside the card, with no shiny ink or toner on the surface',
	'securityFeature.tactile_text.label': 'Tactile (raised) text',
	'securityFeature.tactile_text.hint': 'Raised characters cast small shadows when light comes from the side',
	'securityFeature.ghost_image.label': 'Ghost image',
	'securityFeature.ghost_image.hint': 'A second, smaller portrait that matches the main photo',
	'securityFeature.changeable_laser_image.label': 'Changeable laser image',
	'securityFeature.changeable_laser_image.hint': 'A small lens area shows a different picture or number at different angles',
	'securityFeature.laser_perforation.label': 'Laser-perforated image',
	'securityFeature.laser_perforation.hint': 'A picture or number made of tiny holes, visible when held against light',
	'securityFeature.card_edge.label': 'Card edge',
	'securityFeature.card_edge.hint': 'An even, solid edge with no peeling layers and no paper core',
	'securityFeature.transparent_window.label': 'Transparent window',
	'securityFeature.transparent_window.hint': 'A clear area through which the background or a finger can be seen',
	'securityFeature.watermark.label': 'Watermark',
	'securityFeature.watermark.hint': 'A shaded image in the paper, visible when the page is held against light',
	'securityFeature.security_thread.label': 'Security thread',
	'securityFeature.security_thread.hint': 'A metallic thread woven into the page that catches the light',
	'securityFeature.guilloche.label': 'Guilloche pattern',
	'securityFeature.guilloche.hint': 'Fine interlaced lines that stay unbroken close up, with no pixels or jagged steps',
	'securityFeature.microprint.label': 'Microprint',
	'securityFeature.microprint.hint': 'Tiny text that stays sharp close to the camera; a copy shows a line or a blur',
	'securityFeature.rainbow_print.label': 'Rainbow print',
	'securityFeature.rainbow_print.hint': 'Background colours that blend smoothly into one another, without dots',
	'securityFeature.intaglio_print.label': 'Intaglio (raised) print',
	'securityFeature.intaglio_print.hint': 'Ink that stands out in relief as the document tilts under light',

	'reasonGroup.document': 'Document',
	'reasonGroup.identity': 'Identity',
	'reasonGroup.eligibility': 'Eligibility',
	'reasonGroup.procedure': 'Procedure',
	'reasonGroup.technical': 'Technical',

	// Labels are for agents and the host's audit; advice is what the applicant is told, and stays neutral
	// for fraud-related reasons so it gives no hint on how to get past the check.
	'reason.document_unreadable.label': 'Document unreadable',
	'reason.document_unreadable.advice':
		'We could not read your ID. Try again in good light, holding it still and close to the camera.',
	'reason.document_blurred.label': 'Document blurred',
	'reason.document_blurred.advice':
		'The picture of your ID was blurred. Clean your camera lens and hold the ID still for a few seconds.',
	'reason.document_cropped.label': 'Document cropped (not fully in view)',
	'reason.document_cropped.advice': 'Part of your ID was outside the picture. Make sure all four corners can be seen.',
	'reason.screenshot_or_edited.label': 'Screenshot, copy or edited document',
	'reason.screenshot_or_edited.advice':
		'Only the original physical document is accepted, not a photo, copy, screenshot or edited file.',
	'reason.document_expired.label': 'Document expired',
	'reason.document_expired.advice': 'Your ID has expired. Please try again with a valid document.',
	'reason.document_unsupported.label': 'Document type not supported',
	'reason.document_unsupported.advice':
		'This type of document is not accepted. Please use one of the documents listed by the platform.',
	'reason.language_unsupported.label': 'Language not supported',
	'reason.language_unsupported.advice':
		'We could not complete the check in this language. Please try again in one of the languages offered.',
	'reason.face_mismatch.label': 'Face does not match document',
	'reason.face_mismatch.advice': 'We could not confirm your identity. Please contact support if you think this is a mistake.',
	'reason.underage.label': 'Under the minimum age',
	'reason.underage.advice': 'You must be at least {minAge} years old to use this service.',
	'reason.duplicate_identity.label': 'Identity already used by another account',
	'reason.duplicate_identity.advice': 'We could not complete your verification. Please contact support.',
	'reason.unsupported_region.label': 'Region not supported',
	'reason.unsupported_region.advice': 'This service is not available in your region.',
	'reason.c2c_frozen.label': 'C2C trading frozen by the platform',
	'reason.c2c_frozen.advice': 'C2C trading is frozen on your account. You can verify once the restriction is lifted.',
	'reason.procedure_not_followed.label': 'Procedure not followed',
	'reason.procedure_not_followed.advice': 'The steps of the check were not completed as asked. You can start a new verification.',
	'reason.someone_else_answered.label': 'Someone else answered for the applicant',
	'reason.someone_else_answered.advice':
		'During the check only you may answer. An interpreter may translate, but not answer for you.',
	'reason.connection_too_poor.label': 'Connection too poor',
	'reason.connection_too_poor.advice':
		'Your connection was too weak for a video check. Try again on a stronger Wi-Fi or mobile connection.',
	'reason.applicant_left.label': 'Applicant left the call',
	'reason.applicant_left.advice': 'You left the call before the check was finished. You can start again at any time.',

	'relation.parent': 'Parent',
	'relation.child': 'Son or daughter',
	'relation.spouse_or_partner': 'Spouse or partner',
	'relation.sibling': 'Brother or sister',
	'relation.grandparent': 'Grandparent',
	'relation.grandchild': 'Grandchild',
	'relation.other_relative': 'Other relative',
	'relation.legal_guardian': 'Legal guardian',
	'interpreter.declared': '{name} ({relation})',

	'purpose.c2c_video': 'C2C trading unlock',
	'purpose.identity_reset': 'Identity update after document renewal',
	'purpose.manual_review': 'Manual review',

	'state.created': 'Created',
	'state.waiting': 'Waiting for an agent',
	'state.in_call': 'In call',
	'state.in_review': 'In review',
	'state.approved': 'Approved',
	'state.rejected': 'Rejected',
	'state.escalated': 'Sent to manual review',
	'state.abandoned': 'Left before the call',
	'state.interrupted': 'Call interrupted',
	'state.expired': 'Expired',

	'role.applicant': 'Applicant',
	'role.agent': 'Agent',
	'role.interpreter': 'Interpreter',
	'stepResult.pending': 'Not checked yet',
	'stepResult.passed': 'Passed',
	'stepResult.failed': 'Failed',
	'decision.approve': 'Approve',
	'decision.reject': 'Reject',
	'decision.escalate': 'Escalate to manual review',

	'queue.position': 'You are number {position} in the queue',
	'queue.estimatedWait': 'Estimated wait: about {minutes} min',

	// The consent text, shown in this order; changing any of it means a new CONSENT_VERSION.
	'consent.title': 'Before your video check',
	'consent.intro': 'An agent will check your identity with you in a live video call. It usually takes a few minutes.',
	'consent.whatIsChecked':
		'What is checked: your face, your ID document and its security features, and that you are there in person, for example by reading out a number.',
	'consent.nothingRecorded':
		'Nothing is recorded: no audio, video or image of you or your document is stored, neither by us nor by the agent.',
	'consent.whatIsKept':
		'What is kept: the decision and its reasons, with the time and result of each step, for the records of the platform and its audits.',
	'consent.rightToStop': 'You can stop at any time by leaving the call, and start again later.',
	'consent.accept': 'I agree, start',
	'consent.decline': 'Not now',
	'consent.version': 'Consent version {version}',
};

export type MessageKey = keyof typeof en;
