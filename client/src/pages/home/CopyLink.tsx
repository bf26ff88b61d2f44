// One link of a demo verification: its name, what to do there, the link itself in a read-only field
// (so it can be selected by hand), and a button that copies it.
import { useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/useI18n.ts';

export function CopyLink({ label, steps, url, testId }: { label: string; steps: string; url: string; testId: string }) {
	const { t } = useI18n();
	const id = useId();
	const field = useRef<HTMLInputElement>(null);
	const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

	async function copyLink() {
		try {
			await navigator.clipboard.writeText(url);
			setCopy('copied');
		} catch {
			// Clipboard access needs a secure page and the browser's leave; without them the person still
			// has the link, selected and ready for Ctrl+C.
			field.current?.select();
			setCopy('failed');
		}
	}

	return (
		<div className="home-link" data-testid={testId}>
			<label htmlFor={`${id}-url`} className="home-link-label">
				{label}
			</label>
			<p className="hint" id={`${id}-steps`}>
				{steps}
			</p>
			<div className="home-link-row">
				<input
					ref={field}
					id={`${id}-url`}
					type="text"
					readOnly
					value={url}
					aria-describedby={`${id}-steps`}
					onFocus={(event) => event.currentTarget.select()}
					data-testid={`${testId}-url`}
				/>
				<button type="button" onClick={() => void copyLink()} data-testid={`${testId}-copy`}>
					{t('home.try.copy')}
					<span className="visually-hidden"> {label}</span>
				</button>
			</div>
			<p role="status" className="home-link-status" data-tone={copy}>
				{copy === 'copied' ? t('home.try.copied', { link: label }) : copy === 'failed' ? t('home.try.copyFailed') : ''}
			</p>
		</div>
	);
}
