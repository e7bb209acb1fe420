import { isAbsolute, resolve } from 'node:path'
import type { CliIO } from './command'
import { loadNotifySettings, loadStoreConfig } from '../lib/config'
import { createCtyunClient } from '../lib/ctyun'
import { createActionRegistry, type LoadedWorkflow, type NewHistoryEvent, type RunRecord } from '../lib/engine'
import { createEngine } from '../lib/engine/create-engine'
import { openStore, redactUrl } from '../lib/engine/stores'
import { createProductActions } from '../lib/jobs/product-actions'
import type { Logging } from '../lib/log'
import {
  deliverySettings,
  notificationDelivery,
  notificationsOnEnd,
  registerLazyNotifyAction,
  type NotificationDelivery,
} from '../lib/notify'
import { resolveCtyunTarget } from './ctyun-target'

export interface CliEngine {
  engine: ReturnType<typeof createEngine>
  /** e.g. `store: file .ctflow/; CTyun: embedded simulator at http://127.0.0.1:41234` (no secrets). */
  describe: string
  close(): Promise<void>
  /** Delivers pending run notifications (CTFLOW_NOTIFY); undefined without channels. */
  notifications?: NotificationDelivery
}

/**
 * The engine the CLI commands share: the store CTFLOW_STORE names (default `.ctflow/` under the working directory),
 * and — only when a workflow calls CTyun (`ctyun:*` / `ctflow:*` resources) — a signed client for the target the
 * environment names (the embedded simulator when no CTYUN_* is set).
 */
export async function openCliEngine(
  io: CliIO,
  {
    workflows,
    onEvents,
    leaseMs,
    logging,
  }: {
    workflows: LoadedWorkflow[]
    /** `--json`: the engine's hooks and the CTyun client's events as JSON lines (lib/log). */
    logging?: Pick<Logging, 'hooks' | 'ctyunLog' | 'logger'>
    onEvents?: (run: RunRecord, events: NewHistoryEvent[]) => void
    /** How long a worker's lease lasts (default: the engine's); `ctflow worker --lease-ms`. */
    leaseMs?: number
  },
): Promise<CliEngine> {
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {})
  }
  try {
    const { target, poolMax, schema } = loadStoreConfig(io.env)
    const storeTarget =
      target.kind === 'file' && !isAbsolute(target.path)
        ? { kind: 'file' as const, path: resolve(io.cwd, target.path) }
        : target
    // CTFLOW_STORE_POOL_MAX and CTFLOW_STORE_SCHEMA apply to the CLI as they do to the functions.
    const store = await openStore(storeTarget, { poolMax, schema })
    closers.push(() => store.close())
    const describeStore = `store: ${target.kind}${target.kind === 'file' ? ` ${target.path}` : ''}${target.kind === 'postgres' ? ` ${redactUrl(target.url)} schema ${schema ?? 'ctflow'}` : ''}`

    let actions = createActionRegistry()
    let describeCtyun = ''
    if (workflows.some((workflow) => usesCloud(workflow.definition))) {
      const ctyun = await resolveCtyunTarget(io.env)
      closers.push(() => ctyun.close())
      actions = createProductActions(
        createCtyunClient(logging ? { ...ctyun.clientOptions, log: logging.ctyunLog } : ctyun.clientOptions),
      )
      describeCtyun = `; CTyun: ${ctyun.description}`
    }
    // Read before anything runs: a malformed CTFLOW_NOTIFY stops the command here, naming the channel.
    const settings = loadNotifySettings(io.env, { cwd: io.cwd })
    const { channels, publicUrl } = settings
    const linked = publicUrl ? { publicUrl } : {}
    registerLazyNotifyAction(actions, channels, linked)
    const outboxOnEnd = notificationsOnEnd(channels)
    const engine = createEngine({
      store,
      actions,
      workflows,
      onEvents,
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      ...(logging ? { hooks: logging.hooks } : {}),
      ...(outboxOnEnd ? { outboxOnEnd } : {}),
    })
    const notifications = notificationDelivery({
      store,
      ...deliverySettings(settings),
      // With --json, every line as JSON; else only what went wrong, as text.
      log: ({ level, msg, ...fields }) => {
        if (logging) logging.logger[level](msg, fields)
        else if (level !== 'info') io.stderr(`ctflow: ${msg}\n`)
      },
    })
    return {
      engine,
      describe: `${describeStore}${describeCtyun}${notifications ? `; ${channels.length} notification channel(s)` : ''}`,
      close,
      ...(notifications ? { notifications } : {}),
    }
  } catch (error) {
    await close()
    throw error
  }
}

function usesCloud(definition: unknown): boolean {
  return /"Resource"\s*:\s*"(ctyun|ctflow):/.test(JSON.stringify(definition))
}
