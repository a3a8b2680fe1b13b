import type { Fetcher } from '@apollo/utils.fetcher';
import { subgraphFetchDuration, subgraphFetchErrors } from '@nimo/kit';

/**
 * The gateway's requests to one subgraph, measured: time to the answer's headers in
 * `nimo_subgraph_fetch_duration_seconds`, failures in `nimo_subgraph_fetch_errors_total` (network:
 * refused, reset, past the deadline; http: a 4xx or 5xx answer).
 */
export function observedFetcher(subgraph: string, inner: Fetcher): Fetcher {
  const duration = subgraphFetchDuration.labels({ subgraph });
  const network = subgraphFetchErrors.labels({ subgraph, kind: 'network' });
  const http = subgraphFetchErrors.labels({ subgraph, kind: 'http' });
  return async (url: Parameters<Fetcher>[0], init?: Parameters<Fetcher>[1]) => {
    const stop = duration.startTimer();
    try {
      const response = await inner(url, init);
      if (response.status >= 400) http.inc();
      return response;
    } catch (error) {
      network.inc();
      throw error;
    } finally {
      stop();
    }
  };
}
