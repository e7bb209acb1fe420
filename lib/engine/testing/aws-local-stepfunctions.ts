/**
 * aws-local-stepfunctions (an independent ASL interpreter, for differential tests and benches) on Node 20: version 3
 * calls Promise.withResolvers (Node 22+), so the polyfill is installed before the library is loaded.
 */
export async function loadAwsLocalStepFunctions(): Promise<typeof import('aws-local-stepfunctions')> {
  installPromiseWithResolvers()
  return import('aws-local-stepfunctions')
}

function installPromiseWithResolvers(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') return
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}
