import type { FunctionsConfig } from '../lib/config/functions-config'
import { createCtyunClient, type CtyunClient } from '../lib/ctyun/client'
import { CTYUN_SERVICES } from '../lib/ctyun/endpoints'
import type { Engine } from '../lib/engine/engine'
import type { RunStore } from '../lib/engine/stores/run-store'
import { openStore } from '../lib/engine/stores/open-store'
import type { OpenedEngine } from './runtime'

export interface OpenEngineOptions {
  /**
   * Starts the simulator in-process when no CTYUN_* is set (ARCHITECTURE.md, "Embedded default"). Passed only by
   * one long-lived process (`ctflow serve`): on Lambda each function and container would get its own private cloud,
   * so a run started by `http` could not be resumed by `worker`. Injected (not imported here) so that the Lambda
   * bundle never carries the simulator.
   */
  startSimulator?: () => Promise<EmbeddedSimulator>
  /** Base of a relative CTFLOW_STORE directory. */
  cwd?: string
}

export interface EmbeddedSimulator {
  url: string
  credentials: { accessKey: string; secretKey: string }
  close(): Promise<void>
}

/** Neither CTyun credentials nor an endpoint, where an embedded simulator makes no sense. */
export class FunctionsSetupError extends Error {
  override name = 'FunctionsSetupError'
}

/**
 * Opens what an engine needs from the resolved config — the run store, a signed CTyun client (or an in-process
 * simulator and a client for it) — and the engine over them. Closing closes all of it, in reverse order.
 * @example const { engine, close } = await openEngine(loadFunctionsConfig(process.env))
 */
export async function openEngine(config: FunctionsConfig, { startSimulator, cwd }: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const closers: Array<() => Promise<void>> = []
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {})
  }
  try {
    let client: CtyunClient
    let describe: string
    if (config.ctyun.useEmbeddedSimulator) {
      if (!startSimulator) {
        throw new FunctionsSetupError(
          'No CTYUN_AK/CTYUN_SK (or CTYUN_ENDPOINT) is set. Deployed functions need the real cloud (or a shared simulator at CTYUN_ENDPOINT); the in-process simulator is for `ctflow serve`.',
        )
      }
      const simulator = await startSimulator()
      closers.push(() => simulator.close())
      const endpoints = Object.fromEntries(CTYUN_SERVICES.map((service) => [service, simulator.url]))
      client = createCtyunClient({ config: config.ctyun, credentials: simulator.credentials, endpoints })
      describe = `in-process CTyun simulator at ${simulator.url}`
    } else {
      client = createCtyunClient({ config: config.ctyun })
      describe = config.ctyun.endpointsOverridden ? `CTyun at ${config.ctyun.endpoints.ebs}` : 'CTyun cloud'
    }

    const target = config.store.target
    const store = await openStore(target.kind === 'file' && cwd ? { kind: 'file', path: resolvePath(cwd, target.path) } : target, {
      poolMax: config.store.poolMax,
      schema: config.store.schema,
    })
    closers.push(() => store.close())

    const engine = await buildEngine(store, client)
    closers.push(() => engine.close())
    return { engine, describe: `${describe}; store: ${target.kind}`, close: closeAll }
  } catch (error) {
    await closeAll()
    throw error
  }
}

// TEMPORARY seam until createEngine and the action registry land (lib/engine/create-engine.ts, issue 4):
// this becomes `createEngine({ store, actions: createActions(client), workflows: loadWorkflows(), clock })`.
async function buildEngine(_store: RunStore, _client: CtyunClient): Promise<Engine> {
  throw new FunctionsSetupError('ctflow: the engine (createEngine) is not wired into the functions yet')
}

function resolvePath(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`
}
