import { createRequire } from 'node:module';

/**
 * Works around a packaging defect of @graphql-mesh/plugin-response-cache (0.107): it reads
 * `require('cache-control-parser').default.parse`, but cache-control-parser 2.2 is an ES module
 * compiled to CommonJS with named exports only, so every subgraph answer that carries a
 * `Cache-Control` header failed in Hive Gateway with "Cannot read properties of undefined (reading
 * 'parse')". Must be imported before @graphql-hive/gateway-runtime.
 */
const fromPlugin = createRequire(require.resolve('@graphql-mesh/plugin-response-cache'));
const parser = fromPlugin('cache-control-parser') as { default?: unknown };
parser.default ??= parser;
