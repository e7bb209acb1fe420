// The same cold run through aws-local-stepfunctions (its own bundle, so neither pays for the other's code).
import { readFileSync } from 'node:fs'
import { loadAwsLocalStepFunctions } from '../lib/engine/testing/aws-local-stepfunctions'

const definition = JSON.parse(readFileSync(process.argv[2]!, 'utf8'))
const { StateMachine } = await loadAwsLocalStepFunctions()
const machine = new StateMachine(definition, { validationOptions: { checkArn: false, checkPaths: false } })
await machine.run({}).result
process.stdout.write(`${performance.now()}\n`)
