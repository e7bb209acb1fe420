/**
 * A client wired to a local test server, with waits and retries that record their delays instead of sleeping.
 * For unit tests of services: each test scripts replies by path and asserts what was sent.
 */
import { createCtyunClient } from '../client'
import type { CtyunClientOptions } from '../client'
import type { WaitOptions } from '../wait'
import type { RecordedRequest, ScriptedReply, TestServer } from './test-server'
import { startTestServer } from './test-server'

export const TEST_CREDENTIALS = { accessKey: 'unit-test-ak', secretKey: 'unit-test-sk-secret' }

export type Routes = Record<string, ScriptedReply | ((request: RecordedRequest, call: number) => ScriptedReply)>

export interface ClientHarness {
  server: TestServer
  client: ReturnType<typeof createCtyunClient>
  /** Scripts replies by path; a function route gets the 0-based count of calls to that path. */
  route(routes: Routes): void
  /** Requests sent to a path. */
  sent(path: string): RecordedRequest[]
  /** Wait options with a fake clock (delays recorded in `waitDelays`). */
  wait: WaitOptions
  waitDelays: number[]
  close(): Promise<void>
}

export async function startClientHarness(options: Partial<CtyunClientOptions> = {}): Promise<ClientHarness> {
  const server = await startTestServer()
  const url = server.url
  let clock = 0
  const waitDelays: number[] = []
  const client = createCtyunClient({
    credentials: TEST_CREDENTIALS,
    endpoints: { ecs: url, ebs: url, image: url, vpc: url, cbr: url, cda: url },
    retryHooks: { sleep: async () => {}, random: () => 0.5 },
    ...options,
  })
  const harness: ClientHarness = {
    server,
    client,
    route(routes) {
      const counts = new Map<string, number>()
      server.reply((request) => {
        const route = routes[request.path]
        if (!route) return { status: 404, body: `<html>no route ${request.path}</html>` }
        const n = counts.get(request.path) ?? 0
        counts.set(request.path, n + 1)
        return typeof route === 'function' ? route(request, n) : route
      })
    },
    sent: (path) => server.requests.filter((r) => r.path === path),
    wait: {
      now: () => clock,
      sleep: async (ms) => {
        waitDelays.push(ms)
        clock += ms
      },
    },
    waitDelays,
    close: () => server.close(),
  }
  return harness
}
