// A question before an action that cannot be undone (leaving the queue or the call). A native modal
// <dialog>: it keeps focus inside, Escape cancels, and focus returns to the button that opened it.
import { useEffect, useRef } from 'react';

export function ConfirmDialog({
	open,
	title,
	body,
	confirmLabel,
	cancelLabel,
	onConfirm,
	onCancel,
}: {
	open: boolean;
	title: string;
	body: string;
	confirmLabel: string;
	cancelLabel: string;
	onConfirm: () => void;
	onCancel: () => void;
}) {
	const dialog = useRef<HTMLDialogElement>(null);
	const cancel = useRef<HTMLButtonElement>(null);
	useEffect(() => {
		const element = dialog.current;
		if (!element) return;
		if (open && !element.open) {
			element.showModal();
			// The safe answer takes focus, so a stray Enter does not end the call.
			cancel.current?.focus();
		}
		if (!open && element.open) element.close();
	}, [open]);
	return (
		<dialog
			ref={dialog}
			className="applicant-dialog"
			aria-labelledby="confirm-title"
			onCancel={onCancel}
			data-testid="confirm-dialog"
		>
			<h2 id="confirm-title">{title}</h2>
			<p>{body}</p>
			<div className="applicant-actions">
				<button type="button" className="applicant-danger" onClick={onConfirm} data-testid="confirm-yes">
					{confirmLabel}
				</button>
				<button type="button" className="applicant-secondary" onClick={onCancel} data-testid="confirm-no" ref={cancel}>
					{cancelLabel}
				</button>
			</div>
		</dialog>
	);
}
