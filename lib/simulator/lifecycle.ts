/**
 * A resource's status over time, computed from its start timestamp when read: no timers, so `clock.advance()` moves
 * every lifecycle forward at once and a stopped process leaves nothing running.
 */
export interface Lifecycle {
  startedAt: number
  /** Transitional statuses in order, each lasting `ms`. */
  phases: ReadonlyArray<{ status: string; ms: number }>
  /** The status once every phase has passed (e.g. `available`, or `error` under a fault). */
  final: string
}

export interface LifecycleView {
  status: string
  /** Index into phases; `phases.length` once final. */
  phase: number
  /** 0..1 within the current phase (1 when final). */
  progress: number
  done: boolean
  /** When the final status is (or was) reached, epoch ms. */
  endsAt: number
}

/**
 * @example lifecycleAt({ startedAt: 0, phases: [{ status: 'creating', ms: 100 }], final: 'available' }, 150).status // 'available'
 */
export function lifecycleAt(lifecycle: Lifecycle, now: number): LifecycleView {
  let cursor = lifecycle.startedAt
  const endsAt = lifecycle.phases.reduce((at, phase) => at + phase.ms, lifecycle.startedAt)
  for (let i = 0; i < lifecycle.phases.length; i++) {
    const phase = lifecycle.phases[i]!
    if (now < cursor + phase.ms) {
      return { status: phase.status, phase: i, progress: Math.max(0, (now - cursor) / phase.ms), done: false, endsAt }
    }
    cursor += phase.ms
  }
  return { status: lifecycle.final, phase: lifecycle.phases.length, progress: 1, done: true, endsAt }
}

/** A lifecycle that is already final (fixture resources). */
export function settled(final: string, at = 0): Lifecycle {
  return { startedAt: at, phases: [], final }
}
