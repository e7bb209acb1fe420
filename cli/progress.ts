import type { NewHistoryEvent, RunRecord } from '../lib/engine'

/**
 * One line per interesting history event, for live progress on a terminal (`ctflow demo`, `ctflow run`):
 * `  3.2s  Snapshot[2]  ✓ ctyun:ebs:createSnapshot.sync  diskID=5d0c…`. Quiet events (state entered/exited, Pass
 * states) print nothing, so a run of a few hundred transitions stays readable.
 */
// regionID is left out: it is the same on nearly every line.
const IDS = [
  'diskID',
  'instanceID',
  'snapshotID',
  'imageID',
  'eipID',
  'destinationRegionID',
  'backupPolicyID',
  'backupTaskID',
] as const

export function formatProgress(event: NewHistoryEvent, startedAt: number, item: number[] = []): string | undefined {
  const elapsed = `${((Date.parse(event.at) - startedAt) / 1000).toFixed(1).padStart(6)}s`
  const where = `${event.state ?? ''}${itemIndex(event, item)}`
  const detail = (event.detail ?? {}) as Record<string, unknown>
  const line = (mark: string, text: string) => `${elapsed}  ${where.padEnd(18)} ${mark} ${text}`.trimEnd()
  switch (event.type) {
    case 'ExecutionStarted':
      return `${elapsed}  run started: ${String(detail.workflow ?? '')}`
    case 'TaskScheduled':
      return line(
        '→',
        `${String(detail.resource)}${Number(detail.attempt) > 0 ? ` (attempt ${Number(detail.attempt) + 1})` : ''}  ${ids(detail.input)}`,
      )
    case 'TaskProgressed':
      return line('…', String(detail.status))
    case 'TaskSucceeded':
      return line('✓', ids(detail.output) || 'done')
    case 'TaskFailed':
    case 'TaskTimedOut':
      return line('✗', `${String(detail.error)}: ${truncate(String(detail.cause ?? ''), 160)}`)
    case 'MapStateStarted':
      return line('⇉', `${String(detail.length)} items`)
    case 'ExecutionSuspended':
      return `${elapsed}  run suspended until ${String((detail as { resumeAt?: string }).resumeAt ?? 'later')}`
    case 'ExecutionSucceeded':
      return `${elapsed}  run SUCCEEDED`
    case 'ExecutionFailed':
    case 'ExecutionTimedOut':
    case 'ExecutionAborted':
      return `${elapsed}  run ${event.type.slice('Execution'.length).toUpperCase()}: ${String(detail.error ?? '')}`
    default:
      if (event.type.endsWith('RetryScheduled'))
        return line('↻', `${String(detail.error)} — retry in ${Math.round(Number(detail.delayMs) / 100) / 10}s`)
      if (event.type === 'CatchTaken') return line('↪', `${String(detail.error)} caught → ${String(detail.next)}`)
      return undefined
  }
}

/** `root/3.0:2` → `[2]`: the Map item (or Parallel branch) a frame belongs to, after those of the run's own `item`. */
function itemIndex(event: NewHistoryEvent, item: number[]): string {
  const frame = (event.detail as { frame?: unknown } | undefined)?.frame
  const indexes = [
    ...item.map(String),
    ...(typeof frame === 'string' ? [...frame.matchAll(/:(\d+)/g)].map((m) => m[1]) : []),
  ]
  return indexes.length ? `[${indexes.join('.')}]` : ''
}

/**
 * Progress for one run and the child runs of its distributed Maps (`ctflow run`, `ctflow demo`): a child's lines carry
 * its item index like an inline Map's (`Snapshot[2]`), and only a child that fails says so — its start and end are
 * the parent's business.
 * @example engine = createEngine({ …, onEvents: progressPrinter((line) => process.stderr.write(line + '\n'), () => startedAt) })
 */
export function progressPrinter(
  write: (line: string) => void,
  startedAt: () => number,
): (run: RunRecord, events: NewHistoryEvent[]) => void {
  const items = new Map<string, number[]>()
  return (run, events) => {
    for (const event of events) {
      let item: number[] = []
      if (run.parentId !== undefined) {
        if (event.type === 'ExecutionStarted') {
          const index = (event.detail as { index?: unknown } | undefined)?.index
          items.set(run.id, [...(items.get(run.parentId) ?? []), typeof index === 'number' ? index : -1])
        }
        item = items.get(run.id) ?? []
        if (
          event.type === 'ExecutionStarted' ||
          event.type === 'ExecutionSucceeded' ||
          event.type === 'ExecutionSuspended'
        )
          continue
        if (event.type.startsWith('Execution')) {
          const elapsed = `${((Date.parse(event.at) - startedAt()) / 1000).toFixed(1).padStart(6)}s`
          const detail = (event.detail ?? {}) as { error?: unknown; cause?: unknown }
          write(
            `${elapsed}  ${`item[${item.join('.')}]`.padEnd(18)} ✗ ${event.type.slice('Execution'.length).toUpperCase()}: ${String(detail.error ?? '')}`,
          )
          continue
        }
      }
      const line = formatProgress(event, startedAt(), item)
      if (line) write(line)
    }
  }
}

function ids(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`
  if (typeof value !== 'object' || value === null) return ''
  const record = value as Record<string, unknown>
  // Lists in a result (disks chosen, snapshots to prune …) say more as counts than as ids.
  const counts = Object.entries(record).flatMap(([key, v]) => (Array.isArray(v) ? [`${key}: ${v.length}`] : []))
  const nested = typeof record.disk === 'object' && record.disk !== null ? (record.disk as Record<string, unknown>) : {}
  return IDS.flatMap((key) => {
    const v = record[key] ?? nested[key]
    return typeof v === 'string' || typeof v === 'number' ? [`${key}=${v}`] : []
  })
    .concat(counts)
    .join(' ')
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
