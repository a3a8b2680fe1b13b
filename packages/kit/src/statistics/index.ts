// @nimo/kit/statistics: published figures' small-cell suppression, its proof against recovery, and
// background jobs in a process of its own. Light (no GraphQL, database or HTTP): what a job module imports.
export * from './suppression';
export * from './protection';
export { protectTableInBackground } from './protection-background';
export { BACKGROUND_IDLE_MS, BACKGROUND_NICE, backgroundPid, compiledFile, runInBackground, type BackgroundJob } from './background';
