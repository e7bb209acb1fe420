import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadWorkflowFile, loadWorkflows, WorkflowError } from './workflows'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-workflows-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('loadWorkflows', () => {
  it('reads each workflow with its input schema', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }))
    await writeFile(join(dir, 'a.schema.json'), JSON.stringify({ type: 'object' }))
    expect(await loadWorkflows(dir)).toEqual([
      {
        name: 'a',
        definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        inputSchema: { type: 'object' },
      },
    ])
  })

  it('refuses a file nested too deeply for the validator and the engine to walk, naming the depth and where', async () => {
    // Parallel in Parallel 3,000 times: before anything recursive (JSON.stringify, the validator) touches it.
    const text = `${'{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":['.repeat(3_000)}{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}${'],"End":true}}}'.repeat(3_000)}`
    const file = join(dir, 'deep.json')
    await writeFile(file, text)

    const failure = await loadWorkflowFile(file).catch((error: unknown) => error)

    expect(failure).toBeInstanceOf(WorkflowError)
    expect((failure as WorkflowError).problems).toEqual([
      {
        workflow: 'deep',
        pointer: '/States/P/Branches/0'.repeat(50),
        message: `${file} nests objects and arrays 12,003 levels deep; at most 200 are allowed — this is where it passes the limit`,
      },
    ])
  })
})
