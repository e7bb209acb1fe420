import { afterEach, describe, expect, it } from 'vitest'
import { HD1, startJobHarness, type JobHarness } from './job-harness'

import { DB01, SPARE_EIP, WEB01 } from '../../lib/simulator/default-fixture-ids'
let harness: JobHarness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const liveEips = (h: JobHarness) => [...h.sim.simulator.state.eips.values()].filter((e) => !e.deleted)

describe('eip-bind', () => {
  it('binds the given EIP and waits until it is bound', async () => {
    harness = await startJobHarness()
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01, eipID: SPARE_EIP })
    expect(run.error).toBeUndefined()
    expect(run.output).toEqual({ eipID: SPARE_EIP, eipAddress: '36.111.10.22', instanceID: DB01, created: false })
    expect(harness.calls('eip.create')).toBe(0)
  })

  it('creates an EIP through the order flow when none is given, then binds it', async () => {
    harness = await startJobHarness()
    const before = liveEips(harness).length
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01 })
    expect(run.error).toBeUndefined()
    const output = run.output as { eipID: string; created: boolean }
    expect(output.created).toBe(true)
    expect(liveEips(harness)).toHaveLength(before + 1)
    expect(harness.calls('eip.create')).toBe(1)
  })

  it('releases the EIP it created when binding fails, and fails with the original error', async () => {
    harness = await startJobHarness()
    const before = liveEips(harness).length
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: 'no-such-instance' })
    expect(run.status).toBe('FAILED')
    expect(run.error?.cause).toContain('no-such-instance')
    expect(harness.calls('eip.create')).toBe(1)
    expect(harness.calls('eip.delete')).toBeGreaterThanOrEqual(1) // retried while the new EIP settles
    expect(liveEips(harness)).toHaveLength(before)
  })

  it('survives server errors and throttling: one EIP created, bound', async () => {
    harness = await startJobHarness({
      seed: 3,
      faults: { '*': { serverErrorRate: 0.2, throttleRate: 0.2, throttleMode: 'both', retryAfterSeconds: 0 } } as never,
    })
    const before = liveEips(harness).length
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01 })
    expect(run.error).toBeUndefined()
    expect(liveEips(harness)).toHaveLength(before + 1)
    const eip = harness.sim.simulator.state.eips.get((run.output as { eipID: string }).eipID)!
    expect(eip.binding.associationID).toBe(DB01)
  })

  it('binds an EIP that is still changing when the busy answer carries a code no source names: waits on its state (§8.3)', async () => {
    // Whatever CTyun calls "busy", the action re-reads the EIP and waits while it is changing; the workflow names no code.
    harness = await startJobHarness({ faults: { 'eip.associate': { businessErrorCode: 'Vpc.Eip.Q9x7Busy' } } as never })
    const spare = harness.sim.simulator.state.eips.get(SPARE_EIP)!
    // Another client is unbinding it: BANDING_OR_UNBANGDING for 20 s, then DOWN.
    spare.binding = {
      associationID: null,
      associationType: null,
      lifecycle: {
        startedAt: harness.sim.simulator.clock.now(),
        phases: [{ status: 'BANDING_OR_UNBANGDING', ms: 20_000 }],
        final: 'DOWN',
      },
    }
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01, eipID: SPARE_EIP })
    expect(run.error).toBeUndefined()
    expect(run.output).toMatchObject({ eipID: SPARE_EIP, instanceID: DB01, created: false })
    expect(spare.binding.associationID).toBe(DB01)
    // One refused try, then the EIP re-read until DOWN, then one that went through.
    expect(harness.calls('eip.associate')).toBe(2)
  })

  it('fails with the state named when the EIP is bound to another instance (no retry on a guessed code)', async () => {
    harness = await startJobHarness({ faults: { 'eip.associate': { businessErrorCode: 'Vpc.Eip.Q9x7Busy' } } as never })
    const spare = harness.sim.simulator.state.eips.get(SPARE_EIP)!
    spare.binding = {
      associationID: WEB01,
      associationType: 'INSTANCE',
      lifecycle: { startedAt: 0, phases: [], final: 'ACTIVE' },
    }
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: DB01, eipID: SPARE_EIP })
    expect(run.status).toBe('FAILED')
    expect(run.error).toMatchObject({
      error: 'Ctyun.ResourceFailed',
      cause: expect.stringContaining(`it is bound to ${WEB01}; unbind it first`),
    })
    expect(harness.calls('eip.associate')).toBe(1)
  })

  it('does not release an EIP it did not create', async () => {
    harness = await startJobHarness()
    const run = await harness.run('eip-bind', { regionID: HD1, instanceID: 'no-such-instance', eipID: SPARE_EIP })
    expect(run.status).toBe('FAILED')
    expect(harness.calls('eip.delete')).toBe(0)
  })
})
