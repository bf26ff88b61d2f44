// One real server for the browser journeys; tests find it through VIDVERIFY_E2E_URL.
import { startServer } from '../../server/test/support/serverProcess.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
	const server = await startServer();
	process.env.VIDVERIFY_E2E_URL = server.url;
	return server.stop;
}
