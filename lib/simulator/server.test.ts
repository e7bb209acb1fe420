import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from './server'
import { startSimulator } from './server'
import { signedRequestParts } from './test-support'
import { HD1 } from './default-fixture-ids'

let sim: RunningSimulator

beforeAll(async () => {
  sim = await startSimulator({ port: 0 })
})
afterAll(async () => {
  await sim.close()
})

/** node:http, since fetch refuses a GET with a body. */
function rawHttp(path: string, init: RequestInit): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sim.url)
    const req = httpRequest(url, { method: init.method, headers: init.headers as Record<string, string> }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      )
    })
    req.on('error', reject)
    if (init.body) req.write(init.body as string)
    req.end()
  })
}

describe('startSimulator', () => {
  it('serves signed calls over HTTP on a free port and reports its URL and credentials', async () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const { url, init } = signedRequestParts({ path: '/v4/region/list-regions', credentials: sim.credentials })
    const res = await fetch(new URL(url, sim.url), init)
    expect(res.status).toBe(200)
    expect((await res.json()).statusCode).toBe(800)
  })

  it('accepts a GET with a JSON body, signed over those exact bytes (official SDK ebs_list.go)', async () => {
    const body = JSON.stringify({ regionID: HD1, pageNo: 1, pageSize: 2 })
    const { url, init } = signedRequestParts({
      method: 'GET',
      path: '/v4/ebs/list-ebs',
      body,
      credentials: sim.credentials,
    })
    const reply = await rawHttp(url, init)
    expect(reply.body.statusCode).toBe(800)
    expect(reply.body.returnObj.diskList).toHaveLength(2)
    const tampered = await rawHttp(url, { ...init, body: body.replace('"pageSize":2', '"pageSize":3') })
    expect(tampered.status).toBe(401)
  })

  it('drops the connection under a drop fault, so the caller sees a network error', async () => {
    sim.simulator.faults.set({ 'regions.list': { dropRate: 1, times: 1 } })
    const { url, init } = signedRequestParts({ path: '/v4/region/list-regions', credentials: sim.credentials })
    await expect(fetch(new URL(url, sim.url), init)).rejects.toThrow()
    const again = signedRequestParts({ path: '/v4/region/list-regions', credentials: sim.credentials })
    expect((await fetch(new URL(again.url, sim.url), again.init)).status).toBe(200)
    sim.simulator.faults.set({})
  })
})
