import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono/tiny'
import {
  EngineInputError,
  type Engine,
  type RunRecord,
  type RunStatus,
  UnknownWorkflowError,
  InvalidCursorError,
} from '../../../lib/engine'
import { constantTimeEqual } from '../constant-time'
import { readBodyLimited } from '../read-body'
import { CONSOLE_CSS, CONSOLE_JS } from './console-assets'
import { messagePage, RUN_STATUSES, runsListPage, signInPage, workflowsPage } from './console-pages'
import { type ConsoleSession, createConsoleSessions, isCrossSite } from './console-session'
import { loadRunView, renderRunPage, renderRunParts } from './run-page'
import type { SignInCodes } from './sign-in-codes'
import { addSchemaProblem, exampleValues, formFields, readForm, renderStartForm } from './start-form'

export interface ConsoleOptions {
  engine: Engine
  /** CTFLOW_API_TOKEN: what one signs in with. Unset: the console shows that it is disabled and lets no one in. */
  apiToken?: string
  /** One-time sign-in codes (`ctflow demo --console`); without, GET /console/sign-in refuses every code. */
  signInCodes?: SignInCodes
  /** Called after the start form created a run (the Node adapter starts advancing it). */
  onRunCreated?: (run: RunRecord, c: Context) => Promise<void> | void
  now?: () => number
  log?: (line: string) => void
}

const PAGE_SIZE = 25
const MAX_FORM_BYTES = 256 * 1024
const NOTICES: Record<string, string> = {
  cancelled: 'Cancellation requested: the run stops at its next step.',
  finished: 'The run had already finished; there was nothing to cancel.',
  started: 'Run started.',
}

type Env = { Variables: { session: ConsoleSession; formToken: string } }

/**
 * The run console, a Hono app of its own under /console, loaded by the HTTP app with `import()` on the first console
 * request (so its code, and the graph layout's, stay out of the Lambda cold start). Server-rendered HTML and SVG; the
 * script it serves only adds clicks and live updates. Every page needs a session; every POST is checked against
 * cross-site requests (Sec-Fetch-Site/Origin, the SameSite=Strict cookie, and a form token bound to the session).
 * @example const app = createConsoleApp({ engine, apiToken }); await app.request('/console')
 */
export function createConsoleApp(options: ConsoleOptions): Hono<Env> {
  const { engine, apiToken, signInCodes, onRunCreated, now = () => Date.now(), log = (l) => console.error(l) } = options
  const sessions = apiToken ? createConsoleSessions({ apiToken, now }) : undefined
  const app = new Hono<Env>()

  app.onError((error, c) => {
    const id = crypto.randomUUID()
    log(`ctflow console ${c.req.method} ${c.req.path} → 500 [${id}]: ${error.name}: ${error.message}`)
    return c.html(messagePage({ title: 'Error' }, 'Something went wrong', `The server logged it as ${id}.`), 500)
  })
  app.notFound((c) =>
    c.html(messagePage({ title: 'Not found' }, 'Not found', `No console page at ${c.req.path}.`), 404),
  )

  // Every response: no framing by other sites, no caching of pages that show run data.
  app.use('*', async (c, next) => {
    await next()
    c.header('x-frame-options', 'DENY')
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'same-origin')
    if (!c.req.path.startsWith('/console/assets/')) {
      c.header('cache-control', 'no-store')
      c.header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      )
    }
  })

  app.get('/console/assets/console.css', (c) => asset(c, CONSOLE_CSS, 'text/css; charset=utf-8'))
  app.get('/console/assets/console.js', (c) => asset(c, CONSOLE_JS, 'text/javascript; charset=utf-8'))

  app.post('/console/login', async (c) => {
    if (isCrossSite(c)) return refuseCrossSite(c)
    if (!sessions || !apiToken) return c.html(signInPage({ disabled: true }), 401)
    const form = await readFormBody(c)
    const token = typeof form.token === 'string' ? form.token : ''
    if (token === '' || !(await constantTimeEqual(token, apiToken)))
      return c.html(signInPage({ problem: 'That is not the API token.' }), 401)
    await sessions.start(c)
    return c.redirect('/console', 303)
  })

  app.get('/console/sign-in', async (c) => {
    if (!sessions) return c.html(signInPage({ disabled: true }), 401)
    const code = c.req.query('code') ?? ''
    if (!signInCodes?.redeem(code))
      return c.html(
        signInPage({ problem: 'That sign-in link has expired or was already used; sign in with the token.' }),
        401,
      )
    await sessions.start(c)
    return c.redirect('/console', 303)
  })

  // Everything below needs a session: pages redirect to the sign-in page, POSTs and live updates get 401.
  const requireSession: MiddlewareHandler<Env> = async (c, next) => {
    const session = sessions ? await sessions.read(c) : undefined
    if (!session) {
      if (c.req.method === 'GET' && c.req.path === '/console')
        return c.html(signInPage({ disabled: !sessions }), sessions ? 200 : 401)
      if (c.req.method === 'GET' && !c.req.path.endsWith('/live')) return c.redirect('/console', 303)
      return c.html(signInPage({ problem: 'Your session has ended; sign in again.', disabled: !sessions }), 401)
    }
    c.set('session', session)
    c.set('formToken', await sessions!.formToken(session))
    if (c.req.method === 'POST') {
      if (isCrossSite(c)) return refuseCrossSite(c)
      const form = await readFormBody(c)
      if (!(await sessions!.checkFormToken(session, typeof form.csrf === 'string' ? form.csrf : undefined)))
        return c.html(
          messagePage(
            frame(c),
            'Refused',
            'The form is out of date (its token does not match your session); reload and try again.',
          ),
          403,
        )
    }
    await next()
  }
  app.use('/console', requireSession)
  app.use('/console/*', requireSession)

  app.post('/console/logout', (c) => {
    sessions!.end(c, c.get('session'))
    return c.redirect('/console', 303)
  })

  app.get('/console', async (c) => {
    const workflow = c.req.query('workflow') || undefined
    const statusText = c.req.query('status') || undefined
    const status = RUN_STATUSES.includes(statusText as RunStatus) ? (statusText as RunStatus) : undefined
    const parent = c.req.query('parent') || undefined
    const cursor = c.req.query('cursor') || undefined
    let page: Awaited<ReturnType<Engine['list']>>
    try {
      page = await engine.list({ workflow, status, limit: PAGE_SIZE, cursor, ...(parent ? { parentId: parent } : {}) })
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error
      return c.html(
        messagePage(frame(c), 'Bad page link', 'That page link is not valid here; start from the first page.'),
        400,
      )
    }
    return c.html(
      runsListPage(frame(c), {
        runs: page.runs,
        workflows: engine.workflows(),
        query: { workflow, status, parent },
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        paged: cursor !== undefined,
        now: now(),
      }),
    )
  })

  app.get('/console/runs/:id', async (c) => {
    const run = await engine.get(c.req.param('id'))
    if (!run) return c.html(messagePage(frame(c), 'No such run', `No run with id ${c.req.param('id')}.`), 404)
    const view = await loadRunView(engine, run, now())
    const fromText = c.req.query('historyFrom')
    const historyFrom = fromText !== undefined && /^\d{1,9}$/.test(fromText) ? Number(fromText) : undefined
    const notice = NOTICES[c.req.query('notice') ?? '']
    return c.html(
      renderRunPage(frame(c), view, {
        formToken: c.get('formToken'),
        ...(historyFrom !== undefined ? { historyFrom } : {}),
        ...(notice ? { notice } : {}),
      }),
    )
  })

  app.get('/console/runs/:id/live', async (c) => {
    const run = await engine.get(c.req.param('id'))
    if (!run) return c.json({ error: 'unknown-run' }, 404)
    const view = await loadRunView(engine, run, now())
    return c.json({ status: run.status, parts: renderRunParts(view, { formToken: c.get('formToken') }) })
  })

  app.post('/console/runs/:id/cancel', async (c) => {
    const id = c.req.param('id')
    const run = await engine.get(id)
    if (!run) return c.html(messagePage(frame(c), 'No such run', `No run with id ${id}.`), 404)
    let notice = 'finished'
    if (run.status === 'RUNNING') {
      const cancelled = await engine.cancel(id)
      if (cancelled) notice = cancelled.status === 'RUNNING' && !cancelled.cancelRequested ? 'finished' : 'cancelled'
    }
    return c.redirect(`/console/runs/${encodeURIComponent(id)}?notice=${notice}`, 303)
  })

  app.get('/console/workflows', (c) => c.html(workflowsPage(frame(c), engine.workflows())))

  app.get('/console/workflows/:name/start', (c) => {
    const workflow = findWorkflow(c.req.param('name'))
    if (!workflow) return unknownWorkflow(c)
    const fields = formFields(workflow.inputSchema)
    return c.html(renderStartForm(frameWithToken(c), workflow, fields, exampleValues(workflow.inputSchema, fields)))
  })

  app.post('/console/workflows/:name/start', async (c) => {
    const workflow = findWorkflow(c.req.param('name'))
    if (!workflow) return unknownWorkflow(c)
    const fields = formFields(workflow.inputSchema)
    const form = await readFormBody(c)
    const values: Record<string, string> = {}
    for (const field of fields) if (form[field.name] !== undefined) values[field.name] = form[field.name]!
    const { input, problems } = readForm(fields, values)
    if (problems.size === 0 && workflow.inputSchema !== undefined) {
      // Every problem at once, each beside its field (the engine's own check, at start, names only the first).
      const { checkInput } = await import('../../../lib/engine/input-schema')
      for (const problem of checkInput(workflow.inputSchema, input))
        addSchemaProblem(problems, fields, problem.pointer, problem.message)
    }
    if (problems.size === 0) {
      try {
        const { run, created } = await engine.start({ workflow: workflow.name, input })
        if (created && onRunCreated) {
          try {
            await onRunCreated(run, c)
          } catch (error) {
            log(
              `ctflow console: run ${run.id} was created but advancing it failed; the worker will resume it: ${(error as Error).name}`,
            )
          }
        }
        return c.redirect(`/console/runs/${encodeURIComponent(run.id)}?notice=started`, 303)
      } catch (error) {
        if (!(error instanceof EngineInputError) || error instanceof UnknownWorkflowError) throw error
        problems.set('', [error.message])
      }
    }
    return c.html(renderStartForm(frameWithToken(c), workflow, fields, values, problems), 400)
  })

  return app

  function findWorkflow(name: string) {
    return engine.workflows().find((w) => w.name === name)
  }
  function unknownWorkflow(c: Context<Env>) {
    return c.html(messagePage(frame(c), 'No such workflow', `No workflow named ${c.req.param('name')}.`), 404)
  }
}

function frame(c: Context<Env>) {
  const formToken = c.get('formToken')
  return formToken === undefined ? { title: '' } : { title: '', formToken }
}

function frameWithToken(c: Context<Env>) {
  return { title: '', formToken: c.get('formToken') }
}

function refuseCrossSite(c: Context) {
  return c.html(messagePage({ title: 'Refused' }, 'Refused', 'Cross-site requests cannot change anything here.'), 403)
}

function asset(c: Context, body: string, type: string) {
  return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' })
}

/** The urlencoded form of a POST, read once per request (the session check reads it first), bounded in size. */
const forms = new WeakMap<Request, Promise<Record<string, string>>>()
function readFormBody(c: Context): Promise<Record<string, string>> {
  let form = forms.get(c.req.raw)
  if (form === undefined) {
    form = (async () => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
      if (type !== 'application/x-www-form-urlencoded') return {}
      try {
        const body = await readBodyLimited(c.req.raw, MAX_FORM_BYTES)
        return Object.fromEntries(new URLSearchParams(new TextDecoder().decode(body)))
      } catch {
        return {}
      }
    })()
    forms.set(c.req.raw, form)
  }
  return form
}
