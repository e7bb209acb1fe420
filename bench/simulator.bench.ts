/**
 * Signed GET requests per second against the simulator (EOP verification, routing, state, envelope), sequential and
 * with 8 concurrent callers, beside a bare Hono route served the same way (@hono/node-server, same client, same
 * signed request) in the same run. Target: ≥ 0.5× the bare route.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { startSimulator } from '../lib/simulator/server'
import { signedRequestParts } from '../lib/simulator/test-support'
import { measureTogether } from './measure'
import type { BenchReport } from './report'

const HD1 = 'bb9fdb42056f11eda1610242ac110002'
const DISK = '5d0c1e2f-0002-4c7a-8e4b-a1b2c3d4e502'

export async function run(): Promise<BenchReport> {
  const sim = await startSimulator({ port: 0 })
  const bare = new Hono()
  const payload = {
    statusCode: 800,
    errorCode: '',
    message: 'SUCCESS',
    description: '成功',
    returnObj: { diskID: DISK, diskName: 'web-01-data', diskSize: 100 },
  }
  bare.get('/v4/ebs/info-ebs', (c) => c.json(payload))
  const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`

  // A fresh signature (request id) per request, as a client sends; the bare route ignores it.
  const once = async (base: string) => {
    const { url, init } = signedRequestParts({
      path: '/v4/ebs/info-ebs',
      query: { diskID: DISK, regionID: HD1 },
      credentials: sim.credentials,
    })
    const res = await fetch(base + url, init)
    if (res.status !== 200) throw new Error(`bench request failed: HTTP ${res.status}`)
    await res.arrayBuffer()
  }
  const concurrent = (base: string, callers: number, perCaller: number) => () =>
    Promise.all(
      Array.from({ length: callers }, async () => {
        for (let i = 0; i < perCaller; i++) await once(base)
      }),
    )

  const sequentialIterations = 400
  const seq = await measureTogether(
    { simulator: () => once(sim.url), bare: () => once(bareUrl) },
    { iterations: sequentialIterations, rounds: 5 },
  )
  // One "op" = 8 callers × 50 requests; converted to requests/s below.
  const perOp = 8 * 50
  const conc = await measureTogether(
    { simulator: concurrent(sim.url, 8, 50), bare: concurrent(bareUrl, 8, 50) },
    { iterations: 1, rounds: 5 },
  )

  const calls = sim.simulator.calls.count('ebs.showDisk')
  await sim.close()
  await new Promise<void>((resolve) => {
    bareServer.close(() => resolve())
    ;(bareServer as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
  })

  const seqRatio = seq.simulator.opsPerSec / seq.bare.opsPerSec
  const concRatio = conc.simulator.opsPerSec / conc.bare.opsPerSec
  return {
    area: 'simulator',
    rows: [
      {
        name: 'signed GET, sequential — simulator',
        median: seq.simulator.opsPerSec,
        unit: 'req/s',
        ratio: { against: 'bare Hono route', value: seqRatio },
        target: '≥ 0.5× bare',
        pass: seqRatio >= 0.5,
      },
      { name: 'signed GET, sequential — bare Hono route', median: seq.bare.opsPerSec, unit: 'req/s' },
      {
        name: 'signed GET, 8 concurrent — simulator',
        median: conc.simulator.opsPerSec * perOp,
        unit: 'req/s',
        ratio: { against: 'bare Hono route', value: concRatio },
        target: '≥ 0.5× bare',
        pass: concRatio >= 0.5,
      },
      { name: 'signed GET, 8 concurrent — bare Hono route', median: conc.bare.opsPerSec * perOp, unit: 'req/s' },
    ],
    notes: [
      'GET /v4/ebs/info-ebs with a fresh EOP signature per request (client signing included on both sides), keep-alive fetch, both servers on @hono/node-server in this process; medians of 5 interleaved rounds.',
      `the simulator verified and served ${calls} calls during the run`,
    ],
  }
}
