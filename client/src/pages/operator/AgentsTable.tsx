// The agents online anywhere in the deployment, busy ones first with the call each is in.
import type { OperatorAgent } from '@vidverify/shared';
import { useI18n } from '../../i18n/useI18n.ts';
import { agentCounts, formatNumber, sortedAgents } from './figures.ts';
import { OperatorTable } from './OperatorTable.tsx';

export function AgentsTable({ agents }: { agents: readonly OperatorAgent[] }) {
	const { t, locale } = useI18n();
	const counts = agentCounts(agents);
	return (
		<OperatorTable
			id="operator-agents"
			testId="operator-agents"
			title={t('operator.agents.caption', counts)}
			empty={agents.length === 0 ? t('operator.agents.empty') : undefined}
		>
			<thead>
				<tr>
					<th scope="col">{t('operator.agents.name')}</th>
					<th scope="col">{t('operator.agents.id')}</th>
					<th scope="col">{t('operator.agents.state')}</th>
					<th scope="col">{t('operator.agents.call')}</th>
					<th scope="col">{t('operator.agents.connections')}</th>
				</tr>
			</thead>
			<tbody>
				{sortedAgents(agents).map((agent) => (
					<tr key={agent.agentId} data-testid="operator-agent" data-agent-id={agent.agentId} data-state={agent.state}>
						<th scope="row">{agent.displayName}</th>
						<td>
							<code>{agent.agentId}</code>
						</td>
						<td>
							<span className="operator-state" data-state={agent.state}>
								{t(`operator.agents.state.${agent.state}`)}
							</span>
						</td>
						<td>{agent.verificationId ? <code>{agent.verificationId}</code> : t('operator.none')}</td>
						<td>{formatNumber(agent.connections, locale)}</td>
					</tr>
				))}
			</tbody>
		</OperatorTable>
	);
}
