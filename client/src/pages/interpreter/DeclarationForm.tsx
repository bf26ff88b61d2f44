// The interpreter states who they are and how they are related to the applicant, when the agent
// prompts that step; they also say it on camera, and the agent compares the two.
import { RELATION_LABEL_KEYS, RELATIONS, type Relation, type VerificationSnapshot } from '@vidverify/shared';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';
import type { VerificationClient } from '../../signalling/VerificationClient.ts';

export function DeclarationForm({ snapshot, client }: { snapshot: VerificationSnapshot; client: VerificationClient }) {
	const { t, tm, describeError } = useI18n();
	const declared = snapshot.interpreter?.declaration ?? null;
	const [fullName, setFullName] = useState(declared?.fullName ?? '');
	const [relation, setRelation] = useState<Relation | ''>(declared?.relation ?? '');
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const nameValid = fullName.trim().length >= 2;

	async function submit(event: FormEvent) {
		event.preventDefault();
		if (!nameValid || relation === '') {
			setError(t('declare.incomplete'));
			return;
		}
		setBusy(true);
		setError(undefined);
		try {
			await client.request('declareInterpreter', { fullName: fullName.trim(), relation });
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
		} finally {
			setBusy(false);
		}
	}

	return (
		<section className="applicant-declare" aria-labelledby="declare-title" data-testid="declaration">
			<h2 id="declare-title">{t('declare.title')}</h2>
			<p>{t('declare.explain')}</p>
			<form onSubmit={(event) => void submit(event)} noValidate>
				<label htmlFor="declare-name">
					<span>{t('declare.name')}</span>
				</label>
				<input
					id="declare-name"
					value={fullName}
					onChange={(event) => setFullName(event.target.value)}
					autoComplete="name"
					maxLength={200}
					required
					aria-invalid={error !== undefined && !nameValid}
					data-testid="declare-name"
				/>
				<label htmlFor="declare-relation">
					<span>{t('declare.relation')}</span>
				</label>
				<select
					id="declare-relation"
					value={relation}
					onChange={(event) => setRelation(event.target.value as Relation | '')}
					required
					aria-invalid={error !== undefined && relation === ''}
					data-testid="declare-relation"
				>
					<option value="">{t('declare.relationChoose')}</option>
					{RELATIONS.map((option) => (
						<option key={option} value={option}>
							{tm(RELATION_LABEL_KEYS[option])}
						</option>
					))}
				</select>
				<div className="applicant-actions">
					<button type="submit" disabled={busy} data-testid="declare-submit">
						{declared ? t('declare.update') : t('declare.submit')}
					</button>
				</div>
			</form>
			<div role="status" aria-live="polite">
				{declared ? (
					<p className="status" data-tone="ok" data-testid="declare-done">
						{t('declare.done', {
							declaration: tm('interpreter.declared', {
								name: declared.fullName,
								relation: tm(RELATION_LABEL_KEYS[declared.relation]),
							}),
						})}
					</p>
				) : null}
			</div>
			{error ? (
				<p className="status" data-tone="error" role="alert" data-testid="declare-error">
					{error}
				</p>
			) : null}
		</section>
	);
}
