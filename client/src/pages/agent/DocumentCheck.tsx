// The duplicate check: the agent types the document number read on camera, the server compares a keyed
// hash of it with the documents of approved verifications, and the answer is shown plainly. The number
// leaves the field the moment it is sent, so it is never kept in the page, whatever the answer. Each
// check is numbered; the list of them (type and answer only, and the MRZ verdicts of a number the MRZ
// reader read) is what the decision names as the applicant's own document.
import { DOCUMENT_TYPES, type DocumentCheckView, type DocumentType, type MrzVerdicts } from '@vidverify/shared';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

type Result = { kind: 'clear' | 'duplicate'; type: DocumentType } | { kind: 'failed'; reason: string };

type Props = {
	client: VerificationClient;
	/** The checks of this call so far, from the snapshot. */
	checks: readonly DocumentCheckView[];
	onChecked: (check: DocumentCheckView) => void;
};

export function DocumentCheck({ client, checks, onChecked }: Props) {
	const { t, describeError } = useI18n();
	const [documentType, setDocumentType] = useState<DocumentType>('national_id');
	const [number, setNumber] = useState('');
	const [busy, setBusy] = useState(false);
	const [result, setResult] = useState<Result | undefined>();

	async function check(event: FormEvent) {
		event.preventDefault();
		const documentNumber = number.trim();
		if (!documentNumber) return;
		setNumber('');
		setBusy(true);
		setResult(undefined);
		try {
			const { duplicate, check } = await client.request('checkDocument', { documentType, documentNumber });
			onChecked(check);
			setResult({ kind: duplicate ? 'duplicate' : 'clear', type: documentType });
		} catch (error) {
			setResult({ kind: 'failed', reason: describeError(error) });
		} finally {
			setBusy(false);
		}
	}

	const typeLabel = (type: DocumentType) => t(`agent.document.type.${type}`);
	// A check whose number the MRZ reader read carries its verdicts, never the fields.
	const mrzSummary = (mrz: MrzVerdicts) =>
		[
			t(mrz.checkDigits === 'valid' ? 'agent.mrz.entry.digitsHold' : 'agent.mrz.entry.digitsFail'),
			t(mrz.expired ? 'agent.mrz.entry.expired' : 'agent.mrz.entry.notExpired'),
			t(
				mrz.matchesDeclaration === null
					? 'agent.mrz.entry.nothingDeclared'
					: mrz.matchesDeclaration
						? 'agent.mrz.entry.matches'
						: 'agent.mrz.entry.differs',
			),
		].join(', ');

	return (
		<section className="agent-panel" aria-labelledby="agent-document-title" data-testid="document-check">
			<h2 id="agent-document-title">{t('agent.document.title')}</h2>
			<p className="hint">{t('agent.document.intro')}</p>
			<form className="agent-document-form" onSubmit={(event) => void check(event)}>
				<label>
					<span>{t('agent.document.type')}</span>
					<select
						value={documentType}
						onChange={(event) => setDocumentType(event.target.value as DocumentType)}
						data-testid="document-type"
					>
						{DOCUMENT_TYPES.map((type) => (
							<option key={type} value={type}>
								{typeLabel(type)}
							</option>
						))}
					</select>
				</label>
				<label>
					<span>{t('agent.document.number')}</span>
					<input
						value={number}
						onChange={(event) => setNumber(event.target.value)}
						autoComplete="off"
						spellCheck={false}
						autoCapitalize="characters"
						maxLength={64}
						data-testid="document-number"
					/>
				</label>
				<button type="submit" disabled={busy || number.trim() === ''} data-testid="document-check-submit">
					{busy ? t('agent.document.checking') : t('agent.document.check')}
				</button>
			</form>
			<div aria-live="polite" data-testid="document-check-result" data-result={result?.kind}>
				{result?.kind === 'clear' ? (
					<p className="status" data-tone="ok">
						{t('agent.document.clear', { type: typeLabel(result.type) })}
					</p>
				) : result?.kind === 'duplicate' ? (
					<p className="status" data-tone="error" role="alert">
						{t('agent.document.duplicate', { type: typeLabel(result.type) })}
					</p>
				) : result?.kind === 'failed' ? (
					<p className="status" data-tone="error">
						{t('agent.document.failed', { reason: result.reason })}
					</p>
				) : null}
			</div>
			{checks.length > 0 ? (
				<>
					<h3 id="agent-document-history">{t('agent.document.history')}</h3>
					<ol className="agent-document-history" aria-labelledby="agent-document-history" data-testid="document-history">
						{checks.map((check) => (
							<li key={check.check} data-duplicate={check.duplicate} data-mrz={check.mrz ? check.mrz.checkDigits : undefined}>
								{t(check.duplicate ? 'agent.document.entry.duplicate' : 'agent.document.entry.clear', {
									check: check.check,
									type: typeLabel(check.documentType),
								})}
								{check.mrz ? ` · ${mrzSummary(check.mrz)}` : null}
							</li>
						))}
					</ol>
				</>
			) : null}
		</section>
	);
}
