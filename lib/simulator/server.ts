/**
 * Serves the simulator over real HTTP on Node (`@hono/node-server`), for tests (port 0), `ctflow sim` and the
 * embedded default. Binds to 127.0.0.1 unless told otherwise: the admin endpoints are unauthenticated.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { EopCredentials } from '../ctyun/signing'
import type { Simulator, SimulatorOptions } from './simulator'
import { createSimulator } from './simulator'

export interface StartSimulatorOptions extends SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  hostname?: string
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:4010` — every service on this one origin. */
  url: string
  port: number
  /** The first accepted credentials (what a client should sign with). */
  credentials: EopCredentials
  simulator: Simulator
  close(): Promise<void>
}

/**
 * @example
 * const sim = await startSimulator({ port: 0 })
 * const client = createCtyunClient({ endpoint: sim.url, credentials: sim.credentials })
 * await sim.close()
 */
export async function startSimulator({
  port = 0,
  hostname = '127.0.0.1',
  ...options
}: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = createSimulator(options)
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    // overrideGlobalObjects: false — the simulator may run inside Bun, Deno or a test next to another server, whose
    // own Response must stay the global one (a replaced global breaks Bun.serve, Deno.serve and workerd).
    const s = serve({ fetch: simulator.app.fetch, port, hostname, overrideGlobalObjects: false }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const host = hostname.includes(':') ? `[${hostname}]` : hostname
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    credentials: simulator.credentials[0]!,
    simulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const closable = server as unknown as { closeAllConnections?: () => void }
        server.close((error) => (error ? reject(error) : resolve()))
        closable.closeAllConnections?.()
      }),
  }
}
