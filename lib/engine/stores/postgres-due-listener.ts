import pg from 'pg'
import type { WaitForDueOptions } from './run-store'

/** The one NOTIFY channel; the payload is the schema, so stores on other schemas ignore each other's notices. */
export const DUE_CHANNEL = 'ctflow_due'

export interface DueListenerOptions {
  connectionString: string
  connectTimeoutMs: number
  schema: string
  /** Earliest future resumeAt of a RUNNING run after `now` (epoch ms), or undefined. */
  nextResumeAt(now: Date): Promise<number | undefined>
}

/**
 * `waitForDue` for the PostgreSQL store: LISTEN on one dedicated connection (opened on first use, so stores that
 * never wait — functions answering HTTP — hold no extra connection), woken by the NOTIFY that `create` and `release`
 * send, and by the earliest known resumeAt. Lease expiries of dead workers are left to the caller's timeout: they are
 * seconds long anyway, and finding the next one would scan every run (no index on lease_expires_at).
 * If LISTEN cannot be set up, waiting degrades to sleeping `timeoutMs` — never an error for the worker.
 */
export function createDueListener(options: DueListenerOptions) {
  let client: pg.Client | undefined
  let connecting: Promise<pg.Client | undefined> | undefined
  let lastNoticeAt = 0
  let closed = false
  const waiters = new Set<() => void>()
  const wakeAll = () => {
    for (const wake of [...waiters]) wake()
  }

  const listen = (): Promise<pg.Client | undefined> => {
    if (client) return Promise.resolve(client)
    connecting ??= (async () => {
      const candidate = new pg.Client({
        connectionString: options.connectionString,
        connectionTimeoutMillis: options.connectTimeoutMs,
        application_name: 'ctflow-listen',
      })
      const drop = () => {
        if (client === candidate) client = undefined
        wakeAll() // whoever waits re-checks (and reconnects) rather than sleeping on a dead connection
      }
      candidate.on('notification', (message) => {
        if (message.channel !== DUE_CHANNEL || message.payload !== options.schema) return
        lastNoticeAt = Date.now()
        // One notice is one run that became claimable: one lane of this process is enough (every process gets the
        // notice); waking them all would send a herd of claimDue queries for a single run.
        const first = waiters.values().next()
        if (!first.done) first.value()
      })
      candidate.on('error', drop)
      candidate.on('end', drop)
      try {
        await candidate.connect()
        await candidate.query(`LISTEN ${DUE_CHANNEL}`)
        if (closed) {
          await candidate.end().catch(() => undefined)
          return undefined
        }
        client = candidate
        return candidate
      } catch {
        await candidate.end().catch(() => undefined)
        return undefined
      } finally {
        connecting = undefined
      }
    })()
    return connecting
  }

  return {
    async waitForDue({ since, timeoutMs, signal }: WaitForDueOptions): Promise<void> {
      if (closed || signal?.aborted) return
      const listening = await listen()
      if (lastNoticeAt >= since.getTime()) return
      let ms = timeoutMs
      if (listening) {
        const next = await options.nextResumeAt(new Date()).catch(() => undefined)
        if (next !== undefined) ms = Math.min(ms, Math.max(0, next - Date.now()))
      }
      if (ms <= 0 || closed || signal?.aborted) return
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          waiters.delete(done)
          signal?.removeEventListener('abort', done)
          resolve()
        }
        const timer = setTimeout(done, ms)
        waiters.add(done)
        signal?.addEventListener('abort', done, { once: true })
      })
    },
    async close(): Promise<void> {
      closed = true
      wakeAll()
      const open = client ?? (await connecting)
      client = undefined
      await open?.end().catch(() => undefined)
    },
  }
}
