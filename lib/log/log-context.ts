/**
 * The fields every line written inside a scope carries (the Lambda invocation's `awsRequestId`; a Task call's run,
 * state and attempt), without passing a logger down through code that knows nothing of logging.
 *
 * Backed by AsyncLocalStorage where the runtime has it (Node, Bun, Deno, Workers with nodejs_compat), found without a
 * static `node:async_hooks` import so that the module loads everywhere. Where it is missing the context degrades: the
 * outermost scope's fields (one invocation at a time, as on Lambda) are kept while it runs, nested scopes add none —
 * lines lose the per-call fields, never get another call's.
 */
import type { LogFields } from './create-logger'

/** A scope: its fields, merged over the enclosing scope's, and a slot for what a call learns while it runs. */
export interface LogScope {
  fields: LogFields
  /** Set by a Task call's scope: the CTyun request id of its last request, filled in by the client's log. */
  call?: { ctyunRequestId?: string }
}

export interface LogContext {
  /** The innermost scope around the caller, if any. */
  current(): LogScope | undefined
  /** Runs `fn` inside a scope whose fields are `fields` over the enclosing scope's. */
  run<T>(scope: LogScope, fn: () => T): T
  /** Whether scopes follow async calls (AsyncLocalStorage) or only the outermost one is kept. */
  readonly tracksAsync: boolean
}

interface AsyncStorage<T> {
  getStore(): T | undefined
  run<R>(store: T, fn: () => R): R
}
type AsyncStorageClass = new <T>() => AsyncStorage<T>

/**
 * A context over AsyncLocalStorage when given (or found by findAsyncLocalStorage), else the degraded one.
 * @example const context = createLogContext(findAsyncLocalStorage())
 */
export function createLogContext(Storage?: AsyncStorageClass): LogContext {
  if (Storage) {
    const storage = new Storage<LogScope>()
    return {
      tracksAsync: true,
      current: () => storage.getStore(),
      run: (scope, fn) => storage.run(merge(storage.getStore(), scope), fn),
    }
  }
  let outer: LogScope | undefined
  return {
    tracksAsync: false,
    current: () => outer,
    run<T>(scope: LogScope, fn: () => T): T {
      if (outer) return fn()
      outer = scope
      let result: T
      try {
        result = fn()
      } catch (error) {
        outer = undefined
        throw error
      }
      if (result instanceof Promise) {
        return result.finally(() => {
          outer = undefined
        }) as T
      }
      outer = undefined
      return result
    },
  }
}

/**
 * createLogContext over findAsyncLocalStorage's answer, looked for when the first scope runs: loading
 * node:async_hooks costs ~1 ms on Bun and ~15 ms on Deno, and a cold start that runs no scope (GET /healthz on a
 * server) need not pay it. Before any scope ran there is none, so `current()` needs nothing loaded.
 * @example const context = createLazyLogContext() // node:async_hooks loads on the first context.run
 */
export function createLazyLogContext(find: () => AsyncStorageClass | undefined = findAsyncLocalStorage): LogContext {
  let context: LogContext | undefined
  const resolved = () => (context ??= createLogContext(find()))
  return {
    get tracksAsync() {
      return resolved().tracksAsync
    },
    current: () => context?.current(),
    run: (scope, fn) => resolved().run(scope, fn),
  }
}

function merge(parent: LogScope | undefined, scope: LogScope): LogScope {
  if (!parent) return scope
  return {
    fields: { ...parent.fields, ...scope.fields },
    ...((scope.call ?? parent.call) ? { call: scope.call ?? parent.call } : {}),
  }
}

/**
 * AsyncLocalStorage if this runtime has it: a global (Workers with nodejs_als, Deno), else Node's
 * `process.getBuiltinModule` (Node ≥ 20.16, Bun); undefined where neither is there (the context then degrades,
 * see above). Synchronous, and no static `node:async_hooks` import, so that this module loads on any runtime.
 */
export function findAsyncLocalStorage(): AsyncStorageClass | undefined {
  const global = (globalThis as { AsyncLocalStorage?: AsyncStorageClass }).AsyncLocalStorage
  if (typeof global === 'function') return global
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
  try {
    const builtin = proc?.getBuiltinModule?.('node:async_hooks') as
      | { AsyncLocalStorage?: AsyncStorageClass }
      | undefined
    return typeof builtin?.AsyncLocalStorage === 'function' ? builtin.AsyncLocalStorage : undefined
  } catch {
    return undefined
  }
}
