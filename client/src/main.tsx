// The web app's entry: picks the flow from the path. The applicant and interpreter open /join#token,
// agents /agent#token; /check is the connection check, /operator the operator view. Flows that need
// mediasoup-client load it on demand, so the landing page stays small on a phone.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { i18n } from './i18n/i18n.ts';
import { Home } from './pages/Home.tsx';

const AgentConsole = lazy(() => import('./pages/agent/AgentConsole.tsx').then((module) => ({ default: module.AgentConsole })));
const ConnectionCheck = lazy(() => import('./pages/ConnectionCheck.tsx').then((module) => ({ default: module.ConnectionCheck })));
const OperatorPage = lazy(() => import('./pages/operator/OperatorPage.tsx').then((module) => ({ default: module.OperatorPage })));
const JoinPage = lazy(() => import('./pages/participant/JoinPage.tsx').then((module) => ({ default: module.JoinPage })));

function Page() {
	const path = window.location.pathname;
	if (path === '/check') return <ConnectionCheck />;
	if (path === '/agent') return <AgentConsole />;
	if (path === '/join') return <JoinPage />;
	if (path === '/operator') return <OperatorPage />;
	return <Home />;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
	<StrictMode>
		<I18nextProvider i18n={i18n}>
			<Suspense fallback={<main aria-busy="true">…</main>}>
				<Page />
			</Suspense>
		</I18nextProvider>
	</StrictMode>,
);
