import type { ApiArgs, ApiEventName, ApiEvents, ApiMethod, ApiResults } from './api.js';
import { apiMethods } from './api.js';

type Namespace = ApiMethod extends `${infer N}.${string}` ? N : never;

/** `client.hunts.list(args)` for `hunts.list`: the API as named, typed methods. */
export type QuarryClient = {
  [N in Namespace]: {
    [M in ApiMethod as M extends `${N}.${infer V}` ? V : never]: (args?: ApiArgs<M>) => Promise<ApiResults[M]>;
  };
} & {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
};

export type Call = (method: ApiMethod, args: unknown) => Promise<unknown>;
export type Subscribe = (event: ApiEventName, listener: (payload: unknown) => void) => () => void;

/** Builds the named-method client over any transport's call and subscribe functions. */
export function createClient(call: Call, subscribe: Subscribe): QuarryClient {
  const client: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {};
  for (const method of apiMethods) {
    const [ns, verb] = method.split('.') as [string, string];
    (client[ns] ??= {})[verb] = (args?: unknown) => call(method, args);
  }
  return Object.assign(client, {
    on: (event: ApiEventName, listener: (payload: unknown) => void) => subscribe(event, listener),
  }) as unknown as QuarryClient;
}
