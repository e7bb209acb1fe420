import type { FunctionsConfig } from '../lib/config'
import type { CtyunClientOptions } from '../lib/ctyun'
import { assembleEngine, type Engine, type EngineHooks } from '../lib/engine'
import { openStore, type RunStore } from '../lib/engine/stores'
import { createLazyProductActions } from '../lib/jobs'
import type { Logging } from '../lib/log'
import {
  deliverySettings,
  notificationDelivery,
  notificationsOnEnd,
  registerLazyNotifyAction,
  type NotifyLogEntry,
} from '../lib/notify'
import { DEMO_CREDENTIALS } from '../lib/simulator/demo-credentials'
import { SHIPPED_WORKFLOWS } from '../workflows/shipped'
import type { OpenedEngine } from './runtime'

export interface OpenEngineOptions {
  /**
   * Where the client points (cli/ctyun-target.ts `resolveCtyunTarget`, which starts the simulator in-process
   * when no CTYUN_* is set). Passed only by one long-lived process (`ctflow serve`): on Lambda each function and
   * container would get its own private cloud, so a run started by `http` could not be resumed by `worker`.
   * Injected (not imported here) so that the Lambda bundle never carries the simulator.
   */
  resolveTarget?: (config: FunctionsConfig) => Promise<ClientTarget>
  /** Base of a relative CTFLOW_STORE directory. */
  cwd?: string
  /** Structured logs (lib/log createLogging): the engine's hooks, the CTyun client's log and the notification sender's. */
  logging?: Pick<Logging, 'hooks' | 'ctyunLog' | 'logger'>
  /** Without `logging`: where the notification sender's entries go (never a secret); default: stderr, one JSON line each. */
  notifyLog?: (entry: NotifyLogEntry) => void
}

export interface ClientTarget {
  clientOptions: CtyunClientOptions
  description: string
  close(): Promise<void>
}

/** No CTyun settings where an embedded simulator makes no sense (Lambda). */
export class FunctionsSetupError extends Error {
  override name = 'FunctionsSetupError'
}

/**
 * Opens what an engine needs from the resolved config — the run store, a signed CTyun client (or an in-process
 * simulator and a client for it) — and the engine over them. Closing closes all of it, in reverse order.
 * @example const { engine, close } = await openEngine(loadFunctionsConfig(process.env))
 */
export async function openEngine(
  config: FunctionsConfig,
  { resolveTarget, cwd, logging, notifyLog = (entry) => console.error(JSON.stringify(entry)) }: OpenEngineOptions = {},
): Promise<OpenedEngine> {
  const closers: Array<() => Promise<void>> = []
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {})
  }
  try {
    const ctyun = await (resolveTarget ?? deployedTarget)(config)
    closers.push(() => ctyun.close())

    const target = config.store.target
    const store = await openStore(
      target.kind === 'file' && cwd ? { kind: 'file', path: resolvePath(cwd, target.path) } : target,
      {
        poolMax: config.store.poolMax,
        schema: config.store.schema,
      },
    )
    closers.push(() => store.close())

    const clientOptions = logging ? { ...ctyun.clientOptions, log: logging.ctyunLog } : ctyun.clientOptions
    const engine = await buildEngine(store, clientOptions, config, logging?.hooks)
    closers.push(() => engine.close())
    const delivery = notificationDelivery({
      store,
      ...deliverySettings(config.notify),
      log: logging ? toLogger(logging.logger) : notifyLog,
    })
    return {
      engine,
      describe: `${ctyun.description}; store: ${target.kind}${delivery ? `; ${config.notify.channels.length} notification channel(s)` : ''}`,
      close: closeAll,
      ...(delivery ? { deliverNotifications: (budget) => delivery.deliverPending(budget) } : {}),
    }
  } catch (error) {
    await closeAll()
    throw error
  }
}

function toLogger(logger: Logging['logger']): (entry: NotifyLogEntry) => void {
  return ({ level, msg, ...fields }) => logger[level](msg, fields)
}

/** The deployed functions' target: the real cloud, or a shared simulator at CTYUN_ENDPOINT (demo credentials). */
async function deployedTarget(config: FunctionsConfig): Promise<ClientTarget> {
  const ctyun = config.ctyun
  if (ctyun.useEmbeddedSimulator) {
    throw new FunctionsSetupError(
      'No CTYUN_AK/CTYUN_SK (or CTYUN_ENDPOINT) is set. Deployed functions need the real cloud (or a shared simulator at CTYUN_ENDPOINT); the in-process simulator is for `ctflow serve`.',
    )
  }
  // CTYUN_ENDPOINT without keys can only be a simulator (resolveCtyunConfig refuses real hosts without keys).
  const credentials = ctyun.credentials ?? DEMO_CREDENTIALS
  return {
    clientOptions: { config: { ...ctyun, credentials }, credentials },
    description: ctyun.endpointsOverridden ? `CTyun API at ${ctyun.endpoints.ecs}` : 'CTyun (real cloud)',
    close: async () => {},
  }
}

/**
 * The shipped workflows over the product actions (`ctyun:*` and `ctflow:*`). They are validated at build time —
 * `npm test` runs the full validator and asl-validator over workflows/ (lib/engine/validate, test/workflows) — so
 * the validator (≈19 KiB minified) stays out of the function bundle; only the Task resources are checked here, at
 * start, against the registry's names. The actions' code and the CTyun client (lib/ctyun, p-retry) load on the first
 * Task call, a lazy chunk: a request that runs no Task (the runs API) does not pay for them at cold start. A bad key
 * or endpoint still fails at start: loadFunctionsConfig (resolveCtyunConfig) checks what the client would.
 */
async function buildEngine(
  store: RunStore,
  clientOptions: CtyunClientOptions,
  config: FunctionsConfig,
  hooks: EngineHooks | undefined,
): Promise<Engine> {
  const actions = createLazyProductActions(async () => {
    // lib/ctyun's lazy entry, not its index: a dynamic import() keeps every export of what it loads.
    const { createCtyunClient } = await import('../lib/ctyun/client')
    return createCtyunClient(clientOptions)
  })
  const { channels, publicUrl } = config.notify
  registerLazyNotifyAction(actions, channels, { ...(publicUrl ? { publicUrl } : {}) })
  // Every function runs runs to their end (the HTTP one too, briefly): each writes their notifications.
  const outboxOnEnd = notificationsOnEnd(channels)
  return assembleEngine({
    store,
    actions,
    workflows: [...SHIPPED_WORKFLOWS],
    validate: (definition) => unknownResources(definition, actions),
    ...(hooks ? { hooks } : {}),
    ...(outboxOnEnd ? { outboxOnEnd } : {}),
  })
}

/**
 * Every `"Resource"` in a definition (nested Map/Parallel included) that the registry cannot run. It walks the shipped
 * workflows at every cold start: the path is kept as keys and written as a JSON pointer only for a problem.
 */
function unknownResources(
  definition: unknown,
  actions: { has(resource: string): boolean },
): Array<{ pointer: string; message: string }> {
  const problems: Array<{ pointer: string; message: string }> = []
  const path: string[] = []
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue
      const value = (node as Record<string, unknown>)[key]
      path.push(key)
      if (key === 'Resource' && typeof value === 'string') {
        if (!actions.has(value)) problems.push({ pointer: toPointer(path), message: `unknown resource "${value}"` })
      } else visit(value)
      path.pop()
    }
  }
  visit(definition)
  return problems
}

function toPointer(path: readonly string[]): string {
  return path.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

function resolvePath(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`
}
