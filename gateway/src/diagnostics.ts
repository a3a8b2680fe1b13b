import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context';

/** Response headers with what one request cost: `x-nimo-subgraph-fetches` and `x-nimo-sql-statements`, per subgraph. */
export const FETCHES_HEADER = 'x-nimo-subgraph-fetches';
export const STATEMENTS_HEADER = 'x-nimo-sql-statements';

const format = (entries: [string, number][]) => entries.map(([name, n]) => `${name}=${n}`).join(', ');

export const diagnosticsHeaders: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const d = Object.entries(contextValue.diagnostics ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
        response.http.headers.set(FETCHES_HEADER, format(d.map(([name, v]) => [name, v.fetches])));
        response.http.headers.set(STATEMENTS_HEADER, format(d.map(([name, v]) => [name, v.statements])));
      },
    };
  },
};
