import DataLoader from 'dataloader';

/**
 * Names one kind of DataLoader. The key object itself is the identity, so two modules cannot collide on a name
 * and a loader always comes back with the key, value and cache-key types it was declared with.
 */
export class LoaderKey<K, V, C = K> {
  declare private readonly types: [K, V, C];

  constructor(readonly description: string) {}
}

/**
 * The request's DataLoaders, one per key: a relation asked for by every parent in a response is fetched in one
 * batch, and a row loaded once is not loaded again in the same request.
 */
export class Loaders {
  private readonly loaders = new Map<LoaderKey<unknown, unknown, unknown>, DataLoader<unknown, unknown, unknown>>();

  get<K, V, C = K>(
    key: LoaderKey<K, V, C>,
    batch: DataLoader.BatchLoadFn<K, V>,
    options?: DataLoader.Options<K, V, C>,
  ): DataLoader<K, V, C> {
    let loader = this.loaders.get(key as LoaderKey<unknown, unknown, unknown>);
    if (!loader) {
      loader = new DataLoader<K, V, C>(batch, options) as DataLoader<unknown, unknown, unknown>;
      this.loaders.set(key as LoaderKey<unknown, unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V, C>;
  }
}
