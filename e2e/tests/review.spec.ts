// Four-eyes review in Chromium: the agent fails the face step and escalates; the call ends for the
// applicant and frees the agent. The same agent, signed in with a reviewer's link, finds the case in
// the review queue marked as its own call and is refused it, in words it can act on. Another
// reviewer sees it arrive live, opens its recorded evidence (the failed step and its note, the
// agent's note, what the record supports), is refused a reason only a person saw without a note of
// its own, then rejects with the face mismatch the record supports. The host receives both webhooks,
// signed: in review, then decided, whose outcome carries both decisions.
import { expect, test } from '@playwright/test';
import { agentLink, createVerification, webhooksFor } from '../support/hostApi.ts';
import { agentAccepts, agentGoesAvailable, decide, joinThroughDeviceCheck, participant } from '../support/journey.ts';

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires the fixtures argument to be a destructuring pattern
test('an escalated call is decided by another reviewer from its evidence, never by its own agent, and the host gets both decisions', async ({}) => {
	test.setTimeout(180_000);
	const applicant = await participant('applicant');
	const agent = await participant('agent');
	const reviewer = await participant('interpreter');
	try {
		const created = await createVerification({ purpose: 'c2c_video' });
		const agentId = `e2e-review-agent-${Date.now()}`;
		const { agentUrl } = await agentLink({ agentId, displayName: 'Ana Agent' });
		await agentGoesAvailable(agent.page, agentUrl);

		// The reviewer's console is open before the escalation: the case must arrive live.
		const { agentUrl: reviewerUrl } = await agentLink({
			agentId: `e2e-reviewer-${Date.now()}`,
			displayName: 'Rui Reviewer',
			permissions: ['review'],
		});
		await reviewer.page.goto(reviewerUrl);
		await reviewer.page.getByTestId('view-review').click();
		await expect(reviewer.page.getByTestId('view-review')).toHaveAttribute('aria-pressed', 'true');
		await expect(reviewer.page.getByTestId('review-view')).toBeVisible();
		const row = reviewer.page.locator(`[data-testid="review-row"][data-verification-id="${created.id}"]`);
		await expect(row).toHaveCount(0);

		await joinThroughDeviceCheck(applicant.page, created.applicantUrl);
		await agentAccepts(agent.page, created.id);
		await expect(applicant.page.getByTestId('call-screen')).toBeVisible();
		await agent.page.getByTestId('prompt-face').click();
		await agent.page.getByTestId('note-face').fill('the face is in shadow and does not match the photo');
		await agent.page.getByTestId('fail-face').click();
		await expect(agent.page.getByTestId('step-face')).toHaveAttribute('data-status', 'failed');
		await decide(agent.page, { escalate: 'Please take a second look at the face.' });
		await expect(agent.page.getByTestId('last-result')).toHaveAttribute('data-state', 'in_review');
		await expect(agent.page.getByTestId('last-result')).toContainText('In review');
		await expect(applicant.page.getByTestId('end-screen')).toBeVisible();
		await expect(applicant.page.getByTestId('end-screen')).toContainText('Your check needs a further review');

		// The call's own agent with a reviewer's link: its own case is marked, and opening it is refused.
		const { agentUrl: ownReviewerUrl } = await agentLink({ agentId, displayName: 'Ana Agent', permissions: ['review'] });
		const own = await agent.context.newPage();
		await own.goto(ownReviewerUrl);
		await own.getByTestId('view-review').click();
		const ownRow = own.locator(`[data-testid="review-row"][data-verification-id="${created.id}"]`);
		await expect(ownRow).toHaveAttribute('data-own-call', 'true');
		await expect(ownRow).toContainText('You took this call: another reviewer must decide it.');
		await ownRow.getByTestId('review-open').click();
		const refused = own.getByTestId('review-case-error');
		await expect(refused).toHaveAttribute('data-reason', 'reviewOwnCall');
		await expect(refused).toContainText('You were the agent in this call, so another reviewer must decide it.');
		await own.close();

		// The other reviewer: the case arrived without a reload; its evidence, by keyboard.
		await expect(row).toBeVisible();
		await expect(row).toHaveAttribute('data-own-call', 'false');
		await expect(row).toContainText('Escalated by the agent');
		await expect(row).toContainText('Ana Agent');
		await row.getByTestId('review-open').focus();
		await reviewer.page.keyboard.press('Enter');
		const evidence = reviewer.page.getByTestId('review-case');
		await expect(evidence).toHaveAttribute('data-verification-id', created.id);
		await expect(reviewer.page.getByTestId('review-agent-note')).toContainText('Please take a second look at the face.');
		await expect(reviewer.page.getByTestId('review-step-face')).toHaveAttribute('data-status', 'failed');
		await expect(reviewer.page.getByTestId('review-step-face')).toContainText(
			'the face is in shadow and does not match the photo',
		);
		await expect(reviewer.page.getByTestId('review-supported')).toContainText('Face does not match');

		await reviewer.page.getByTestId('review-decision-reject').check();
		await reviewer.page.getByTestId('review-reason-procedure_not_followed').check();
		await reviewer.page.getByTestId('review-confirm').click();
		const refusal = reviewer.page.getByTestId('review-refused');
		await expect(refusal).toHaveAttribute('data-reason', 'reasonsNeedNote');
		await expect(refusal).toContainText('Write in the note what you saw');

		await reviewer.page.getByTestId('review-reason-procedure_not_followed').uncheck();
		await reviewer.page.getByTestId('review-reason-face_mismatch').check();
		await reviewer.page.getByTestId('review-note').fill('The failed face step and its note agree: not the same person.');
		await reviewer.page.getByTestId('review-confirm').click();
		const result = reviewer.page.getByTestId('review-result');
		await expect(result).toHaveAttribute('data-state', 'rejected');
		await expect(result).toContainText(`Verification ${created.id} is Rejected`);
		await expect(row).toHaveCount(0);

		// The host: told it entered review, then the final outcome with both decisions, both signed.
		await expect
			.poll(
				() =>
					webhooksFor(created.id)
						.map((webhook) => webhook.type)
						.sort(),
				{ timeout: 30_000 },
			)
			.toEqual(['verification.decided', 'verification.in_review']);
		const webhooks = webhooksFor(created.id);
		expect(webhooks.every((webhook) => webhook.signatureValid)).toBe(true);
		const decided = webhooks.find((webhook) => webhook.type === 'verification.decided');
		expect(decided?.body).toMatchObject({
			payload: {
				outcome: {
					state: 'rejected',
					reasonCodes: ['face_mismatch'],
					decidedBy: { displayName: 'Rui Reviewer' },
					review: {
						agent: { decision: 'escalate', note: 'Please take a second look at the face.', by: { agentId } },
						reviewer: { decision: 'reject', reasonCodes: ['face_mismatch'], by: { displayName: 'Rui Reviewer' } },
					},
				},
			},
		});
	} finally {
		await applicant.close();
		await agent.close();
		await reviewer.close();
	}
});
