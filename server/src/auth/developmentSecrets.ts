// Development mode's secrets: generated once, kept in DATA_DIR/dev-secrets.json (mode 0600) so a
// restart keeps the same API key and the tokens and signatures already handed out stay valid.
// Production never comes here: there a missing secret is a configuration error. A file written before
// the operator key existed gets one added, so an existing development setup has the operator view too.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const DEVELOPMENT_SECRETS_FILE = 'dev-secrets.json';

const secretsFileSchema = z.object({
	apiKey: z.string().min(16),
	jwtSecret: z.string().min(32),
	webhookSecret: z.string().min(32),
	documentHashSecret: z.string().min(32),
	outcomeSigningKey: z.string().includes('PRIVATE KEY'),
	operatorKey: z.string().min(32).optional(),
});

export type DevelopmentSecrets = Required<z.infer<typeof secretsFileSchema>>;

const secret = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

function generate(): DevelopmentSecrets {
	const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	return {
		apiKey: secret('vvk_dev'),
		jwtSecret: secret('jwt_dev'),
		webhookSecret: secret('whsec_dev'),
		documentHashSecret: secret('doc_dev'),
		outcomeSigningKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		operatorKey: secret('vvo_dev'),
	};
}

const serialise = (secrets: DevelopmentSecrets) => `${JSON.stringify(secrets, null, '\t')}\n`;

/** Reads the development secrets of dataDir, creating the file on first use. */
export function loadOrCreateDevelopmentSecrets(dataDir: string): {
	secrets: DevelopmentSecrets;
	file: string;
	created: boolean;
} {
	const file = path.join(dataDir, DEVELOPMENT_SECRETS_FILE);
	let text: string | undefined;
	try {
		text = fs.readFileSync(file, 'utf8');
		// A file copied or restored with looser permissions is made the owner's alone again.
		if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	if (text !== undefined) {
		const parsed = secretsFileSchema.safeParse(JSON.parse(text));
		if (!parsed.success) {
			throw new Error(`${file} is not a valid development secrets file; delete it to generate new secrets`);
		}
		const { operatorKey, ...others } = parsed.data;
		if (operatorKey !== undefined) return { secrets: { ...others, operatorKey }, file, created: false };
		const secrets = { ...others, operatorKey: secret('vvo_dev') };
		// Written beside and renamed over, so that a reader never sees half a file. (Two processes adding
		// one at the same moment may each keep their own until a restart: development only.)
		const next = `${file}.${process.pid}.tmp`;
		fs.writeFileSync(next, serialise(secrets), { mode: 0o600 });
		fs.renameSync(next, file);
		return { secrets, file, created: false };
	}
	const secrets = generate();
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	try {
		// 'wx' refuses to overwrite a file another process created meanwhile; mode applies on creation.
		fs.writeFileSync(file, serialise(secrets), { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevelopmentSecrets(dataDir);
		throw error;
	}
	return { secrets, file, created: true };
}
