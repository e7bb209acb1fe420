import { describe, expect, it } from 'vitest'
import { CtyunApiError, type CtyunClient } from '../ctyun'
import { toTaskError, type ActionContext } from '../engine'
import { createLazyProductActions } from './lazy-product-actions'
import { createProductActions } from './product-actions'

const runId = '0f8e6c2a-4b1d-4c3e-9a7b-1234567890ab'
const context: ActionContext = {
  clientToken: 't',
  runId,
  state: 'S',
  signal: new AbortController().signal,
  deadline: Date.now() + 10_000,
}

/** Only what the calls below reach; the lazy registry hands it to the real product actions. */
const fakeClient = { regions: { listRegions: async () => [{ regionID: 'r1' }] } } as unknown as CtyunClient

describe('createLazyProductActions', () => {
  it('knows exactly the resources of the product actions (names and .sync forms) without opening a client', () => {
    const opened: number[] = []
    const lazy = createLazyProductActions(async () => {
      opened.push(1)
      return fakeClient
    })
    expect(lazy.names()).toEqual(createProductActions(undefined as unknown as CtyunClient).names())
    expect(opened).toEqual([])
  })

  it('opens the client once, on the first Task call, and runs the real actions with the given clock', async () => {
    let opened = 0
    const actions = createLazyProductActions(
      async () => {
        opened += 1
        return fakeClient
      },
      { now: () => Date.parse('2026-11-23T03:00:00Z') },
    )
    const regions = actions.resolve('ctyun:regions:listRegions')
    const retention = actions.resolve('ctflow:backup:planRetention')
    if (regions?.kind !== 'call' || retention?.kind !== 'call') throw new Error('plain calls expected')

    expect(await regions.call({}, context)).toEqual([{ regionID: 'r1' }])
    const snapshot = (id: string, createTime: string) => ({
      snapshotID: id,
      snapshotName: `nightly-${id === 's-old' ? runId : runId.replace('0f', '1f')}`,
      createTime,
    })
    const plan = await retention.call(
      {
        snapshots: [snapshot('s-old', '2026-11-01T00:00:00Z'), snapshot('s-new', '2026-11-22T00:00:00Z')],
        prefix: 'nightly',
        retention: { maxAgeDays: 7 },
      },
      context,
    )
    expect(plan).toMatchObject({ prune: ['s-old'], keep: ['s-new'] })
    expect(opened).toBe(1)
  })

  it("names the loaded actions' CTyun errors, as the eager product actions do (Ctyun.NotFound, …)", async () => {
    const missing = new CtyunApiError({ errorCode: 'ebs.ebsInfo.notExists', statusCode: 900, detail: 'no such disk' })
    const client = { ebs: { getDisk: async () => Promise.reject(missing) } } as unknown as CtyunClient
    const actions = createLazyProductActions(async () => client)
    const getDisk = actions.resolve('ctyun:ebs:getDisk')
    if (getDisk?.kind !== 'call') throw new Error('a plain call expected')
    const thrown = await getDisk.call({ regionID: 'r1', diskID: 'd-1' }, context).catch((error: unknown) => error)
    expect(toTaskError(thrown, actions)).toEqual({ error: 'Ctyun.NotFound', cause: missing.message })
  })
})
