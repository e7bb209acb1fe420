import type { Context as HonoContext, Hono } from 'hono'
import type { FunctionsConfig } from '../lib/config'
import type { Budget, Engine, RunRecord } from '../lib/engine'
import type { DeliveryPass } from '../lib/notify'
import { createHttpApp } from './http/app'
import type { SignInCodes } from './http/console/sign-in-codes'

/** An engine with whatever it opened (store, in-process simulator) to close with it. */
export interface OpenedEngine {
  engine: Engine
  /** e.g. "simulator at http://127.0.0.1:41234" or "CTyun cloud"; for the startup log line, never a secret. */
  describe?: string
  close(): Promise<void>
  /** Delivers pending run notifications (the store's outbox) within the budget; absent without channels. */
  deliverNotifications?: (budget: Partial<Budget>) => Promise<DeliveryPass>
}

export type EngineOpener = (config: FunctionsConfig) => Promise<OpenedEngine>

/** What every adapter needs: the engine and the HTTP app over it, built once per process or container. */
export interface FunctionsRuntime {
  config: FunctionsConfig
  engine: Engine
  app: Hono
  describe?: string
  close(): Promise<void>
  /** See OpenedEngine.deliverNotifications. */
  deliverNotifications?: (budget: Partial<Budget>) => Promise<DeliveryPass>
}

/**
 * @example const runtime = await createFunctionsRuntime(loadFunctionsConfig(process.env), { openEngine })
 */
export async function createFunctionsRuntime(
  config: FunctionsConfig,
  {
    openEngine,
    onRunCreated,
    log = (line: string) => console.error(line),
    signInCodes,
  }: {
    openEngine: EngineOpener
    onRunCreated?: (engine: Engine, run: RunRecord, c: HonoContext) => Promise<void> | void
    log?: (line: string) => void
    /** One-time console sign-in codes (`ctflow demo --console`). */
    signInCodes?: SignInCodes
  },
): Promise<FunctionsRuntime> {
  const opened = await openEngine(config)
  try {
    const app = createHttpApp({
      engine: opened.engine,
      webhookSecrets: config.webhookSecrets,
      apiToken: config.apiToken,
      maxBodyBytes: config.maxBodyBytes,
      log,
      ...(signInCodes ? { signInCodes } : {}),
      ...(onRunCreated
        ? { onRunCreated: (run: RunRecord, c: HonoContext) => onRunCreated(opened.engine, run, c) }
        : {}),
    })
    return {
      config,
      engine: opened.engine,
      app,
      describe: opened.describe,
      close: () => opened.close(),
      ...(opened.deliverNotifications ? { deliverNotifications: opened.deliverNotifications } : {}),
    }
  } catch (error) {
    // A bad webhook secret fails here, at start; do not leave the store or simulator open behind it.
    await opened.close().catch(() => {})
    throw error
  }
}
