/**
 * Where the CLI's CTyun client points: the embedded default (ARCHITECTURE.md). With neither CTYUN_AK/CTYUN_SK nor an
 * endpoint, the simulator starts in-process on port 0 and the client options point at it; with credentials the same
 * code talks to the real cloud (or to CTYUN_ENDPOINT). The caller closes the target when done. Settings are read by
 * lib/config; starting the simulator is the CLI's (the deployed functions never start one: functions/open-engine.ts).
 */
import { resolveCtyunConfig, type CtyunConfig } from '../lib/config'
import { CTYUN_SERVICES, type CtyunClientOptions, type CtyunEndpoints } from '../lib/ctyun'
import type { RunningSimulator, StartSimulatorOptions } from '../lib/simulator'

export interface CtyunTarget {
  /** `simulator`: started here; `endpoint`: CTYUN_ENDPOINT without keys (a `ctflow sim` elsewhere); `cloud`: credentials given. */
  kind: 'simulator' | 'endpoint' | 'cloud'
  /** Pass to `createCtyunClient`. */
  clientOptions: CtyunClientOptions & { config: CtyunConfig }
  /** The in-process simulator (kind `simulator` only), for admin access in tests and the demo. */
  simulator?: RunningSimulator
  /** One line for logs, without secrets, e.g. `embedded simulator at http://127.0.0.1:38211`. */
  description: string
  /** Stops the in-process simulator; a no-op otherwise. */
  close(): Promise<void>
}

/**
 * @example
 * const target = await resolveCtyunTarget(process.env)
 * const ctyun = createCtyunClient(target.clientOptions)
 * try { … } finally { await target.close() }
 */
export async function resolveCtyunTarget(
  env: Readonly<Record<string, string | undefined>> = process.env,
  { simulator: simulatorOptions = {} }: { simulator?: StartSimulatorOptions } = {},
): Promise<CtyunTarget> {
  const config = resolveCtyunConfig(env)
  if (config.useEmbeddedSimulator) {
    // Lazy: talking to the real cloud never loads Hono or the simulator.
    const { startSimulator } = await import('../lib/simulator')
    const simulator = await startSimulator({ port: 0, ...simulatorOptions })
    const endpoints = Object.fromEntries(CTYUN_SERVICES.map((service) => [service, simulator.url])) as CtyunEndpoints
    return {
      kind: 'simulator',
      clientOptions: {
        config: { ...config, endpoints, credentials: simulator.credentials },
        credentials: simulator.credentials,
        endpoints,
      },
      simulator,
      description: `embedded simulator at ${simulator.url}`,
      close: () => simulator.close(),
    }
  }
  if (!config.credentials) {
    // CTYUN_ENDPOINT without keys can only be a simulator (resolveCtyunConfig refuses real hosts without keys):
    // sign with the demo credentials `ctflow sim` accepts by default.
    const { DEMO_CREDENTIALS } = await import('../lib/simulator/demo-credentials')
    return {
      kind: 'endpoint',
      clientOptions: { config: { ...config, credentials: DEMO_CREDENTIALS }, credentials: DEMO_CREDENTIALS },
      description: `simulator at ${config.endpoints.ecs} (demo credentials)`,
      close: async () => {},
    }
  }
  return {
    kind: config.endpointsOverridden ? 'endpoint' : 'cloud',
    clientOptions: { config },
    description: config.endpointsOverridden ? `CTyun API at ${config.endpoints.ecs}` : 'CTyun (real cloud)',
    close: async () => {},
  }
}
