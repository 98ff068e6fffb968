// One promise per key for work done once per process (compiling a component's core modules per memory cap): later
// callers share it, and a failure is forgotten so that a later call tries again.

/** `make()`'s promise for `key`, made on the first call and shared after; dropped from `cache` if it rejects. */
export function onceByKey<K, V>(cache: Map<K, Promise<V>>, key: K, make: () => Promise<V>): Promise<V> {
  let value = cache.get(key);
  if (!value) {
    value = make();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }
  return value;
}
