// One table of the operator view: its title as a heading inside the caption (so both heading and table
// navigation find it), in a scrollable region a keyboard can reach and scroll when the table is wider
// than the screen; or, with no rows, the title and a sentence saying so.
import type { ReactNode } from 'react';

export function OperatorTable(props: {
	id: string;
	title: string;
	empty: string | undefined;
	testId: string;
	children: ReactNode;
}) {
	const headingId = `${props.id}-title`;
	if (props.empty !== undefined) {
		return (
			<section className="operator-section" data-testid={props.testId} data-empty="true">
				<h2 id={headingId}>{props.title}</h2>
				<p className="hint">{props.empty}</p>
			</section>
		);
	}
	return (
		<div className="operator-section" data-testid={props.testId}>
			{/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to be scrolled */}
			<section className="operator-table" aria-labelledby={headingId} tabIndex={0}>
				<table>
					<caption>
						<h2 id={headingId}>{props.title}</h2>
					</caption>
					{props.children}
				</table>
			</section>
		</div>
	);
}
