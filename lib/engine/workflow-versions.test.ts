// A run follows the workflow version it started on: suspended across a deploy that changed the workflow, it resumes on
// the states it was written against; new runs start on the new version. Memory and file stores, fake clock.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine } from './create-engine'
import type { WorkflowDefinition } from './interpreter/definition'
import { createFileStore } from './stores/file-store'
import { createMemoryStore } from './stores/memory-store'
import type { RunStore } from './stores/run-store'
import { createFakeClock } from './testing/fake-clock'
import { workflowVersionOf } from './workflow-versions'

const HOUR = 3_600_000

// v1 waits an hour in "Nap", then "Old" says which version ran. v2 (the deploy) renamed both states.
const v1 = {
  StartAt: 'Nap',
  States: {
    Nap: { Type: 'Wait', Seconds: 3600, Next: 'Old' },
    Old: { Type: 'Pass', Result: { ran: 'v1' }, End: true },
  },
}
const v2 = {
  StartAt: 'Sleep',
  States: {
    Sleep: { Type: 'Wait', Seconds: 60, Next: 'New' },
    New: { Type: 'Pass', Result: { ran: 'v2' }, End: true },
  },
}

function deploy(store: RunStore, definition: object, clock = createFakeClock()) {
  return createEngine({
    store,
    clock,
    owner: `w-${workflowVersionOf(definition as WorkflowDefinition).slice(0, 6)}`,
    workflows: { job: definition as WorkflowDefinition },
  })
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const stores: Array<[string, () => RunStore]> = [
  ['memory', () => createMemoryStore()],
  [
    'file',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ctflow-versions-'))
      dirs.push(dir)
      return createFileStore(dir)
    },
  ],
]

describe.each(stores)('workflow versions (%s store)', (_name, makeStore) => {
  it('resumes a run suspended across a deploy on the version it started on; new runs start on the new one', async () => {
    const store = makeStore()
    const clock = createFakeClock()
    const before = deploy(store, v1, clock)
    const { run } = await before.start({ workflow: 'job', input: {} })
    const suspended = await before.advance(run.id, { deadline: clock.now() + 1_000 })
    expect(suspended).toMatchObject({ status: 'RUNNING', workflowVersion: workflowVersionOf(v1 as WorkflowDefinition) })

    const after = deploy(store, v2, clock)
    clock.advance(HOUR)
    await after.resumeDue({ deadline: clock.now() + 1_000 })
    const done = await after.get(run.id)
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { ran: 'v1' } })
    expect((await after.history(run.id)).map((e) => e.state).filter(Boolean)).toEqual(['Nap', 'Nap', 'Old', 'Old'])

    const fresh = await after.runToEnd((await after.start({ workflow: 'job', input: {} })).run.id)
    expect(fresh).toMatchObject({
      status: 'SUCCEEDED',
      output: { ran: 'v2' },
      workflowVersion: workflowVersionOf(v2 as WorkflowDefinition),
    })
  })

  it('definitionOf gives the definition a run follows: its own version after a deploy, the loaded one for a new run', async () => {
    const store = makeStore()
    const clock = createFakeClock()
    const { run } = await deploy(store, v1, clock).start({ workflow: 'job', input: {} })
    const after = deploy(store, v2, clock)
    expect(await after.definitionOf(run)).toEqual(v1)
    expect(await after.definitionOf((await after.start({ workflow: 'job', input: {} })).run)).toEqual(v2)
    expect(await after.definitionOf({ workflow: 'nope' })).toBeUndefined()
  })

  it('keeps one copy per version: an unchanged redeploy (other formatting) gives the same version', async () => {
    const store = makeStore()
    const reformatted = JSON.parse(JSON.stringify(v1, null, 4)) as object
    const first = await deploy(store, v1).start({ workflow: 'job', input: {} })
    const second = await deploy(store, reformatted).start({ workflow: 'job', input: {} })
    expect(second.run.workflowVersion).toBe(first.run.workflowVersion)
    expect(await store.getWorkflowVersion(first.run.workflowVersion!)).toEqual(v1)
  })
})

describe('workflow versions', () => {
  it('a run from before versions were kept, or whose version the store lost, follows the workflow as loaded', async () => {
    const store = createMemoryStore()
    const clock = createFakeClock()
    const engine = deploy(store, v1, clock)
    const machine = (await engine.get((await engine.start({ workflow: 'job', input: {} })).run.id))!.machine
    for (const [id, workflowVersion] of [
      ['legacy', undefined],
      ['lost', 'f'.repeat(32)],
    ] as const) {
      const at = new Date(clock.now())
      await store.create({
        id,
        workflow: 'job',
        input: {},
        machine,
        resumeAt: at,
        now: at,
        events: [],
        ...(workflowVersion ? { workflowVersion } : {}),
      })
      expect(await engine.runToEnd(id)).toMatchObject({ status: 'SUCCEEDED', output: { ran: 'v1' } })
    }
  })

  it("a distributed Map's items started after the deploy run the item processor of the parent's version", async () => {
    const map = (ran: string, seconds: number) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: `Nap${ran}`,
            States: {
              [`Nap${ran}`]: { Type: 'Wait', Seconds: seconds, Next: `Say${ran}` },
              [`Say${ran}`]: { Type: 'Pass', Result: ran, End: true },
            },
          },
          End: true,
        },
      },
    })
    const store = createMemoryStore()
    const clock = createFakeClock()
    const before = deploy(store, map('v1', 3600), clock)
    const { run } = await before.start({ workflow: 'job', input: { items: [1, 2] } })
    await before.advance(run.id, { deadline: clock.now() + 1_000 })
    expect((await store.list({ parentId: run.id })).runs).toHaveLength(1)

    const after = deploy(store, map('v2', 60), clock)
    const done = await after.runToEnd(run.id)
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: ['v1', 'v1'] })
    const kids = (await store.list({ parentId: run.id })).runs
    expect(kids.map((k) => k.workflowVersion)).toEqual([run.workflowVersion, run.workflowVersion])
  })

  it('a start whose version could not be kept fails without creating the run, and the next start keeps it', async () => {
    const inner = createMemoryStore()
    let failPuts = 1
    const store: RunStore = {
      ...inner,
      async putWorkflowVersion(version, definition, now) {
        if (failPuts-- > 0) throw new Error('store unavailable')
        return inner.putWorkflowVersion(version, definition, now)
      },
    }
    const engine = deploy(store, v1)
    await expect(engine.start({ workflow: 'job', input: {} })).rejects.toThrow('store unavailable')
    expect((await store.list({})).runs).toEqual([])
    const { run } = await engine.start({ workflow: 'job', input: {} })
    expect(await store.getWorkflowVersion(run.workflowVersion!)).toEqual(v1)
  })
})
