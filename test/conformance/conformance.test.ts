import { describe, expect, it } from 'vitest'
import { conformanceCases } from './cases'
import { createSkippingClock, runOnEngine } from './engine-runner'
import { mismatches } from './outcome'

/**
 * Every conformance case through ctflow's engine (createEngine, memory store, stub actions, a clock that skips
 * sleeps). Expectations are the AWS documentation's; a failure here is an engine bug or a documented ctflow
 * difference — never fix it by editing the case's expected value.
 */
describe('conformance: ctflow engine against the AWS documentation', () => {
  it.concurrent.each(conformanceCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    expect(mismatches(c.expect, await runOnEngine(c))).toEqual([])
  })
})

describe('conformance runner', () => {
  it('finishes long waits at once through the skipping clock', async () => {
    const started = Date.now()
    const outcome = await runOnEngine({
      name: 'a week of waiting',
      doc: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html',
      definition: { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 7 * 86_400, End: true } } },
      input: { ok: true },
      expect: { output: { ok: true } },
    })
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: { ok: true } })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('lets real time flow between sleeps', async () => {
    const clock = createSkippingClock()
    const before = clock.now()
    await clock.sleep(60_000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(clock.now() - before).toBeGreaterThanOrEqual(60_015)
  })

  it('reports a definition the engine refuses as an outcome naming the problem', async () => {
    const outcome = await runOnEngine({
      name: 'dangling Next',
      doc: 'https://states-language.net/spec.html#transition',
      definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } },
      input: {},
      expect: { output: {} },
    })
    expect(outcome.status).toBe('FAILED')
    expect(outcome.status === 'FAILED' && outcome.error).toMatch(/^ctflow:/)
    expect(outcome.status === 'FAILED' && outcome.cause).toContain('Nowhere')
  })
})
