// The web app's entry: picks the page from the path. Pages that need mediasoup-client load it on
// demand, so the landing page stays small on a phone.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { Home } from './pages/Home.tsx';

const ConnectionCheck = lazy(() => import('./pages/ConnectionCheck.tsx').then((module) => ({ default: module.ConnectionCheck })));

function Page() {
	if (window.location.pathname === '/check') return <ConnectionCheck />;
	return <Home />;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
	<StrictMode>
		<Suspense fallback={<main aria-busy="true">Loading…</main>}>
			<Page />
		</Suspense>
	</StrictMode>,
);
