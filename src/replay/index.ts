/**
 * Policy replay (政策模拟, docs/replay.md): a draft pack replayed over a county's settled bills of a
 * year — fund impact per tier, who pays more or less, who crosses a warning line. The only module
 * other domains and the composition root import.
 */
export { replayRoutes } from './routes.ts';
export { ReplayService, type ReplayRequest } from './service.ts';
