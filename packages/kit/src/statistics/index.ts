// @nimo/kit/statistics: published figures' small-cell suppression, its proof against recovery, and
// background jobs on a worker thread. Light (no GraphQL, database or HTTP): what a job module imports.
export * from './suppression';
export * from './protection';
export { protectTableOffThread } from './protection-thread';
export * from './off-thread';
