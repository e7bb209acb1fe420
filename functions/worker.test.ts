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

  it('delivers the pending notifications after the due runs, with what is left of the budget', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    await engine.start({ workflow: 'backup', input: {} })
    const order: string[] = []
    const resumeDue = engine.resumeDue.bind(engine)
    engine.resumeDue = async (budget) => (order.push('runs'), resumeDue(budget))
    const deadline = Date.now() + 60_000
    const result = await runWorker(
      {
        engine,
        deliverNotifications: async (budget) => {
          order.push(`notifications until ${budget.deadline}`)
          return { sent: 2, retried: 1, givenUp: 0 }
        },
      },
      {},
      { deadline },
    )
    expect(order).toEqual(['runs', `notifications until ${deadline}`])
    expect(result).toEqual({ advanced: 1, notifications: { sent: 2, retried: 1, givenUp: 0 } })
  })

  it('keeps the runs’ result when delivering notifications fails (they stay pending for the next tick)', async () => {
    const engine = createFakeEngine({ clock: () => NOW })
    const result = await runWorker(
      {
        engine,
        deliverNotifications: async () => {
          throw new Error('connection refused')
        },
      },
      {},
      { deadline: Date.now() + 60_000 },
    )
    expect(result).toEqual({ advanced: 0, notificationError: 'Error: connection refused' })
  })
})
