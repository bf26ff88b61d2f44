// What a mediasoup worker process costs: its CPU time (mediasoup's getResourceUsage, the worker's own
// getrusage) and its memory. The resident size now is read from /proc where there is one (Linux);
// getrusage gives only the largest it has been.
import fs from 'node:fs/promises';
import type { types } from 'mediasoup';

export type WorkerUsage = {
	pid: number;
	cpu: { userSeconds: number; systemSeconds: number };
	memory: { residentBytes: number | null; maxResidentBytes: number };
};

export async function workerUsage(worker: types.Worker): Promise<WorkerUsage> {
	const [usage, residentBytes] = await Promise.all([worker.getResourceUsage(), residentBytesOf(worker.pid)]);
	return {
		pid: worker.pid,
		// getrusage's times are in milliseconds as mediasoup reports them, its maxrss in KiB.
		cpu: { userSeconds: usage.ru_utime / 1000, systemSeconds: usage.ru_stime / 1000 },
		memory: { residentBytes, maxResidentBytes: usage.ru_maxrss * 1024 },
	};
}

async function residentBytesOf(pid: number): Promise<number | null> {
	try {
		const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
		const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
		return kib === undefined ? null : Number(kib) * 1024;
	} catch {
		return null;
	}
}
