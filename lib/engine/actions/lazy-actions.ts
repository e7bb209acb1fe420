import { defaultPollDelayMs, type ActionContext, type ActionRegistry, type ResolvedAction } from './registry'

/** `call`: a plain call. `sync`: a start/probe action, runnable as `name` and as `name.sync`. */
export type ActionKind = 'call' | 'sync'

/**
 * Registers actions by name and kind alone; their code loads on the first call of any of them, with `load()`
 * (typically a dynamic `import()`, which a bundler turns into a lazy chunk). `has()` and `names()` answer at once,
 * so a start-time check of the workflows' resources needs none of that code. A failed load is not kept: the next
 * call tries again. Every call, start, probe and poll schedule is the loaded action's own, and so are the names of
 * their errors: `registry` asks the loaded registry's mappers (`mapErrors`) about what a call threw.
 *
 * @example
 * registerLazyActions(createActionRegistry(), { 'my:greet': 'call', 'my:build': 'sync' }, async () => {
 *   const { registerMyActions } = await import('./my-actions')
 *   return registerMyActions(createActionRegistry())
 * })
 */
export function registerLazyActions(
  registry: ActionRegistry,
  kinds: Readonly<Record<string, ActionKind>>,
  load: () => Promise<ActionRegistry>,
): ActionRegistry {
  let loading: Promise<ActionRegistry> | undefined
  let loaded: ActionRegistry | undefined
  const loadOnce = () =>
    (loading ??= load().then(
      (actions) => (loaded = actions),
      (error: unknown) => {
        loading = undefined
        throw error
      },
    ))

  // resolve() gives a sync action for a `.sync` name and a call otherwise, so the kind follows from the name.
  async function loadedAction<Kind extends ResolvedAction['kind']>(
    resource: string,
  ): Promise<Extract<ResolvedAction, { kind: Kind }>> {
    const action = (await loadOnce()).resolve(resource)
    if (!action)
      throw new TypeError(
        `The loaded actions cannot run "${resource}", though it was registered by name (fix the list of names)`,
      )
    return action as Extract<ResolvedAction, { kind: Kind }>
  }
  const call = async (name: string, input: unknown, context: ActionContext) =>
    (await loadedAction<'call'>(name)).call(input, context)
  // An error a loaded action threw was thrown after the load: the loaded registry knows its name.
  registry.mapErrors((thrown) => loaded?.mapError(thrown))

  for (const [name, kind] of Object.entries(kinds)) {
    // Whether it writes, and what it would return, are the loaded action's to say (PlanAware).
    const decidePlan = async (input: unknown, context: ActionContext, form: 'call' | 'sync') =>
      (await loadedAction(form === 'sync' ? `${name}.sync` : name)).plan(input, context)
    if (kind === 'call') {
      registry.register(name, { call: (input, context) => call(name, input, context), decidePlan })
      continue
    }
    // `call` as well as start/probe, so the plain form runs whatever the loaded registry runs for it.
    const syncName = `${name}.sync`
    registry.register(name, {
      call: (input, context) => call(name, input, context),
      decidePlan,
      start: async (input, context) => (await loadedAction<'sync'>(syncName)).start(input, context),
      probe: async (handle, context) => (await loadedAction<'sync'>(syncName)).probe(handle, context),
      // The engine asks only after a probe, so the actions are loaded by then; the default is a fallback.
      pollDelayMs: (polls) => {
        const action = loaded?.resolve(syncName)
        return action?.kind === 'sync' ? action.pollDelayMs(polls) : defaultPollDelayMs(polls)
      },
    })
  }
  return registry
}
