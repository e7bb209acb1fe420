/** What each `bench/<area>.bench.ts` returns; `bench/run.ts` prints them all and writes bench/results/latest.json. */
export interface BenchRow {
  name: string
  /** The median over rounds, in `unit`. */
  median: number
  unit: string
  /** e.g. { against: 'floor (4 HMAC + 1 SHA-256)', value: 0.93 } — measured in the same run. */
  ratio?: { against: string; value: number }
  /** The target this row is held to, in words, e.g. '≥ 0.85× floor'. */
  target?: string
  pass?: boolean
  detail?: Record<string, unknown>
}

export interface BenchReport {
  area: string
  rows: BenchRow[]
  notes?: string[]
}
