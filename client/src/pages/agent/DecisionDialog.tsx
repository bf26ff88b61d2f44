// The decision: approve (only when every required step passed and none failed, and the dialog says
// which stand in the way), reject with one or more reason codes — first those the call's failed steps
// and checks propose, each with what it rests on, then the rest grouped as the catalogue groups them —
// or escalate to manual review with a note. The server refuses reasons nothing supports; its refusal
// is shown here, translated, for the agent to act on. A modal <dialog>: the rest of the page is inert while it is open, Escape closes
// it, and focus returns to the button that opened it.
import {
	type DecisionEvidence,
	type DocumentCheckView,
	isNoteExplained,
	preselectedReasons,
	proposedReasons,
	REASON_CODE_INFO,
	REASON_GROUP_LABEL_KEYS,
	type ReasonCode,
	type ReasonSource,
	type StepView,
	type VerificationSnapshot,
} from '@vidverify/shared';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import { reasonOf } from '../../signalling/request.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';
import {
	approvalBlockers,
	type DecisionChoice,
	type DecisionProblem,
	decisionPayload,
	NOTE_MAX_LENGTH,
	reasonCodesByGroup,
	recordableDocuments,
} from './decision.ts';

type Props = {
	open: boolean;
	onClose: () => void;
	client: VerificationClient;
	checklist: readonly StepView[];
	/** The call's duplicate checks: an approval says which one's document is the applicant's own. */
	documentChecks: readonly DocumentCheckView[] | null;
	/** What the call recorded: the reasons it supports are proposed, those with one cause ticked in advance. */
	evidence: DecisionEvidence;
	onDecided: (snapshot: VerificationSnapshot, note: string | undefined) => void;
};

const CHOICES: DecisionChoice[] = ['approve', 'reject', 'escalate'];

const FOCUSABLE =
	'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog already makes the page behind it inert, but Tab from its last control would leave
 * for the browser's own toolbar; wrapping keeps keyboard users inside until they close it.
 */
/** One reason code to tick, with what it rests on (or what it would need) after its label. */
function ReasonChoice(props: {
	code: ReasonCode;
	checked: boolean;
	onToggle: (code: ReasonCode, checked: boolean) => void;
	hint: string;
	supported?: boolean;
	testId?: string;
}) {
	const { tm } = useI18n();
	return (
		<label className="agent-choice" data-supported={props.supported === false ? 'false' : undefined} data-testid={props.testId}>
			<input
				type="checkbox"
				checked={props.checked}
				onChange={(event) => props.onToggle(props.code, event.target.checked)}
				data-testid={`reason-${props.code}`}
			/>
			{tm(REASON_CODE_INFO[props.code].labelKey)}
			<span className="hint"> — {props.hint}</span>
		</label>
	);
}

function keepTabInside(event: KeyboardEvent<HTMLDialogElement>): void {
	if (event.key !== 'Tab') return;
	// Radio buttons of one group are a single tab stop: count only the checked one (or the first).
	const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
		(element) =>
			!(
				element instanceof HTMLInputElement &&
				element.type === 'radio' &&
				!element.checked &&
				element.form?.querySelector(`input[name="${element.name}"]:checked`)
			),
	);
	const first = controls[0];
	const last = controls.at(-1);
	if (!first || !last) return;
	if (event.shiftKey && document.activeElement === first) {
		event.preventDefault();
		last.focus();
	} else if (!event.shiftKey && document.activeElement === last) {
		event.preventDefault();
		first.focus();
	}
}

export function DecisionDialog(props: Props) {
	const dialog = useRef<HTMLDialogElement>(null);
	const { open, onClose } = props;

	useEffect(() => {
		const element = dialog.current;
		if (!element) return;
		if (open && !element.open) element.showModal();
		if (!open && element.open) element.close();
	}, [open]);

	return (
		<dialog
			ref={dialog}
			className="agent-dialog"
			aria-labelledby="agent-decision-title"
			data-testid="decision-dialog"
			onClose={onClose}
			onKeyDown={keepTabInside}
		>
			{/* A fresh form on every opening, so nothing of an abandoned attempt is sent later. */}
			{open ? <DecisionForm {...props} /> : null}
		</dialog>
	);
}

function DecisionForm({ onClose, client, checklist, documentChecks, evidence, onDecided }: Props) {
	const { t, tm, describeError } = useI18n();
	const [choice, setChoice] = useState<DecisionChoice | undefined>();
	const [reasonCodes, setReasonCodes] = useState<ReasonCode[]>(() => preselectedReasons(evidence));
	const proposed = proposedReasons(evidence);
	const sourceText = (source: ReasonSource) =>
		'step' in source
			? t('agent.decide.source.step', { step: t(`agent.step.title.${source.step}`) })
			: t(`agent.decide.source.${source.check}`);
	const [note, setNote] = useState('');
	const [applicantDocument, setApplicantDocument] = useState<number | 'none' | undefined>();
	const recordable = recordableDocuments(documentChecks);
	const [problem, setProblem] = useState<DecisionProblem | undefined>();
	const [failure, setFailure] = useState<{ text: string; reason: string } | undefined>();
	const [busy, setBusy] = useState(false);
	const missing = approvalBlockers(checklist);
	const stepNames = missing.map((step) => t(`agent.step.title.${step.id}`)).join(', ');

	function toggleReason(code: ReasonCode, checked: boolean) {
		setReasonCodes((previous) => (checked ? [...previous, code] : previous.filter((existing) => existing !== code)));
		setProblem(undefined);
		setFailure(undefined);
	}

	async function confirm(event: FormEvent) {
		event.preventDefault();
		const result = decisionPayload({ choice, reasonCodes, note, applicantDocument }, checklist, documentChecks);
		if ('problem' in result) {
			setProblem(result.problem);
			return;
		}
		setBusy(true);
		setFailure(undefined);
		try {
			const snapshot = await client.request('decide', result.payload);
			onDecided(snapshot, 'note' in result.payload ? result.payload.note : undefined);
		} catch (error) {
			setFailure({ text: t('agent.decide.failed', { reason: describeError(error) }), reason: reasonOf(error).reason });
			setBusy(false);
		}
	}

	return (
		<form onSubmit={(event) => void confirm(event)} noValidate>
			<h2 id="agent-decision-title">{t('agent.decide.title')}</h2>
			<fieldset className="agent-choices">
				<legend>{t('agent.decide.choice')}</legend>
				{CHOICES.map((option) => (
					<label key={option} className="agent-choice" data-disabled={option === 'approve' && missing.length > 0}>
						<input
							type="radio"
							name="decision"
							value={option}
							checked={choice === option}
							disabled={option === 'approve' && missing.length > 0}
							onChange={() => {
								setChoice(option);
								setProblem(undefined);
							}}
							data-testid={`decision-${option}`}
							aria-describedby={option === 'approve' ? 'agent-approve-state' : undefined}
						/>
						{tm(`decision.${option}`)}
					</label>
				))}
				<p
					id="agent-approve-state"
					className={missing.length > 0 ? 'agent-warning' : 'hint'}
					data-testid="decision-approve-state"
				>
					{missing.length > 0 ? t('agent.decide.approveBlocked', { steps: stepNames }) : t('agent.decide.approveReady')}
				</p>
			</fieldset>
			{choice === 'approve' && recordable.length > 0 ? (
				<fieldset className="agent-choices" data-testid="decision-documents" aria-describedby="agent-document-choice-hint">
					<legend>{t('agent.decide.document.legend')}</legend>
					<p id="agent-document-choice-hint" className="hint">
						{t('agent.decide.document.hint')}
					</p>
					{[...recordable.map((check) => check.check), 'none' as const].map((option) => (
						<label key={option} className="agent-choice">
							<input
								type="radio"
								name="applicant-document"
								value={option}
								checked={applicantDocument === option}
								onChange={() => {
									setApplicantDocument(option);
									setProblem(undefined);
								}}
								data-testid={`decision-document-${option}`}
							/>
							{option === 'none'
								? t('agent.decide.document.none')
								: t('agent.decide.document.option', {
										check: option,
										type: t(`agent.document.type.${recordable.find((check) => check.check === option)?.documentType ?? 'other'}`),
									})}
						</label>
					))}
				</fieldset>
			) : null}
			{choice === 'reject' ? (
				<fieldset className="agent-reasons">
					<legend>{t('agent.decide.reasons')}</legend>
					{proposed.length > 0 ? (
						<fieldset className="agent-reason-group" data-testid="decision-proposed">
							<legend>{t('agent.decide.proposed')}</legend>
							{proposed.map(({ code, sources }) => (
								<ReasonChoice
									key={code}
									code={code}
									checked={reasonCodes.includes(code)}
									onToggle={toggleReason}
									hint={sources.map(sourceText).join(t('error.listSeparator'))}
									testId={`proposed-${code}`}
								/>
							))}
						</fieldset>
					) : (
						<p className="hint" data-testid="decision-proposed-none">
							{t('agent.decide.proposedNone')}
						</p>
					)}
					{reasonCodesByGroup(proposed.map((entry) => entry.code)).map(({ group, codes }) => (
						<fieldset key={group} className="agent-reason-group">
							<legend>{tm(REASON_GROUP_LABEL_KEYS[group])}</legend>
							{codes.map((code) => (
								<ReasonChoice
									key={code}
									code={code}
									checked={reasonCodes.includes(code)}
									onToggle={toggleReason}
									hint={isNoteExplained(code) ? t('agent.decide.needsNote') : t('agent.decide.needsStep')}
									supported={false}
								/>
							))}
						</fieldset>
					))}
				</fieldset>
			) : null}
			{choice === 'reject' || choice === 'escalate' ? (
				<label className="agent-note">
					<span>{choice === 'escalate' ? t('agent.decide.noteRequired') : t('agent.decide.noteOptional')}</span>
					<textarea
						value={note}
						onChange={(event) => {
							setNote(event.target.value);
							setProblem(undefined);
							setFailure(undefined);
						}}
						rows={3}
						maxLength={NOTE_MAX_LENGTH}
						required={choice === 'escalate'}
						aria-required={choice === 'escalate'}
						data-testid="decision-note"
					/>
				</label>
			) : null}
			{problem ? (
				<p className="status" data-tone="error" role="alert" data-testid="decision-problem">
					{t(`agent.decide.problem.${problem}`)}
				</p>
			) : null}
			{failure ? (
				<p className="status" data-tone="error" role="alert" data-testid="decision-failure" data-reason={failure.reason}>
					{failure.text}
				</p>
			) : null}
			<div className="agent-dialog-actions">
				<button type="button" className="agent-secondary" onClick={onClose} disabled={busy} data-testid="decision-cancel">
					{t('agent.decide.cancel')}
				</button>
				<button type="submit" disabled={busy} data-testid="decision-confirm" data-choice={choice}>
					{busy ? t('agent.decide.sending') : choice ? t(`agent.decide.confirm.${choice}`) : t('agent.decide.confirm.none')}
				</button>
			</div>
		</form>
	);
}
