// The run console in a real headless Chromium (Debian's package, driven by playwright-core) against `ctflow serve`'s
// Node adapter, the real engine, and the nightly job on the CTyun simulator over real HTTP. Without the browser this
// test fails and says how to install it: it never passes or skips silently.
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startNodeServer } from '../../functions/node'
import { loadFunctionsConfig } from '../../lib/config'
import { createCtyunClient, CTYUN_SERVICES, type CtyunEndpoints } from '../../lib/ctyun'
import { type Engine, loadWorkflowFile, type WorkflowDefinition } from '../../lib/engine'
import { createEngine } from '../../lib/engine/create-engine'
import { createMemoryStore } from '../../lib/engine/stores/memory-store'
import { createProductActions } from '../../lib/jobs/product-actions'
import { startSimulator } from '../../lib/simulator'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const TOKEN = 'browser-test-token-7a3f0c2e9d'
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))
const NIGHTLY = 'snapshot-then-backup'
const REGION = 'bb9fdb42056f11eda1610242ac110002'

const GATED: WorkflowDefinition = {
  StartAt: 'Gate',
  States: {
    Gate: { Type: 'Task', Resource: 'test:gate', Next: 'Finish' },
    Finish: { Type: 'Pass', Result: 'done', End: true },
  },
}
const NAP: WorkflowDefinition = {
  StartAt: 'Nap',
  States: { Nap: { Type: 'Wait', Seconds: 3600, Next: 'After' }, After: { Type: 'Pass', End: true } },
}

let sim: Awaited<ReturnType<typeof startSimulator>>
let server: Awaited<ReturnType<typeof startNodeServer>>
let engine: Engine & { runToEnd(id: string): Promise<{ id: string; status: string }> }
let browser: Browser
let context: BrowserContext
let page: Page
let releaseGate: () => void = () => {}
let failedRunId: string
const logs: string[] = []

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the console's browser test needs it. Install Debian's package (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
    )
  }
  sim = await startSimulator({ port: 0, durations: 'fast', seed: 2026 })
  const endpoints = Object.fromEntries(CTYUN_SERVICES.map((service) => [service, sim.url])) as CtyunEndpoints
  const actions = createProductActions(createCtyunClient({ credentials: sim.credentials, endpoints }))
  // The gated run stays in "Gate" until the test lets it go: a running run whose end the test decides.
  const gate = new Promise<void>((resolve) => {
    releaseGate = resolve
  })
  actions.register('test:gate', { call: async () => gate.then(() => 'open') })
  engine = createEngine({
    store: createMemoryStore(),
    actions,
    workflows: [
      await loadWorkflowFile(fileURLToPath(new URL(`../../workflows/${NIGHTLY}.json`, import.meta.url))),
      { name: 'gated', definition: GATED },
      { name: 'nap', definition: NAP },
    ],
  }) as typeof engine
  server = await startNodeServer({
    config: loadFunctionsConfig({ CTFLOW_API_TOKEN: TOKEN, CTFLOW_STORE: 'memory' }),
    openEngine: async () => ({ engine, close: async () => {} }),
    port: 0,
    schedules: [],
    workerIdleMs: 50,
    log: (line) => logs.push(line),
  })
  // A nightly run that fails in its first state: the region does not exist.
  const failed = await engine.start({ workflow: NIGHTLY, input: { regionID: 'no-such-region' } })
  failedRunId = failed.run.id
  expect((await engine.runToEnd(failedRunId)).status).toBe('FAILED')

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  page = await context.newPage()
}, 60_000)

afterAll(async () => {
  releaseGate()
  await browser?.close()
  await server?.close()
  await sim?.close()
})

describe('the run console in a browser', { timeout: 60_000 }, () => {
  it('signs in with the API token and shows the runs list', async () => {
    await page.goto(`${server.url}/console`)
    await page.fill('input[name="token"]', TOKEN)
    await page.click('button[type="submit"]')
    await page.waitForSelector('h1:text("Runs")')
    const row = page.locator(`tr[data-run="${failedRunId}"]`)
    expect(await row.getAttribute('data-status')).toBe('FAILED')
    expect(await row.textContent()).toContain('Ctyun.NotFound')
    expect(await row.textContent()).toContain(NIGHTLY)
  })

  it('opens a failed nightly run: the failing state is failed, those after it not run; a click shows the error', async () => {
    await page.click(`tr[data-run="${failedRunId}"] a`)
    await page.waitForSelector('svg.graph')
    const status = (state: string) => page.getAttribute(`svg.graph [data-state="${state}"]`, 'data-status')
    expect(await status('Prepare')).toBe('failed')
    for (const after of [
      'SnapshotDisks',
      'Snapshot',
      'FindPolicies',
      'BackupInstances',
      'PlanPrunes',
      'Report',
      'Done',
    ])
      expect([after, await status(after)]).toEqual([after, 'not-run'])

    const details = page.locator('section.details[data-state="Prepare"]')
    expect(await details.isVisible()).toBe(false)
    await page.click('svg.graph [data-state="Prepare"] a.state-link')
    await details.waitFor({ state: 'visible' })
    const text = await details.textContent()
    expect(text).toContain('Ctyun.NotFound')
    expect(text).toContain('no-such-region')
    expect(await page.getAttribute('svg.graph [data-state="Prepare"]', 'class')).toContain('selected')

    mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: `${ARTIFACTS}console-run-page.png`, fullPage: true })
    expect(existsSync(`${ARTIFACTS}console-run-page.png`)).toBe(true)
  })

  it('watches a running run turn succeeded live, without a reload', async () => {
    const { run } = await engine.start({ workflow: 'gated', input: {} })
    await page.goto(`${server.url}/console/runs/${run.id}`)
    expect(await page.getAttribute('.run', 'data-run-status')).toBe('RUNNING')
    expect(await page.getAttribute('svg.graph [data-state="Finish"]', 'data-status')).toBe('not-run')
    await page.evaluate(() => {
      ;(window as unknown as { notReloaded: boolean }).notReloaded = true
    })
    releaseGate()
    await page.waitForSelector('svg.graph [data-state="Finish"][data-status="succeeded"]', { timeout: 30_000 })
    await page.waitForSelector('.run[data-run-status="SUCCEEDED"]')
    expect(await page.getAttribute('svg.graph [data-state="Gate"]', 'data-status')).toBe('succeeded')
    expect(await page.locator('[data-part="summary"]').textContent()).toContain('SUCCEEDED')
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
  })

  it('cancels a running run', async () => {
    const { run } = await engine.start({ workflow: 'nap', input: {} })
    await page.goto(`${server.url}/console/runs/${run.id}`)
    await page.click('button[data-action="cancel"]')
    await page.waitForSelector('.notice:text("Cancellation requested")')
    expect((await engine.get(run.id))!.status).toBe('ABORTED')
    expect(await page.getAttribute('.run', 'data-run-status')).toBe('ABORTED')
  })

  it('starts a run from the form prefilled with the schema example, showing a schema error beside its field', async () => {
    await page.goto(`${server.url}/console/workflows`)
    await page.click(`a:text("${NIGHTLY}")`)
    expect(await page.inputValue('[data-field="regionID"] input')).toBe(REGION)
    await page.fill('[data-field="snapshotPrefix"] input', '9-starts-with-a-digit')
    await page.click('button:text("Start run")')
    const problem = page.locator('[data-field="snapshotPrefix"] .problem')
    await problem.waitFor()
    expect(await problem.textContent()).toContain('must match')
    expect(await page.locator('.problem').count()).toBe(1)

    await page.fill('[data-field="snapshotPrefix"] input', 'fromconsole')
    await page.click('button:text("Start run")')
    await page.waitForURL(/\/console\/runs\/[\w-]+\?notice=started$/)
    const id = new URL(page.url()).pathname.split('/').at(-1)!
    expect((await engine.get(id))!.input).toMatchObject({ regionID: REGION, snapshotPrefix: 'fromconsole' })
    await page.waitForSelector('.run[data-run-status="SUCCEEDED"]', { timeout: 45_000 })
  })

  it('refuses a cross-site form post, even with the session cookie and the form token', async () => {
    const { run } = await engine.start({ workflow: 'nap', input: {} })
    await page.goto(`${server.url}/console/runs/${run.id}`)
    const csrf = await page.getAttribute('input[name="csrf"]', 'value')
    // Another origin (the simulator's port): a page there posts the cancel form to the console.
    await page.goto(`${sim.url}/elsewhere`)
    await page.evaluate(
      ({ action, token }) => {
        const form = document.createElement('form')
        form.method = 'post'
        form.action = action
        const input = document.createElement('input')
        input.name = 'csrf'
        input.value = token
        form.append(input)
        document.body.append(form)
        form.submit()
      },
      { action: `${server.url}/console/runs/${run.id}/cancel`, token: csrf! },
    )
    await page.waitForSelector('h1:text("Refused")')
    expect((await engine.get(run.id))!.cancelRequested).toBe(false)
    expect((await engine.get(run.id))!.status).toBe('RUNNING')
  })

  it('reads without JavaScript: the graph is in the HTML and a click on a state opens its details by fragment', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false })
    const plain = await noScript.newPage()
    await plain.goto(`${server.url}/console`)
    await plain.fill('input[name="token"]', TOKEN)
    await plain.click('button[type="submit"]')
    await plain.waitForSelector('h1:text("Runs")')
    await plain.goto(`${server.url}/console/runs/${failedRunId}`)
    expect(await plain.getAttribute('svg.graph [data-state="Prepare"]', 'data-status')).toBe('failed')
    await plain.click('svg.graph [data-state="Prepare"] a.state-link')
    const details = plain.locator('section.details[data-state="Prepare"]')
    await details.waitFor({ state: 'visible' })
    expect(await details.textContent()).toContain('Ctyun.NotFound')
    await noScript.close()
  })

  it('loads nothing from another origin', async () => {
    const origins = new Set<string>()
    const listener = (request: { url(): string }) => void origins.add(new URL(request.url()).origin)
    page.on('request', listener)
    await page.goto(`${server.url}/console/runs/${failedRunId}`)
    await page.waitForLoadState('networkidle')
    page.off('request', listener)
    expect([...origins]).toEqual([server.url])
  })

  it('without a session, sends every console page to the sign-in page', async () => {
    const fresh = await browser.newContext()
    const anonymous = await fresh.newPage()
    for (const path of [`/console/runs/${failedRunId}`, '/console/workflows', `/console/workflows/${NIGHTLY}/start`]) {
      await anonymous.goto(`${server.url}${path}`)
      expect(new URL(anonymous.url()).pathname).toBe('/console')
      expect(await anonymous.locator('input[name="token"]').count()).toBe(1)
    }
    await fresh.close()
    expect(logs.join('\n')).not.toContain(TOKEN)
  })
})
