/**
 * `/_sim/` admin endpoints for tests and curious users: state, calls per operation, faults, reset and the lifecycle
 * clock. Unauthenticated by design — local only; `ctflow serve` never mounts the simulator on a public address.
 */
import { Hono } from 'hono'
import type { CallLog } from './calls'
import { SimFaultConfigError } from './faults'
import { jobStatusAt } from './lookup'
import type { SimOperation } from './operation'
import type { SimRuntime } from './runtime'
import { orderStatusAt } from './runtime'
import {
  backupPolicyView,
  backupSnapshotView,
  backupTaskView,
  diskInfoView,
  eipView,
  imageView,
  instanceView,
  snapshotView,
} from './views'

/** Every resource as the API would show it now (deleted snapshots and EIPs are left out). */
export function stateView(runtime: SimRuntime) {
  const { state } = runtime
  const now = runtime.clock.now()
  return {
    now: new Date(now).toISOString(),
    clockOffsetMs: runtime.clock.offset,
    regions: [...state.regions.values()],
    instances: [...state.instances.values()].map((i) => instanceView(i, state, now)),
    disks: [...state.disks.values()].map((d) => ({
      ...diskInfoView(d, state),
      snapshotServiceOpened: d.snapshotServiceOpened,
    })),
    snapshots: [...state.snapshots.values()]
      .map((s) => snapshotView(s, state, now))
      .filter((s) => s.snapshotStatus !== 'deleted'),
    ecsSnapshots: [...state.ecsSnapshots.values()],
    images: [...state.images.values()].map((i) => imageView(i, now)),
    eips: [...state.eips.values()].filter((e) => !e.deleted).map((e) => eipView(e, state, now)),
    backupRepositories: [...state.backupRepositories.values()],
    backupPolicies: [...state.backupPolicies.values()].map((p) => backupPolicyView(p, state)),
    backupTasks: [...state.backupTasks.values()].map((t) => backupTaskView(t, state, now)),
    backupSnapshots: [...state.backupSnapshots.values()]
      .filter((s) => now >= s.visibleFrom)
      .map((s) => backupSnapshotView(s, state)),
    cdaGateways: [...state.cdaGateways.values()],
    orders: [...state.orders.values()].map((o) => ({ ...o, orderStatus: orderStatusAt(o, now) })),
    jobs: [...state.jobs.values()].map((j) => ({ ...j, status: jobStatusAt(j, now) })),
  }
}

export function createSimAdmin(deps: {
  runtime: SimRuntime
  calls: CallLog
  reset(): void
  operations: readonly SimOperation[]
}): Hono {
  const { runtime, calls } = deps
  const admin = new Hono()
  const badRequest = (message: string) => Response.json({ error: 'bad_request', message }, { status: 400 })

  admin.get('/state', (c) => c.json(stateView(runtime)))
  admin.get('/operations', (c) =>
    c.json(
      deps.operations.map(({ name, service, methods, path, idempotent }) => ({
        name,
        service,
        methods,
        path,
        idempotent: idempotent ?? false,
      })),
    ),
  )
  admin.get('/calls', (c) => c.json(calls.snapshot()))
  admin.delete('/calls', (c) => {
    calls.clear()
    return c.json(calls.snapshot())
  })
  admin.get('/faults', (c) => c.json(runtime.faults.get()))
  admin.put('/faults', async (c) => {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      return badRequest('the body must be a JSON object of operation → fault spec')
    }
    try {
      runtime.faults.set(body)
    } catch (error) {
      if (error instanceof SimFaultConfigError) return badRequest(error.message)
      throw error
    }
    return c.json(runtime.faults.get())
  })
  admin.post('/reset', (c) => {
    deps.reset()
    return c.json({ ok: true })
  })
  admin.get('/clock', (c) =>
    c.json({ now: new Date(runtime.clock.now()).toISOString(), offsetMs: runtime.clock.offset }),
  )
  admin.post('/clock/advance', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { ms?: unknown } | undefined
    const ms = body?.ms
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
      return badRequest('body.ms must be a number of milliseconds ≥ 0')
    runtime.clock.advance(ms)
    return c.json({ now: new Date(runtime.clock.now()).toISOString(), offsetMs: runtime.clock.offset })
  })
  return admin
}
