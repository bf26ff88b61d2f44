import { describeLiveStateContract } from '../liveStateContract.ts';
import { MemoryLiveState } from './MemoryLiveState.ts';

describeLiveStateContract('MemoryLiveState', async () => ({
	open: async () => new MemoryLiveState(),
	cleanup: async () => {},
}));
