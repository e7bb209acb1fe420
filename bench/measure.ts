/** Median-of-rounds timing for synchronous or async work. The machine is shared and noisy: always compare in one run. */

export interface Measurement {
  /** Median operations per second over the rounds. */
  opsPerSec: number
  /** Median microseconds per operation. */
  usPerOp: number
  rounds: number[]
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

/**
 * Runs `fn` `iterations` times per round, `rounds` times, after a warm-up round, and reports the median rate.
 * @example const m = await measure(() => sign(), { iterations: 20_000 })
 */
export async function measure(
  fn: () => unknown,
  { iterations = 10_000, rounds = 7, warmup = 1 }: { iterations?: number; rounds?: number; warmup?: number } = {},
): Promise<Measurement> {
  const perRound: number[] = []
  for (let round = -warmup; round < rounds; round++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) {
      const result = fn()
      if (result instanceof Promise) await result
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9
    if (round >= 0) perRound.push(iterations / seconds)
  }
  const opsPerSec = median(perRound)
  return { opsPerSec, usPerOp: 1e6 / opsPerSec, rounds: perRound }
}

/** Interleaves several candidates round by round, so background noise hits them alike. */
export async function measureTogether<K extends string>(
  candidates: Record<K, () => unknown>,
  options: { iterations?: number; rounds?: number } = {},
): Promise<Record<K, Measurement>> {
  const rounds = options.rounds ?? 7
  const samples = Object.fromEntries(Object.keys(candidates).map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let round = -1; round < rounds; round++) {
    for (const key of Object.keys(candidates) as K[]) {
      const m = await measure(candidates[key], { iterations: options.iterations, rounds: 1, warmup: 0 })
      if (round >= 0) samples[key].push(m.opsPerSec)
    }
  }
  return Object.fromEntries(
    (Object.keys(samples) as K[]).map((k) => {
      const opsPerSec = median(samples[k])
      return [k, { opsPerSec, usPerOp: 1e6 / opsPerSec, rounds: samples[k] }]
    }),
  ) as Record<K, Measurement>
}
