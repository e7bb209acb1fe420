import { describe, expect, it } from 'vitest'
import { createFakeEngine } from './testing/fake-engine'
import { runWorker } from './worker'

const NOW = 1_750_000_000_000

describe('runWorker', () => {
  it('resumes the due runs within the budget and reports how many', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    for (let i = 0; i < 3; i++) await engine.start({ workflow: 'backup', input: { i } })
    const result = await runWorker({ engine }, {}, { deadline: NOW + 10_000 })
    expect(result).toEqual({ advanced: 3 })
    expect([...engine.runs.values()].every((run) => run.status === 'SUCCEEDED')).toBe(true)
  })

  it('does nothing once the budget is spent', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    await engine.start({ workflow: 'backup', input: {} })
    expect(await runWorker({ engine }, {}, { deadline: NOW })).toEqual({ advanced: 0 })
  })
})
