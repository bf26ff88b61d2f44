// The vidverify server the signalling benchmarks measure, in a process of its own so that the CPU
// time it reports is the server's alone: the real Service, configured by its environment as the real
// one is. BENCH_SERVER_ROOT names another checkout to load the Service from instead (the tree before a
// change, to measure before and after in one run). It answers its parent over IPC:
//   { type: 'usage' }  → its CPU time (process.cpuUsage, µs), memory, and each media worker's
//                        CPU time (getResourceUsage, ms) and resident memory (/proc, bytes);
//                        with collect: true, after a full garbage collection (for memory figures)
//   { type: 'stop' }   → closes the service and exits
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = process.env.BENCH_SERVER_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (file: string) => import(pathToFileURL(path.join(root, 'server', 'src', file)).href);

type WorkerLike = { pid: number; getResourceUsage(): Promise<{ ru_utime: number; ru_stime: number }> };
type ServiceLike = {
	listen(): Promise<{ url: string }>;
	close(): Promise<void>;
	pool: { workers: WorkerLike[] };
};

const { loadConfig } = await load('config.ts');
const { createLogger } = await load('logger.ts');
const { Service } = await load('Service.ts');
const config = loadConfig(process.env);
const service = (await Service.create(config, createLogger(config))) as ServiceLike;
const { url } = await service.listen();

/** Resident memory of a process, from /proc (the workers are not Node processes). */
function residentBytes(pid: number): number | null {
	try {
		const pages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
		return pages * 4096;
	} catch {
		return null;
	}
}

async function usage() {
	const workers = await Promise.all(
		service.pool.workers.map(async (worker) => {
			const { ru_utime, ru_stime } = await worker.getResourceUsage();
			return { pid: worker.pid, cpuMs: ru_utime + ru_stime, rssBytes: residentBytes(worker.pid) };
		}),
	);
	return { type: 'usage', cpu: process.cpuUsage(), memory: process.memoryUsage(), workers };
}

process.on('message', (message: { type?: string; collect?: boolean }) => {
	if (message.type === 'usage') {
		if (message.collect) (globalThis as { gc?: () => void }).gc?.();
		void usage().then((answer) => process.send?.(answer));
	} else if (message.type === 'stop') {
		void service.close().then(() => process.exit(0));
	}
});
// The benchmark that started this server is gone: so is the server.
process.on('disconnect', () => {
	void service.close().then(() => process.exit(0));
});
process.send?.({ type: 'listening', url });
