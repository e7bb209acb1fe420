// `ctflow demo --console`: the demo job runs, the console keeps serving until the signal, and the printed sign-in link
// (a single-use code, never the token) signs a browser in once.
import { describe, expect, it } from 'vitest'
import { main } from '../main'

describe('ctflow demo --console', () => {
  it('serves the console after the job, with a one-time sign-in link holding no token, until stopped', async () => {
    const out: string[] = []
    const err: string[] = []
    const stop = new AbortController()
    const token = 'demo-console-test-token-1234567890'
    let serving!: () => void
    const ready = new Promise<void>((resolve) => {
      serving = resolve
    })
    const io = {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => {
        err.push(t)
        if (t.includes('is still serving')) serving()
      },
      env: { CTFLOW_API_TOKEN: token },
      cwd: process.cwd(),
      signal: stop.signal,
    }
    const exit = main(['demo', '--fast', '--console', '--port', '0'], io)
    await ready
    const links = [...err.join('').matchAll(/(http:\/\/127\.0\.0\.1:\d+)\/console\/sign-in\?code=([\w-]+)/g)]
    expect(links).toHaveLength(2)
    const [, base, code] = links[0]!
    const first = await fetch(`${base}/console/sign-in?code=${code}`, { redirect: 'manual' })
    expect(first.status).toBe(303)
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!
    const list = await (await fetch(`${base}/console`, { headers: { cookie } })).text()
    expect(list).toContain('snapshot-then-backup')
    expect(list).toContain('data-status="SUCCEEDED"')
    expect((await fetch(`${base}/console/sign-in?code=${code}`, { redirect: 'manual' })).status).toBe(401)

    stop.abort()
    expect(await exit).toBe(0)
    expect(out.join('') + err.join('')).not.toContain(token)
    await expect(fetch(`${base}/console`)).rejects.toThrow()
  })

  it('refuses a port that is not one', async () => {
    const err: string[] = []
    const io = {
      stdout: () => {},
      stderr: (t: string) => void err.push(t),
      env: {},
      cwd: process.cwd(),
      signal: new AbortController().signal,
    }
    expect(await main(['demo', '--console', '--port', 'eighty'], io)).toBe(2)
    expect(err.join('')).toContain('--port must be a port number')
  })
})
