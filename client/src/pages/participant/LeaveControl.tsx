// Leaving (the queue or the call) behind a confirmation, with the server's refusal shown if leaving
// fails; used by the waiting room and both call screens.
import { useState } from 'react';
import type { UiKey } from '../../i18n/resources.ts';
import { useI18n } from '../../i18n/useI18n.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

export type LeaveTexts = { button: UiKey; title: UiKey; body: UiKey; yes: UiKey; no: UiKey };

export function LeaveControl({ texts, testId, onLeave }: { texts: LeaveTexts; testId: string; onLeave: () => Promise<void> }) {
	const { t, describeError } = useI18n();
	const [confirming, setConfirming] = useState(false);
	const [error, setError] = useState<string | undefined>();

	async function leave() {
		setConfirming(false);
		try {
			await onLeave();
		} catch (caught) {
			setError(t('error.generic', { reason: describeError(caught) }));
		}
	}

	return (
		<>
			<button type="button" className="applicant-danger" onClick={() => setConfirming(true)} data-testid={testId}>
				{t(texts.button)}
			</button>
			{error ? (
				<p className="status" data-tone="error" role="alert">
					{error}
				</p>
			) : null}
			<ConfirmDialog
				open={confirming}
				title={t(texts.title)}
				body={t(texts.body)}
				confirmLabel={t(texts.yes)}
				cancelLabel={t(texts.no)}
				onConfirm={() => void leave()}
				onCancel={() => setConfirming(false)}
			/>
		</>
	);
}
