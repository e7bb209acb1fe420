import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../lib/engine/create-engine'
import type { WorkflowDefinition } from '../../lib/engine/interpreter/definition'
import { createFileStore } from '../../lib/engine/stores/file-store'
import { main } from '../main'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-runs-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

function passChain(length: number): WorkflowDefinition {
  const States: WorkflowDefinition['States'] = {}
  for (let i = 0; i < length; i++)
    States[`S${i}`] = i === length - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` }
  return { StartAt: 'S0', States }
}

describe('ctflow runs show', () => {
  it('prints a long history whole, reading it a page (1,000 events) at a time, as text and as one JSON document', async () => {
    const store = createFileStore(join(dir, 'store'))
    const engine = createEngine({ store, workflows: { chain: passChain(1_250) } })
    const { run } = await engine.start({ workflow: 'chain', input: {} })
    await engine.runToEnd(run.id)
    await store.close()
    const output = async (args: string[]) => {
      let out = ''
      const io = {
        stdout: (text: string) => void (out += text),
        stderr: () => {},
        env: { CTFLOW_STORE: join(dir, 'store') },
        cwd: dir,
        signal: new AbortController().signal,
      }
      expect(await main(['runs', 'show', run.id, ...args], io)).toBe(0)
      return out
    }

    const json = JSON.parse(await output(['--json'])) as {
      run: { status: string; historyLength: number }
      history: Array<{ seq: number }>
    }
    const text = await output([])

    expect(json.run).toMatchObject({ status: 'SUCCEEDED', historyLength: 2_502 })
    expect(json.history.map((event) => event.seq)).toEqual(Array.from({ length: 2_502 }, (_, i) => i + 1))
    const lines = text.split('\n').filter((line) => /^\s*\d+ {2}\d{4}-/.test(line))
    expect(lines).toHaveLength(2_502)
    expect(lines[999]).toMatch(/^1000 {2}\S+ {2}PassStateEntered {2}S499$/)
    expect(lines.at(-1)).toMatch(/^2502 {2}\S+ {2}ExecutionSucceeded$/)
  })
})
