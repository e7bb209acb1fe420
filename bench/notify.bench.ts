// Notifications off the run's path: a run's end (start → failing state → final save) with 5 channels configured
// (CTFLOW_NOTIFY: DingTalk, Feishu, WeCom, Slack, webhook) against the same with none, on the file store and on
// PostgreSQL. With channels, the final save also writes 5 outbox items (same transaction); nothing is sent on the
// path (the sender delivers later), so the ratio is what a notification costs a run. Target ≤ 1.1×.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseNotifyConfig } from '../lib/config'
import type { WorkflowDefinition } from '../lib/engine'
import { createEngine } from '../lib/engine/create-engine'
import { createFileStore } from '../lib/engine/stores/file-store'
import { createPostgresStore } from '../lib/engine/stores/postgres-store'
import type { RunStore } from '../lib/engine/stores/run-store'
import { notificationsOnEnd } from '../lib/notify'
import { measureTogether } from './measure'
import type { BenchReport, BenchRow } from './report'

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test'
const WHSEC = `whsec_${Buffer.from('bench-webhook-secret-of-32-bytes').toString('base64')}`
const CHANNELS = parseNotifyConfig(
  JSON.stringify([
    { type: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECbench' },
    { type: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/t', secret: 'bench' },
    { type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    { type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x' },
    { type: 'webhook', url: 'https://hooks.example.com/ctflow', secret: WHSEC },
  ]),
)
// A short job that fails at its end, with a report in its cause like the nightly one (what a notification carries).
const REPORT = {
  disks: Array.from({ length: 8 }, (_, i) => ({
    diskID: `d-${i}`,
    instanceID: `i-${i}`,
    snapshotID: i === 3 ? null : `s-${i}`,
    backup: { taskID: `t-${i}`, result: 'completed' },
    pruned: [`s-old-${i}`],
    errors: i === 3 ? ['snapshot: Ctyun.QuotaExceeded: quota reached'] : [],
    ok: i !== 3,
  })),
  summary: { disks: 8, succeeded: 7, failed: 1, snapshots: 7, backups: 7, pruned: 8 },
}
const WORKFLOW: WorkflowDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { ok: true }, ResultPath: '$.prepared', Next: 'Report' },
    Report: { Type: 'Pass', Next: 'Failed' },
    Failed: {
      Type: 'Fail',
      Error: 'Backup.DisksFailed',
      Cause: `1 of 8 disks failed: d-3 (snapshot: Ctyun.QuotaExceeded). Report: ${JSON.stringify(REPORT)}`,
    },
  },
}

function runEnd(store: RunStore, withChannels: boolean): () => Promise<void> {
  const outboxOnEnd = withChannels ? notificationsOnEnd(CHANNELS) : undefined
  const engine = createEngine({ store, workflows: { nightly: WORKFLOW }, ...(outboxOnEnd ? { outboxOnEnd } : {}) })
  return async () => {
    const { run } = await engine.start({ workflow: 'nightly', input: { disks: 8 } })
    const ended = await engine.runToEnd(run.id)
    if (ended.status !== 'FAILED') throw new Error(`expected FAILED, got ${ended.status}`)
  }
}

export async function run(): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'ctflow-notify-bench-'))
  const schema = `ctflow_bench_notify_${process.pid}`
  const rows: BenchRow[] = []
  const notes: string[] = []
  const pgStores: RunStore[] = []
  try {
    const file = createFileStore(dir)
    const stores: Array<[string, RunStore, number]> = [['file', file, 100]]
    try {
      const a = await createPostgresStore({ connectionString: PG_URL, schema, poolMax: 2 })
      pgStores.push(a)
      stores.push(['postgres', a, 40])
    } catch (error) {
      notes.push(`postgres skipped: ${(error as Error).message}`)
    }
    for (const [name, store, iterations] of stores) {
      const m = await measureTogether(
        { none: runEnd(store, false), five: runEnd(store, true) },
        { iterations, rounds: 9 },
      )
      const none = m.none.usPerOp / 1000
      const five = m.five.usPerOp / 1000
      rows.push({ name: `${name}: a run's end, no channels`, median: none, unit: 'ms' })
      const ratio = five / none
      rows.push({
        name: `${name}: a run's end, 5 channels (5 outbox items in the final save)`,
        median: five,
        unit: 'ms',
        ratio: { against: 'no channels', value: ratio },
        target: '≤ 1.1×',
        pass: ratio <= 1.1,
        detail: { none: m.none.rounds, five: m.five.rounds },
      })
    }
    notes.push(
      'one run = start, two Pass states, a Fail with the nightly report in its cause, the final save; medians of 9 interleaved rounds',
    )
  } finally {
    for (const store of pgStores) {
      await store.close()
    }
    if (pgStores.length > 0) {
      const pg = (await import('pg')).default
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await client.end()
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return { area: 'notify', rows, notes }
}
