import { describe, expect, it } from 'vitest'
import type { CliIO } from '../command'
import { main } from '../main'
import { signedRequestParts } from '../../lib/simulator/test-support'

function captureIO(env: Record<string, string | undefined> = {}) {
  const controller = new AbortController()
  const out: string[] = []
  const err: string[] = []
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: process.cwd(),
    signal: controller.signal,
  }
  return { io, out, err, stop: () => controller.abort() }
}

async function waitForUrl(out: string[]): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const match = /listening on (http:\/\/[^\s]+)/.exec(out.join(''))
    if (match) return match[1]!
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`no URL printed: ${out.join('')}`)
}

describe('ctflow sim', () => {
  it('prints the URL and demo credentials, serves signed calls, and stops on abort', async () => {
    const { io, out, stop } = captureIO()
    const running = main(['sim', '--port', '0', '--seed', '3'], io)
    const url = await waitForUrl(out)
    const ak = /CTYUN_AK=(\S+)/.exec(out.join(''))![1]!
    const sk = /CTYUN_SK=(\S+)/.exec(out.join(''))![1]!
    const { url: path, init } = signedRequestParts({
      path: '/v4/region/list-regions',
      credentials: { accessKey: ak, secretKey: sk },
    })
    const reply = await (await fetch(url + path, init)).json()
    expect(reply.statusCode).toBe(800)
    stop()
    expect(await running).toBe(0)
  })

  it('uses CTYUN_AK/CTYUN_SK without printing the secret key', async () => {
    const credentials = { accessKey: 'user-ak-0123456789abcdef01234567', secretKey: 'user-sk-very-secret-0123456789ab' }
    const { io, out, stop } = captureIO({ CTYUN_AK: credentials.accessKey, CTYUN_SK: credentials.secretKey })
    const running = main(['sim', '--port', '0'], io)
    const url = await waitForUrl(out)
    expect(out.join('')).not.toContain(credentials.secretKey)
    const { url: path, init } = signedRequestParts({ path: '/v4/region/list-regions', credentials })
    expect((await (await fetch(url + path, init)).json()).statusCode).toBe(800)
    stop()
    expect(await running).toBe(0)
  })

  it('loads --fixture and --faults files relative to the working directory', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-sim-cli-'))
    writeFileSync(join(dir, 'tiny.json'), JSON.stringify({ regions: [{ regionID: 'r-only', regionName: 'Only' }] }))
    writeFileSync(join(dir, 'faults.json'), JSON.stringify({ 'ebs.listDisks': { serverErrorRate: 1 } }))
    const { io, out, stop } = captureIO()
    io.cwd = dir
    const running = main(['sim', '--port', '0', '--fixture', 'tiny.json', '--faults', 'faults.json'], io)
    try {
      const url = await waitForUrl(out)
      const ak = /CTYUN_AK=(\S+)/.exec(out.join(''))![1]!
      const sk = /CTYUN_SK=(\S+)/.exec(out.join(''))![1]!
      const regions = signedRequestParts({
        path: '/v4/region/list-regions',
        credentials: { accessKey: ak, secretKey: sk },
      })
      expect(
        (await (await fetch(url + regions.url, regions.init)).json()).returnObj.regionList.map((r: any) => r.regionID),
      ).toEqual(['r-only'])
      const disks = signedRequestParts({
        path: '/v4/ebs/list-ebs',
        query: { regionID: 'r-only' },
        credentials: { accessKey: ak, secretKey: sk },
      })
      expect((await fetch(url + disks.url, disks.init)).status).toBe(503)
    } finally {
      stop()
      expect(await running).toBe(0)
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a --faults file that is not JSON without echoing any of it, naming the line and column', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'ctflow-sim-cli-'))
    try {
      // As if a credentials file were passed by mistake.
      writeFileSync(join(dir, 'oops.json'), 'CTYUN_AK=ak-0123\nCTYUN_SK=sk-9f8e7d6c5b4a39281706\n')
      writeFileSync(
        join(dir, 'tail.json'),
        '{\n  "ebs.listDisks": {"serverErrorRate": 1}\n}\nCTYUN_SK=sk-9f8e7d6c5b4a39281706\n',
      )
      const { io, err } = captureIO()
      io.cwd = dir
      expect(await main(['sim', '--port', '0', '--faults', 'oops.json'], io)).toBe(2)
      expect(await main(['sim', '--port', '0', '--faults', 'tail.json'], io)).toBe(2)
      expect(err.join('')).toBe(
        'ctflow sim: --faults oops.json: not valid JSON (line 1, column 1)\nctflow sim: --faults tail.json: not valid JSON (line 4, column 1)\n',
      )
      const missing = captureIO()
      missing.io.cwd = dir
      expect(await main(['sim', '--port', '0', '--faults', 'nope.json'], missing.io)).toBe(2)
      expect(missing.err.join('')).toBe('ctflow sim: --faults nope.json: file not found\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('rejects bad flags with a usage error and exit code 2', async () => {
    const { io, err } = captureIO()
    expect(await main(['sim', '--port', 'x'], io)).toBe(2)
    expect(err.join('')).toContain('--port')
    const half = captureIO({ CTYUN_AK: 'only-ak' })
    expect(await main(['sim', '--port', '0'], half.io)).toBe(2)
  })

  it('adds --disks labelled disks and throttles past --rate-limit with the chosen --throttle-answer', async () => {
    const { io, out, stop } = captureIO()
    const running = main(
      ['sim', '--port', '0', '--disks', '8', '--rate-limit', '2', '--throttle-answer', 'errorCode'],
      io,
    )
    const url = await waitForUrl(out)
    expect(out.join('')).toContain('8 more disks labelled backup=nightly')
    const state = await (await fetch(`${url}/_sim/state`)).json()
    expect(JSON.stringify(state)).toContain('scale-00002-data-3')
    const ak = /CTYUN_AK=(\S+)/.exec(out.join(''))![1]!
    const sk = /CTYUN_SK=(\S+)/.exec(out.join(''))![1]!
    const codes: number[] = []
    for (let i = 0; i < 4; i++) {
      const { url: path, init } = signedRequestParts({
        path: '/v4/region/list-regions',
        credentials: { accessKey: ak, secretKey: sk },
      })
      codes.push((await (await fetch(url + path, init)).json()).statusCode)
    }
    // Two a second with a burst of two: the calls after the burst are refused (unless a second passed meanwhile).
    expect(codes.slice(0, 2)).toEqual([800, 800])
    expect(codes).toContain(900)
    const calls = await (await fetch(`${url}/_sim/calls`)).json()
    expect(calls.throttledByOperation['regions.list']).toBe(codes.filter((c) => c === 900).length)
    stop()
    expect(await running).toBe(0)
  })

  it('rejects a bad --disks, --rate-limit or --throttle-answer naming the flag', async () => {
    for (const [argv, flag] of [
      [['--disks', '-1'], '--disks'],
      [['--rate-limit', '0'], '--rate-limit'],
      [['--rate-limit', '5', '--throttle-answer', '418'], '--throttle-answer'],
      [['--throttle-answer', 'http429'], '--rate-limit'],
    ] as const) {
      const { io, err } = captureIO()
      expect(await main(['sim', '--port', '0', ...argv], io)).toBe(2)
      expect(err.join('')).toContain(flag)
    }
  })
})
