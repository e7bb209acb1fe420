import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActionRegistry } from './actions/registry'
import { createEngine } from './create-engine'
import { POISON_MAX_ATTEMPTS, poisonWorkflows } from './poison-run.child'
import { createFileStore } from './stores/file-store'

const CHILD = new URL('./poison-run.child.ts', import.meta.url).pathname
const TSX = new URL('../../node_modules/tsx/dist/esm/index.mjs', import.meta.url).pathname

/** Runs one worker process to its end: how it ended (exit code or signal) and what it printed. */
function runWorker(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

describe('poison runs: a real worker process killed by one run again and again', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctflow-poison-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('after limits.maxWorkerAttempts deaths the run is failed, saying so, and the next worker goes on with the others', async () => {
    const storeDir = join(dir, 'store')
    const store = createFileStore(storeDir)
    // Started here; run only by the worker processes (this registry's action is never called).
    const engine = createEngine({
      store,
      workflows: poisonWorkflows,
      actions: createActionRegistry().register('test:die', { call: () => null }),
    })
    const poison = (await engine.start({ workflow: 'poison', input: {} })).run
    const good = (await engine.start({ workflow: 'good', input: {} })).run
    await store.close()

    const endings: string[] = []
    for (let worker = 0; worker < POISON_MAX_ATTEMPTS + 3; worker++) {
      const result = await runWorker({ POISON_STORE: storeDir, POISON_RUNS: `${poison.id},${good.id}` })
      endings.push(result.signal ?? `exit ${result.code}`)
      if (result.code !== null) {
        expect(result.stderr).toBe('')
        break
      }
    }

    // Each death was counted in the store: two workers died on it, the third failed it instead of dying too.
    expect(endings).toEqual(['SIGKILL', 'SIGKILL', 'exit 0'])
    const reopened = createFileStore(storeDir)
    const failed = await reopened.get(poison.id)
    expect(failed).toMatchObject({ status: 'FAILED', error: { error: 'States.Runtime' } })
    expect(failed?.error?.cause).toMatch(/^The run was abandoned after 2 worker attempts that did not finish/)
    expect(await reopened.get(good.id)).toMatchObject({ status: 'SUCCEEDED', output: 'fine' })
    expect((await reopened.history(poison.id)).at(-1)).toMatchObject({ type: 'ExecutionFailed' })
    await reopened.close()
  }, 60_000)
})
