/**
 * Acceptance: the official CTyun Python sample — the py3 variant in shared/seeds/001_*.txt — runs
 * unchanged against the simulator. The sample's code is extracted from the seed page at test time (never copied into
 * the repo); only `ak`, `sk` and the URLs are ours. Region list, disk list and snapshot creation must succeed; the
 * same calls signed with a wrong SK must get the signature error.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from './server'
import { startSimulator } from './server'

const SEEDS = '/work/shared/seeds'
const seedFile = existsSync(SEEDS) ? readdirSync(SEEDS).find((f) => f.startsWith('001_')) : undefined

/** The sample's code: from its coding line up to (not including) its `if __name__ == "__main__":` block, dedented. */
function extractSample(page: string): string {
  const lines = page.split('\n')
  const start = lines.findIndex((l) => l.includes('# -*- coding: utf8 -*-'))
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('if __name__ == "__main__":'))
  if (start < 0 || end < 0) throw new Error('the seed page no longer holds the Python sample')
  const body = lines.slice(start, end)
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length))
  return body.map((l) => l.slice(indent)).join('\n')
}

// Our driver, appended after the sample's functions: calls them and prints one JSON line per reply.
const DRIVER = `
import json as _json, sys as _sys
ak, sk, _base, _region, _disk = _sys.argv[1:6]
def _report(name, res):
    body = res.json()
    print("RESULT " + _json.dumps({"name": name, "http": res.status_code, "statusCode": body.get("statusCode"), "errorCode": body.get("errorCode"), "returnObj": body.get("returnObj")}))
_report("regions", get(url=_base + "/v4/region/list-regions", params={}))
_report("disks", get(url=_base + "/v4/ebs/list-ebs", params={"regionID": _region, "pageNo": 1, "pageSize": 10}))
_report("snapshot", post(url=_base + "/v4/ebs_snapshot/create-ebs-snap", params={"regionID": _region, "diskID": _disk, "snapshotName": "py-snap-" + str(uuid.uuid4())[:8], "retentionPolicy": "custom", "retentionTime": 7}))
`

function runPython(script: string, args: string[], env: Record<string, string>): Promise<Array<Record<string, any>>> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      [script, ...args],
      {
        env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...env },
        timeout: 60_000,
      },
      (error, stdout) => {
        // The sample logs its headers and signature; only our RESULT lines are read (and ever shown).
        const results = stdout
          .split('\n')
          .filter((l) => l.startsWith('RESULT '))
          .map((l) => JSON.parse(l.slice(7)))
        if (error && results.length === 0) reject(new Error(`python3 failed: ${error.message.split('\n')[0]}`))
        else resolve(results)
      },
    )
  })
}

const hasPythonRequests = await new Promise<boolean>((resolve) => {
  if (!seedFile) return resolve(false)
  execFile('python3', ['-c', 'import requests'], (error) => resolve(!error))
})

describe.skipIf(!hasPythonRequests)(
  'official Python sample against the simulator (reason if skipped: needs python3 + requests and shared/seeds/001_*.txt)',
  () => {
    let sim: RunningSimulator
    let dir: string
    let script: string
    const HD1 = 'bb9fdb42056f11eda1610242ac110002'
    const DISK_WITH_SNAPSHOTS = '5d0c1e2f-0004-4c7a-8e4b-a1b2c3d4e504'

    beforeAll(async () => {
      sim = await startSimulator({ port: 0 })
      dir = mkdtempSync(join(tmpdir(), 'ctflow-seed-'))
      script = join(dir, 'sample.py')
      writeFileSync(script, `${extractSample(readFileSync(join(SEEDS, seedFile!), 'utf8'))}\n${DRIVER}`)
    })
    afterAll(async () => {
      await sim.close()
      rmSync(dir, { recursive: true, force: true })
    })

    for (const [zone, tz] of [
      ['machine-local UTC', 'UTC'],
      ['Beijing wall-clock', 'Asia/Shanghai'],
    ] as const) {
      it(`gets success replies for region list, disk list and snapshot creation (eop-date in ${zone})`, async () => {
        const before = sim.simulator.calls.count('ebs.createSnapshot')
        const results = await runPython(
          script,
          [sim.credentials.accessKey, sim.credentials.secretKey, sim.url, HD1, DISK_WITH_SNAPSHOTS],
          { TZ: tz },
        )
        expect(results.map((r) => [r.name, r.http, r.statusCode])).toEqual([
          ['regions', 200, 800],
          ['disks', 200, 800],
          ['snapshot', 200, 800],
        ])
        expect(results[0]!.returnObj.regionList.length).toBeGreaterThan(0)
        expect(results[1]!.returnObj.diskList.length).toBeGreaterThan(0)
        expect(results[2]!.returnObj.snapshotJobID).toBeTruthy()
        expect(sim.simulator.calls.count('ebs.createSnapshot')).toBe(before + 1)
        // Let the snapshot finish so the next run's snapshot is not refused as "disk busy".
        sim.simulator.clock.advance(60_000)
      }, 60_000)
    }

    it('gets the signature error for the same calls signed with a wrong SK', async () => {
      const results = await runPython(
        script,
        [sim.credentials.accessKey, 'wrong-secret-key-0123456789abcde', sim.url, HD1, DISK_WITH_SNAPSHOTS],
        {},
      )
      expect(results).toHaveLength(3)
      for (const r of results)
        expect(r).toMatchObject({ http: 401, statusCode: 900, errorCode: 'Openapi.Auth.SignatureMismatch' })
    }, 60_000)
  },
)
