// The same cold run through aws-local-stepfunctions (its own bundle, so neither pays for the other's code).
import { readFileSync } from 'node:fs'

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  // aws-local-stepfunctions 3 calls Promise.withResolvers (Node 22); Node 20 needs this polyfill.
  ;(Promise as unknown as { withResolvers: unknown }).withResolvers = () => {
    let resolve, reject
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)))
    return { promise, resolve, reject }
  }
}
const definition = JSON.parse(readFileSync(process.argv[2]!, 'utf8'))
const { StateMachine } = await import('aws-local-stepfunctions')
const machine = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } })
await machine.run({}).result
process.stdout.write(`${performance.now()}\n`)
