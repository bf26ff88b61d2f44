// The data folder holds personal data (the journal) and, in development, secrets: only the user the
// service runs as may read it. New files and folders are created so; existing ones that others can
// read (from an older version, a restored backup, an image that created the folder 0755) are
// tightened when the store opens them.
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import type { Logger } from '../../logger.ts';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

const GROUP_AND_OTHERS = 0o077;
const STICKY = 0o1000;

/**
 * Creates the folder 0700, or takes group and others' access away from an existing one. A sticky folder
 * (such as /tmp) is shared by design and left as it is, with a warning, as is one we may not change.
 */
export async function ensurePrivateDirectory(directory: string, logger: Logger): Promise<void> {
	await fs.mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
	const { mode } = await fs.stat(directory);
	if ((mode & GROUP_AND_OTHERS) === 0) return;
	if ((mode & STICKY) !== 0) {
		logger.warn({ directory }, 'the data folder is a shared (sticky) folder; give the service a folder of its own');
		return;
	}
	try {
		await fs.chmod(directory, mode & 0o7700);
	} catch (error) {
		logger.warn({ err: error, directory }, 'could not make the data folder private to the service user');
	}
}

/** Takes group and others' access away from an open file. */
export async function makePrivate(handle: FileHandle): Promise<void> {
	const { mode } = await handle.stat();
	if ((mode & GROUP_AND_OTHERS) !== 0) await handle.chmod(mode & 0o7700);
}
