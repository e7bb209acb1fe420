/**
 * Checks requests signed by our client with the signing logic of CTyun's own Python example (the seed page
 * shared/seeds/001_*.txt, "Python 调用示例"). The example's code is read from the seed file and exec'd by python3 at
 * test time; none of it is copied into the repository. Requests travel over real HTTP to a local server first, so the
 * verifier sees exactly the query string and body bytes that went over the wire.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCtyunClient } from './client'
import type { RecordedRequest, TestServer } from './testing/test-server'
import { ok, startTestServer } from './testing/test-server'

const SEEDS = '/work/shared/seeds'
const seedFile = existsSync(SEEDS) ? readdirSync(SEEDS).find((f) => f.startsWith('001_')) : undefined
const python = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0
const skipReason = !seedFile
  ? 'seed 001 (the official Python example) is not present'
  : !python
    ? 'python3 with requests is not installed'
    : ''

const AK = '0123456789abcdef0123456789abcdef'
const SK = 'fedcba9876543210fedcba9876543210'

/**
 * Our harness around the seed's code (this text is ours): extract the example from the page, run it as a module with
 * the test keys, and call its build_sign on what arrived. `query_mode`:
 *  - "seed": the example's own query encoding (get_sorted_str + encode_query_str), unchanged;
 *  - "wire": its encode_query_str replaced by the query string exactly as received (what a gateway signs when it
 *    checks the raw query, and what the fact sheet says the Go SDK signs: shared/ctyun-api.md §1.4).
 * Bodies are passed as the received text, so build_sign hashes the exact bytes (its non-dict branch).
 */
const VERIFIER = String.raw`
import json, sys, textwrap, types
page = open(sys.argv[1], encoding="utf-8").read().splitlines()
start = next(i for i, line in enumerate(page) if "# -*- coding: utf8 -*-" in line)
end = next(i for i in range(start, len(page)) if 'if __name__ == "__main__":' in page[i])
seed = types.ModuleType("ctyun_seed")
exec(compile(textwrap.dedent("\n".join(page[start:end])), "seed-001", "exec"), seed.__dict__)
seed.print_log = lambda *a, **k: None
results = []
for r in json.load(sys.stdin):
    seed.ak, seed.sk = r["ak"], r["sk"]
    original = seed.encode_query_str
    if r["query_mode"] == "wire":
        seed.encode_query_str = lambda query, wire=r["raw_query"]: wire
    try:
        header = seed.build_sign(query_params=r["params"], body_params=r["body"] if r["body"] else {},
                                 eop_date=r["date"], request_uuid=r["request_id"], method=r["method"]).decode("utf8")
        seed_query = original(seed.get_sorted_str(r["params"]))
    finally:
        seed.encode_query_str = original
    results.append({"expected": header, "ok": header == r["authorization"], "seed_query": seed_query})
print(json.dumps(results))
`

interface Verdict {
  expected: string
  ok: boolean
  seed_query: string
}

function verify(requests: RecordedRequest[], queryMode: 'seed' | 'wire', secretKey = SK): Verdict[] {
  const input = requests.map((r) => ({
    ak: AK,
    sk: secretKey,
    method: r.method,
    raw_query: r.rawQuery,
    params: Object.fromEntries(r.query),
    body: r.body.toString('utf8'),
    date: r.headers['eop-date'],
    request_id: r.headers['ctyun-eop-request-id'],
    authorization: r.headers['eop-authorization'],
    query_mode: queryMode,
  }))
  const output = execFileSync('python3', ['-c', VERIFIER, `${SEEDS}/${seedFile}`], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  })
  return JSON.parse(output) as Verdict[]
}

let server: TestServer
beforeAll(async () => {
  server = await startTestServer(() => ok())
})
afterAll(() => server?.close())

const client = () =>
  createCtyunClient({
    credentials: { accessKey: AK, secretKey: SK },
    endpoints: {
      ecs: server.url,
      ebs: server.url,
      image: server.url,
      vpc: server.url,
      cbr: server.url,
      cda: server.url,
    },
  })

describe.skipIf(!!skipReason)(
  `signatures checked by the official Python example's signing code${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('accepts a GET with a plain query, using the example unchanged (its query encoding agrees for plain values)', async () => {
      server.requests.length = 0
      await client().call({
        service: 'image',
        method: 'GET',
        path: '/v4/image/list',
        query: { regionID: '81f7728662dd11ec810800155d307d5b', pageNo: 1, pageSize: 10 },
      })
      const [verdict] = verify(server.requests, 'seed')
      expect(verdict!.ok).toBe(true)
    })

    it('accepts a POST with a Unicode body (hash of the exact UTF-8 bytes sent)', async () => {
      server.requests.length = 0
      await client().call({
        service: 'image',
        method: 'POST',
        path: '/v4/image/create',
        body: { regionID: 'r1', imageName: '镜像-ü-☃', description: 'emoji 🚀 "quoted"' },
      })
      expect(server.requests[0]!.body.toString('utf8')).toContain('镜像-ü-☃')
      const [verdict] = verify(server.requests, 'seed')
      expect(verdict!.ok).toBe(true)
    })

    it("accepts a query with spaces, /, *, '()!~ and Chinese when the query is signed as sent", async () => {
      server.requests.length = 0
      const queryContent = "a b/c*~'()!中"
      await client().call({
        service: 'image',
        method: 'GET',
        path: '/v4/image/list',
        query: { regionID: 'r1', queryContent, pageNo: 1 },
      })
      const [request] = server.requests
      expect(request!.query.get('queryContent')).toBe(queryContent)
      const [verdict] = verify(server.requests, 'wire')
      expect(verdict!.ok).toBe(true)
      // Finding (shared/ctyun-api.md §1.4): the example's own encoding writes space as %20 and keeps "/", unlike Go's
      // url.QueryEscape that the official SDK signs and sends. So the example and the SDK disagree for such values.
      expect(verdict!.seed_query).toBe('pageNo=1&queryContent=a%20b/c%2A~%27%28%29%21%E4%B8%AD&regionID=r1')
      expect(request!.rawQuery).toBe('pageNo=1&queryContent=a+b%2Fc%2A~%27%28%29%21%E4%B8%AD&regionID=r1')
    })

    it('rejects a request signed with another secret key (the verifier can fail)', async () => {
      server.requests.length = 0
      await client().call({ service: 'image', method: 'POST', path: '/v4/image/create', body: { regionID: 'r1' } })
      const [verdict] = verify(server.requests, 'seed', 'another-secret-key-0000000000000')
      expect(verdict!.ok).toBe(false)
    })
  },
)
