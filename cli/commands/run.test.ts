import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CliIO } from '../command'
import { PG_URL, testSchemas } from '../../lib/engine/testing/pg-schemas'
import { main } from '../main'
import { startFakeRobot } from '../../lib/notify/testing/fake-robots'

const schemas = testSchemas('cli_run')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-run-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function captureIO(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return {
    io: {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { CTFLOW_STORE: join(dir, 'store') },
      cwd: dir,
      signal: new AbortController().signal,
    },
    out,
    err,
  }
}

async function workflow(name: string, definition: unknown): Promise<string> {
  const path = join(dir, `${name}.json`)
  await writeFile(path, typeof definition === 'string' ? definition : JSON.stringify(definition))
  return path
}

describe('ctflow run', () => {
  it('sends a failed run’s notifications before it exits, and tells nobody about a success by default', async () => {
    const robot = await startFakeRobot('wecom')
    try {
      const failing = await workflow('failing', {
        StartAt: 'F',
        States: { F: { Type: 'Fail', Error: 'Job.Failed', Cause: 'disk d-1 is gone' } },
      })
      const passing = await workflow('passing', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
      const { io, err } = captureIO()
      io.env = { ...io.env, CTFLOW_NOTIFY: JSON.stringify([{ type: 'wecom', url: robot.url }]) }

      expect(await main(['run', failing], io)).toBe(1)
      expect(await main(['run', passing], io)).toBe(0)

      expect(robot.accepted).toHaveLength(1)
      const content = (robot.accepted[0]!.json.markdown as { content: string }).content
      expect(content).toContain('failing FAILED')
      expect(content).toContain('Job.Failed')
      expect(content).toContain('disk d-1 is gone')
      expect(err.join('')).toContain('1 notification channel(s)')
      expect(err.join('')).not.toContain(robot.token)
    } finally {
      await robot.close()
    }
  })

  it('prints the output JSON on stdout and exits 0 on success', async () => {
    const path = await workflow('hello', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'g.$': "States.Format('hi {}', $.name)" }, End: true } },
    })
    const { io, out } = captureIO()
    expect(await main(['run', path, '--input', '{"name":"ctyun"}'], io)).toBe(0)
    expect(JSON.parse(out.join(''))).toEqual({ g: 'hi ctyun' })
  })

  it('--plan runs the reads and returns planned results for the writes, marked as a plan', async () => {
    const path = await workflow('snap', {
      StartAt: 'Disks',
      States: {
        Disks: {
          Type: 'Task',
          Resource: 'ctyun:ebs:listDisks',
          Parameters: { regionID: 'bb9fdb42056f11eda1610242ac110002' },
          ResultSelector: { 'first.$': '$[0].diskID' },
          Next: 'Snap',
        },
        Snap: {
          Type: 'Task',
          Resource: 'ctyun:ebs:createSnapshot.sync',
          Parameters: {
            regionID: 'bb9fdb42056f11eda1610242ac110002',
            'diskID.$': '$.first',
            snapshotName: 'manual-a',
            retentionPolicy: 'forever',
          },
          End: true,
        },
      },
    })
    const { io, out } = captureIO()
    expect(await main(['run', path, '--plan', '--json', '--quiet'], io)).toBe(0)
    const result = JSON.parse(out.join('')) as { status: string; plan: boolean; output: Record<string, unknown> }
    expect(result).toMatchObject({ status: 'SUCCEEDED', plan: true })
    expect(result.output).toMatchObject({
      snapshotID: expect.stringMatching(/^planned-snapshot-/),
      snapshotName: 'manual-a',
      snapshotStatus: 'available',
      diskID: expect.any(String),
      planned: true,
    })
  })

  it('with --json writes only JSON lines: the result on stdout, run start and end on stderr', async () => {
    const path = await workflow('hello', { StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, End: true } } })
    const { io, out, err } = captureIO()
    expect(await main(['run', path, '--json'], io)).toBe(0)
    expect(
      out
        .join('')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([{ status: 'SUCCEEDED', output: 1, error: null, cause: null }])
    const lines = err
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toMatchObject([
      { level: 'info', msg: expect.stringMatching(/^ctflow run hello \(store: file /), workflow: 'hello' },
      { level: 'info', msg: 'run started', workflow: 'hello' },
      { level: 'info', msg: 'run ended', workflow: 'hello', status: 'SUCCEEDED' },
    ])
  })

  it('with --json reports a bad CTFLOW_LOG_LEVEL as one JSON line naming it', async () => {
    const path = await workflow('hello', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    const { io, err } = captureIO()
    io.env = { ...io.env, CTFLOW_LOG_LEVEL: 'loud' }
    expect(await main(['run', path, '--json'], io)).toBe(1)
    const lines = err
      .join('')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'error' })
    expect(lines[0].msg).toContain('CTFLOW_LOG_LEVEL must be one of debug, info, warn, error, silent')
  })

  it('names a PostgreSQL store without the password given as a query parameter', async () => {
    const path = await workflow('hello', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    const { io, err } = captureIO()
    // The server trusts local connections, so the password is carried but not needed.
    io.env = {
      CTFLOW_STORE: `${PG_URL}?password=hunter2-q&sslpassword=hunter3-q`,
      CTFLOW_STORE_SCHEMA: schemas.fresh(),
    }
    try {
      expect(await main(['run', path], io)).toBe(0)
      expect(err.join('')).toContain(`store: postgres ${PG_URL}?password=***&sslpassword=***`)
      expect(err.join('')).not.toMatch(/hunter[23]-q/)
    } finally {
      await schemas.dropAll()
    }
  })

  it('--json prints status, output, error and cause; a failed run exits 1', async () => {
    const path = await workflow('fails', {
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Job.Bad', Cause: 'no disks' } },
    })
    const { io, out } = captureIO()
    expect(await main(['run', path, '--json'], io)).toBe(1)
    expect(JSON.parse(out.join(''))).toEqual({ status: 'FAILED', output: null, error: 'Job.Bad', cause: 'no disks' })
  })

  it('reads the input from @file', async () => {
    const path = await workflow('echo', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    await writeFile(join(dir, 'in.json'), '{"a":[1,2]}')
    const { io, out } = captureIO()
    expect(await main(['run', path, '--input', '@in.json', '--quiet'], io)).toBe(0)
    expect(JSON.parse(out.join(''))).toEqual({ a: [1, 2] })
  })

  it('an invalid workflow exits 1 listing every problem with its pointer, and starts nothing', async () => {
    const path = await workflow('bad', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'Nowhere' }, B: { Type: 'Task', Resource: 'nope:x', End: true } },
    })
    const { io, err } = captureIO()
    expect(await main(['run', path], io)).toBe(1)
    const text = err.join('')
    expect(text).toMatch(/\/States\/A\/Next/)
    expect(text).toMatch(/\/States\/B\/Resource/)
    expect(text).toMatch(/Nothing was started/)
    expect(text).not.toMatch(/\n\s+at /) // no stack trace
    const list = captureIO()
    expect(await main(['runs', 'list', '--json'], list.io)).toBe(0)
    expect(JSON.parse(list.out.join('')).runs).toEqual([])
  })

  it('bad JSON in the workflow or the input names it', async () => {
    const path = await workflow('broken', '{"StartAt": ')
    const a = captureIO()
    expect(await main(['run', path], a.io)).toBe(1)
    expect(a.err.join('')).toMatch(/not valid JSON/)
    const good = await workflow('ok', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    const b = captureIO()
    expect(await main(['run', good, '--input', '{nope'], b.io)).toBe(1)
    expect(b.err.join('')).toMatch(/--input is not valid JSON/)
  })
})

describe('ctflow runs', () => {
  it('lists, shows and cancels runs in the store', async () => {
    const path = await workflow('waits', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } })
    const first = captureIO()
    expect(await main(['run', path, '--quiet'], first.io)).toBe(0)
    const list = captureIO()
    expect(await main(['runs', 'list'], list.io)).toBe(0)
    const id = list.out.join('').split(/\s+/)[0]!
    expect(list.out.join('')).toMatch(/SUCCEEDED\s+waits/)
    const show = captureIO()
    expect(await main(['runs', 'show', id, '--json'], show.io)).toBe(0)
    const shown = JSON.parse(show.out.join(''))
    expect(shown.run.status).toBe('SUCCEEDED')
    expect(shown.history.map((e: { type: string }) => e.type)).toContain('ExecutionSucceeded')
    const missing = captureIO()
    expect(await main(['runs', 'show', 'no-such-run'], missing.io)).toBe(1)
    expect(missing.err.join('')).toMatch(/no run with id "no-such-run"/)
  })

  it('runs a DISTRIBUTED Map as child runs in the file store, listed under --parent, with item progress', async () => {
    const path = await workflow('fan', {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Twice',
            States: { Twice: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($, $)' }, End: true } },
          },
          End: true,
        },
      },
    })
    const run = captureIO()
    expect(await main(['run', path, '--input', '[1, 2]'], run.io)).toBe(0)
    expect(JSON.parse(run.out.join(''))).toEqual([{ n: 2 }, { n: 4 }])
    expect(run.err.join('')).toMatch(/M +⇉ 2 items/)
    expect(run.err.join('')).not.toMatch(/run SUCCEEDED[\s\S]*run SUCCEEDED/) // the children's ends are not the run's

    const top = captureIO()
    expect(await main(['runs', 'list', '--json'], top.io)).toBe(0)
    const [parent] = JSON.parse(top.out.join('')).runs as { id: string }[]
    expect(JSON.parse(top.out.join('')).runs).toHaveLength(1)
    const children = captureIO()
    expect(await main(['runs', 'list', '--parent', parent!.id, '--json'], children.io)).toBe(0)
    const kids = JSON.parse(children.out.join('')).runs as { parentId: string; workflow: string; status: string }[]
    expect(kids).toEqual(
      Array(2).fill(
        expect.objectContaining({ parentId: parent!.id, workflow: 'fan#/States/M/ItemProcessor', status: 'SUCCEEDED' }),
      ),
    )
  })
})
