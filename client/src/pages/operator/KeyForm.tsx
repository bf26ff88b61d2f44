// Where the operator enters the operator key. It goes to the server in a header only, never into the
// address (a query or fragment lands in history, logs and screenshots) nor into storage: a reload asks
// for it again. After a refusal the field takes focus again, with the reason read out.
import { type FormEvent, useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';

export type KeyRefusal = 'refused' | 'absent';

export function KeyForm({ refusal, onKey }: { refusal: KeyRefusal | undefined; onKey: (key: string) => void }) {
	const { t } = useI18n();
	const input = useRef<HTMLInputElement>(null);

	useEffect(() => {
		if (refusal) input.current?.focus();
	}, [refusal]);

	function submit(event: FormEvent) {
		event.preventDefault();
		const key = input.current?.value.trim();
		if (key) onKey(key);
	}

	return (
		<form className="operator-key" onSubmit={submit} data-testid="operator-key-form">
			<p>{t('operator.intro')}</p>
			{refusal ? (
				<p className="status" data-tone="error" role="alert" data-testid="operator-refusal" data-refusal={refusal}>
					{t(refusal === 'refused' ? 'operator.key.refused' : 'operator.key.absent')}
				</p>
			) : null}
			<label htmlFor="operator-key">{t('operator.key.label')}</label>
			<div className="operator-key-row">
				<input
					ref={input}
					id="operator-key"
					type="password"
					autoComplete="off"
					spellCheck={false}
					required
					aria-describedby="operator-key-hint"
					aria-invalid={refusal === 'refused' ? true : undefined}
				/>
				<button type="submit">{t('operator.key.open')}</button>
			</div>
			<p id="operator-key-hint" className="hint">
				{t('operator.key.hint')}
			</p>
		</form>
	);
}
