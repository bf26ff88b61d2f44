// The links handed to participants. The token rides in the URL fragment, which browsers never send
// to a server, so it stays out of access logs, proxies and Referer headers.
export class JoinLinks {
	readonly #baseUrl: () => string;

	/** baseUrl is read per link: with PORT=0 it is only known once the server listens. */
	constructor(baseUrl: () => string) {
		this.#baseUrl = baseUrl;
	}

	/** Applicants and interpreters join on the same page; the token's role decides what it shows. */
	applicant(token: string): string {
		return `${this.#baseUrl()}/join#${token}`;
	}

	interpreter(token: string): string {
		return `${this.#baseUrl()}/join#${token}`;
	}

	agent(token: string): string {
		return `${this.#baseUrl()}/agent#${token}`;
	}
}
