// The console over the real engine (memory store, fake clock), in process with app.request(): sign-in, the session
// cookie, what needs a session, cross-site refusal, and that the API token never appears in a page or a header.
import { describe, expect, it } from 'vitest'
import { createActionRegistry, type WorkflowDefinition } from '../../../lib/engine'
import { assembleEngine } from '../../../lib/engine/assemble-engine'
import { createMemoryStore } from '../../../lib/engine/stores/memory-store'
import { validateWorkflow } from '../../../lib/engine/validate'
import { createHttpApp } from '../app'
import { createSignInCodes } from './sign-in-codes'

const TOKEN = 'console-test-token-5c1d9e'
const HOUR = 3_600_000

const FAILING: WorkflowDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Task', Resource: 'test:explode', Next: 'Work' },
    Work: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}
const WAITING: WorkflowDefinition = {
  StartAt: 'Nap',
  States: { Nap: { Type: 'Wait', Seconds: 3600, Next: 'After' }, After: { Type: 'Pass', End: true } },
}
const FANOUT: WorkflowDefinition = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Item',
        States: { Item: { Type: 'Pass', End: true } },
      },
      End: true,
    },
  },
}
const SCHEMA = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$', description: 'Lower-case letters.' },
    count: { type: 'integer', minimum: 1 },
    options: { type: 'object' },
  },
  examples: [{ name: 'alpha', count: 2, options: { fast: true } }],
}

function setup() {
  let now = Date.UTC(2026, 11, 5, 3, 0, 0)
  const clock = { now: () => now, sleep: async () => {} }
  const actions = createActionRegistry().register('test:explode', {
    call: () => {
      throw Object.assign(new Error('the disk exploded'), { name: 'Test.Exploded' })
    },
  })
  const store = createMemoryStore()
  const engine = assembleEngine({
    store,
    actions,
    clock,
    validate: validateWorkflow,
    workflows: [
      { name: 'failing', definition: FAILING },
      { name: 'waiting', definition: WAITING },
      { name: 'fanout', definition: FANOUT },
      { name: 'greet', definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, inputSchema: SCHEMA },
    ],
  })
  const logs: string[] = []
  const signInCodes = createSignInCodes({ now: () => now })
  const app = createHttpApp({
    engine,
    webhookSecrets: [],
    apiToken: TOKEN,
    now: () => now,
    log: (line) => logs.push(line),
    signInCodes,
  })
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers)
    if (init.cookie) headers.set('cookie', init.cookie)
    return app.request(`http://localhost${path}`, { ...init, headers })
  }
  const post = (
    path: string,
    form: Record<string, string>,
    init: { cookie?: string; headers?: Record<string, string> } = {},
  ) =>
    request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
      cookie: init.cookie,
    })
  const signIn = async () => {
    const response = await post('/console/login', { token: TOKEN })
    expect(response.status).toBe(303)
    return response.headers.get('set-cookie')!.split(';')[0]!
  }
  const formToken = async (cookie: string) => {
    const page = await (await request('/console', { cookie })).text()
    return /name="csrf" value="([^"]+)"/.exec(page)![1]!
  }
  return {
    engine,
    app,
    logs,
    signInCodes,
    request,
    post,
    signIn,
    formToken,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('console sign-in and session', () => {
  it('shows the sign-in page at /console without a session, and redirects every other page there', async () => {
    const { request, engine } = setup()
    const { run } = await engine.start({ workflow: 'waiting', input: {} })
    const signInPage = await request('/console')
    expect(signInPage.status).toBe(200)
    expect(await signInPage.text()).toMatch(/<input id="token" name="token" type="password"/)
    for (const path of [`/console/runs/${run.id}`, '/console/workflows', '/console/workflows/greet/start']) {
      const response = await request(path)
      expect([path, response.status, response.headers.get('location')]).toEqual([path, 303, '/console'])
    }
  })

  it('refuses POSTs and live updates without a session (401), changing nothing', async () => {
    const { request, post, engine } = setup()
    const { run } = await engine.start({ workflow: 'waiting', input: {} })
    for (const path of [`/console/runs/${run.id}/cancel`, '/console/workflows/greet/start', '/console/logout']) {
      expect((await post(path, { name: 'x' })).status, path).toBe(401)
    }
    expect((await request(`/console/runs/${run.id}/live`)).status).toBe(401)
    expect((await engine.get(run.id))!.cancelRequested).toBe(false)
    expect((await engine.list({ workflow: 'greet' })).runs).toEqual([])
  })

  it('signs in with the API token: a signed, HttpOnly, SameSite=Strict cookie with an expiry, Secure over https', async () => {
    const { post, app } = setup()
    const wrong = await post('/console/login', { token: 'not-it' })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(await wrong.text()).toContain('That is not the API token.')

    const ok = await post('/console/login', { token: TOKEN })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/console')
    const cookie = ok.headers.get('set-cookie')!
    expect(cookie).toMatch(/^ctflow_console=[^;]+; Max-Age=28800; Path=\/console; HttpOnly; SameSite=Strict$/)
    expect(cookie).not.toContain(TOKEN)

    const https = await app.request('https://console.example/console/login', {
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(https.headers.get('set-cookie')).toMatch(/; Secure/)
  })

  it('refuses a tampered cookie, an expired session (8 h) and one ended by sign-out', async () => {
    const { request, post, signIn, formToken, advance } = setup()
    const cookie = await signIn()
    expect((await request('/console', { cookie })).status).toBe(200)
    expect(await (await request('/console', { cookie })).text()).toContain('<h1>Runs</h1>')

    const [name, value] = cookie.split('=') as [string, string]
    const tampered = `${name}=${value.replace(/^\d/, (d) => String((Number(d) + 1) % 10))}`
    expect(await (await request('/console', { cookie: tampered })).text()).toContain('name="token"')

    advance(8 * HOUR + 1)
    expect(await (await request('/console', { cookie })).text()).toContain('name="token"')

    const fresh = await signIn()
    const out = await post('/console/logout', { csrf: await formToken(fresh) }, { cookie: fresh })
    expect(out.status).toBe(303)
    expect(out.headers.get('set-cookie')).toMatch(/^ctflow_console=; Max-Age=0/)
    expect(await (await request('/console', { cookie: fresh })).text()).toContain('name="token"')
  })

  it('a one-time sign-in link works once, within its lifetime, and holds no token', async () => {
    const { request, signInCodes, advance } = setup()
    const code = signInCodes.issue()
    expect(code).not.toContain(TOKEN)
    const first = await request(`/console/sign-in?code=${code}`)
    expect(first.status).toBe(303)
    expect(first.headers.get('set-cookie')).toMatch(/^ctflow_console=/)
    expect((await request(`/console/sign-in?code=${code}`)).status).toBe(401)
    const late = signInCodes.issue()
    advance(5 * 60_000 + 1)
    expect((await request(`/console/sign-in?code=${late}`)).status).toBe(401)
    expect((await request('/console/sign-in?code=made-up')).status).toBe(401)
  })
})

describe('console actions against cross-site requests', () => {
  it('refuses a cross-site POST (Origin or Sec-Fetch-Site) and one without the form token, cancelling nothing', async () => {
    const { post, signIn, formToken, engine } = setup()
    const { run } = await engine.start({ workflow: 'waiting', input: {} })
    const cookie = await signIn()
    const csrf = await formToken(cookie)
    const cancel = `/console/runs/${run.id}/cancel`
    expect((await post(cancel, { csrf }, { cookie, headers: { origin: 'https://evil.example' } })).status).toBe(403)
    expect((await post(cancel, { csrf }, { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403)
    expect((await post(cancel, {}, { cookie })).status).toBe(403)
    expect((await post(cancel, { csrf: 'forged' }, { cookie })).status).toBe(403)
    expect((await engine.get(run.id))!.cancelRequested).toBe(false)
    expect(
      (await post('/console/login', { token: TOKEN }, { headers: { origin: 'https://evil.example' } })).status,
    ).toBe(403)

    const same = await post(
      cancel,
      { csrf },
      { cookie, headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' } },
    )
    expect(same.status).toBe(303)
    expect(same.headers.get('location')).toBe(`/console/runs/${run.id}?notice=cancelled`)
    expect((await engine.get(run.id))!.status).toBe('ABORTED')
  })

  it('never puts the API token in a page, a header or a log', async () => {
    const { request, post, signIn, formToken, engine, logs } = setup()
    const failed = (await engine.start({ workflow: 'failing', input: { note: 'x' } })).run
    await engine.advance(failed.id, { deadline: Number.MAX_SAFE_INTEGER })
    const cookie = await signIn()
    const csrf = await formToken(cookie)
    const responses = await Promise.all([
      request('/console'),
      request('/console', { cookie }),
      request(`/console/runs/${failed.id}`, { cookie }),
      request(`/console/runs/${failed.id}/live`, { cookie }),
      request('/console/workflows', { cookie }),
      request('/console/workflows/greet/start', { cookie }),
      post('/console/workflows/greet/start', { csrf, name: 'BAD' }, { cookie }),
      post('/console/login', { token: `${TOKEN}x` }),
    ])
    for (const response of responses) {
      expect(await response.text()).not.toContain(TOKEN)
      for (const [, value] of response.headers) expect(value).not.toContain(TOKEN)
    }
    expect(logs.join('\n')).not.toContain(TOKEN)
  })
})

describe('console pages', () => {
  it('lists runs newest first with status, workflow, start, duration and error; filters and pages', async () => {
    const { request, signIn, engine, advance } = setup()
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      const { run } = await engine.start({ workflow: i % 3 === 0 ? 'failing' : 'waiting', input: {} })
      // Only the failing ones are advanced: a Wait inside an unbounded budget would be slept through on this clock.
      if (i % 3 === 0) await engine.advance(run.id, { deadline: Number.MAX_SAFE_INTEGER })
      ids.push(run.id)
      advance(1_000)
    }
    const cookie = await signIn()
    const first = await (await request('/console', { cookie })).text()
    const rows = [...first.matchAll(/<tr data-run="([^"]+)" data-status="([^"]+)">/g)]
    expect(rows.map((m) => m[1])).toEqual(ids.slice().reverse().slice(0, 25))
    expect(first).toContain('<span class="error">Test.Exploded</span>')
    const next = /rel="next" href="([^"]+)"/.exec(first)![1]!.replace(/&amp;/g, '&')
    const second = await (await request(next, { cookie })).text()
    expect([...second.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1])).toEqual(ids.slice(0, 5).reverse())

    const failedOnly = await (await request('/console?status=FAILED', { cookie })).text()
    const failedRows = [...failedOnly.matchAll(/<tr data-run="[^"]+" data-status="([^"]+)">/g)].map((m) => m[1])
    expect(failedRows).toHaveLength(10)
    expect(new Set(failedRows)).toEqual(new Set(['FAILED']))
    const waitingOnly = await (await request('/console?workflow=waiting', { cookie })).text()
    expect([...waitingOnly.matchAll(/<tr data-run=/g)]).toHaveLength(20)
  })

  it("draws a failed run's graph: the failing state failed, those after it not run, its error in its details", async () => {
    const { request, signIn, engine } = setup()
    const { run } = await engine.start({ workflow: 'failing', input: {} })
    await engine.advance(run.id, { deadline: Number.MAX_SAFE_INTEGER })
    const cookie = await signIn()
    const page = await (await request(`/console/runs/${run.id}`, { cookie })).text()
    const statuses = Object.fromEntries(
      [...page.matchAll(/data-state="([^"]+)" data-status="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    )
    expect(statuses).toEqual({ Prepare: 'failed', Work: 'not-run', Done: 'not-run' })
    expect(page).toMatch(/<section class="details" id="state-1" data-state="Prepare">.*Test\.Exploded/s)
    expect(page).toContain('the disk exploded')
    expect(page).not.toContain('data-live-url')
  })

  it('starts a run from the form prefilled with the schema example; shows each schema error beside its field', async () => {
    const { request, post, signIn, formToken, engine } = setup()
    const cookie = await signIn()
    const form = await (await request('/console/workflows/greet/start', { cookie })).text()
    expect(form).toContain('name="name" value="alpha"')
    expect(form).toContain('name="count" value="2"')
    expect(form).toMatch(/<textarea[^>]*name="options"[^>]*>\{\n {2}&quot;fast&quot;: true\n\}<\/textarea>/)

    const csrf = await formToken(cookie)
    const bad = await post(
      '/console/workflows/greet/start',
      { csrf, name: 'UPPER', count: '0', options: '{oops' },
      { cookie },
    )
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toMatch(/data-field="options">.*is not valid JSON.*?<\/div>/s)
    const fixedJson = await post('/console/workflows/greet/start', { csrf, name: 'UPPER', count: '0' }, { cookie })
    const problems = await fixedJson.text()
    expect(problems).toMatch(/data-field="name">(?:(?!data-field=).)*class="problem"[^>]*>must match \^\[a-z\]\+\$</s)
    expect(problems).toMatch(/data-field="count">(?:(?!data-field=).)*class="problem"[^>]*>must be ≥ 1</s)
    expect((await engine.list({ workflow: 'greet' })).runs).toEqual([])

    const ok = await post('/console/workflows/greet/start', { csrf, name: 'beta', count: '3' }, { cookie })
    expect(ok.status).toBe(303)
    const [started] = (await engine.list({ workflow: 'greet' })).runs
    expect(ok.headers.get('location')).toBe(`/console/runs/${started!.id}?notice=started`)
    expect((await engine.get(started!.id))!.input).toEqual({ name: 'beta', count: 3 })
  })

  it("lists a distributed Map's child runs under their parent, not in the main list; the Map links to them", async () => {
    const { request, signIn, engine } = setup()
    const { run } = await engine.start({ workflow: 'fanout', input: { items: [1, 2, 3] } })
    const done = await (engine as unknown as { runToEnd(id: string): Promise<{ status: string }> }).runToEnd(run.id)
    expect(done.status).toBe('SUCCEEDED')
    const children = (await engine.list({ parentId: run.id })).runs
    expect(children).toHaveLength(3)
    const cookie = await signIn()
    const main = await (await request('/console', { cookie })).text()
    expect([...main.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1])).toEqual([run.id])
    const page = await (await request(`/console/runs/${run.id}`, { cookie })).text()
    expect(page).toMatch(/data-state="Each" data-status="succeeded"/)
    expect(page).toMatch(/data-state="Item" data-status="succeeded"/)
    expect(page).toMatch(/data-map-items>Items: 3 in all; 3 started, 3 succeeded, 0 failed/)
    expect(page).toContain(`href="/console?parent=${run.id}"`)
    const listed = await (await request(`/console?parent=${run.id}`, { cookie })).text()
    expect(new Set([...listed.matchAll(/<tr data-run="([^"]+)"/g)].map((m) => m[1]))).toEqual(
      new Set(children.map((c) => c.id)),
    )
    const child = await (await request(`/console/runs/${children[0]!.id}`, { cookie })).text()
    expect(child).toContain(`<a href="/console/runs/${run.id}">${run.id}</a>`)
  })

  it('serves its stylesheet and script itself, and pages from no other origin', async () => {
    const { request, signIn } = setup()
    const css = await request('/console/assets/console.css')
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    const js = await request('/console/assets/console.js')
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    const page = await (await request('/console', { cookie: await signIn() })).text()
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//)
  })
})
