// The landing page: what this service is, and where each kind of visitor goes.
export function Home() {
	return (
		<main>
			<h1>vidverify</h1>
			<p>
				Identity verification by live video call. If your platform sent you a link, open that link to join your call. Before a
				call you can check that video calls work from this device.
			</p>
			<p>
				<a href="/check">Check my camera and connection</a>
			</p>
		</main>
	);
}
