// The h1 of a screen in the join flow. When the flow moves to another screen (consent, device check,
// waiting room, call, end), focus goes to the new heading, so keyboard and screen reader users start
// at the top of what changed instead of on a button that is gone. The first screen of a page load is
// left alone: the browser already starts reading at the top.
import { type ReactNode, useEffect, useRef } from 'react';

let screensShown = 0;

export function ScreenHeading({ children, testId }: { children: ReactNode; testId?: string }) {
	const heading = useRef<HTMLHeadingElement>(null);
	useEffect(() => {
		screensShown += 1;
		if (screensShown > 1) heading.current?.focus();
	}, []);
	return (
		<h1 ref={heading} tabIndex={-1} className="applicant-heading" data-testid={testId}>
			{children}
		</h1>
	);
}
