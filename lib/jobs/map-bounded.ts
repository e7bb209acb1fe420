/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results come back in input order. After the first
 * failure no new call starts, the calls in flight are waited for (so a retried step never overlaps the calls of the
 * try before it), and that first failure is thrown. An aborted `signal` stops new calls the same way.
 *
 * A dozen lines, where p-map would add a dependency for the same loop.
 * @example const infos = await mapBounded(diskIDs, 4, (diskID) => ebs.getDisk({ regionID, diskID }))
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`)
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++
      try {
        signal?.throwIfAborted()
        results[index] = await fn(items[index]!, index)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure) throw failure.error
  return results
}
