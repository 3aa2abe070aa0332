import type { ApolloServerPlugin } from '@apollo/server';

/**
 * Every GraphQL answer is `Cache-Control: no-store`: it is child data, or says who may see it, and no browser or
 * proxy may keep it. Apollo's cache-control plugin, on by default, gives the same header, but only after
 * working out a cache policy for every field resolved (a hook on each field, about 5% of a child read's CPU at
 * national, issue 14) for a service that never declares a field cacheable.
 */
export function noStorePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
