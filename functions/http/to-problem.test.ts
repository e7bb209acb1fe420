import { describe, expect, it } from 'vitest'
import * as engineErrors from '../../lib/engine/errors'
import {
  CorruptRunFileError,
  EngineError,
  EngineInputError,
  InvalidCursorError,
  LeaseLostError,
  RunExistsError,
  RunStoreError,
  StoreOpenError,
  UnknownRunError,
  UnknownWorkflowError,
  WorkflowError,
} from '../../lib/engine/errors'
import { HttpProblem } from './problem'
import { ENGINE_ERROR_RULES, toProblem } from './to-problem'
import { WebhookSecretError } from './webhook-signature'

type ErrorClass = abstract new (...args: never[]) => Error

/** Every error class lib/engine/errors.ts exports (its own and the stores' it passes on). */
const EXPORTED_CLASSES = (Object.entries(engineErrors) as Array<[string, unknown]>).filter(
  (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
)

const INTERNAL = {
  status: 500,
  code: 'internal',
  detail: 'The server failed to handle this request; quote the requestId when reporting it.',
}

/** One instance of each class and the problem a caller gets for it. */
const CASES: Array<[ErrorClass, Error, { status: number; code: string; detail?: string; field?: string }]> = [
  [
    UnknownWorkflowError,
    new UnknownWorkflowError('ghost', ['backup']),
    { status: 404, code: 'unknown-workflow', detail: 'Unknown workflow "ghost" (known: backup)' },
  ],
  [
    UnknownRunError,
    new UnknownRunError('run-1'),
    { status: 404, code: 'unknown-run', detail: 'No run with id "run-1"' },
  ],
  [
    EngineInputError,
    new EngineInputError('The input of "backup" does not match its schema: /disks must be array', 'input/disks'),
    { status: 400, code: 'invalid-field', field: 'input/disks' },
  ],
  [
    InvalidCursorError,
    new InvalidCursorError(),
    {
      status: 400,
      code: 'invalid-field',
      field: 'cursor',
      detail: 'cursor is not one this server handed out (use nextCursor as given).',
    },
  ],
  [
    WorkflowError,
    new WorkflowError([{ workflow: 'w', pointer: 'w.schema.json#/properties/a/$ref', message: 'resolves to nothing' }]),
    INTERNAL,
  ],
  [RunExistsError, new RunExistsError('run-1'), INTERNAL],
  [LeaseLostError, new LeaseLostError('run-1'), INTERNAL],
  [CorruptRunFileError, new CorruptRunFileError('/var/lib/ctflow/runs/run-1.json', 'unexpected end of JSON'), INTERNAL],
  [StoreOpenError, new StoreOpenError('cannot open PostgreSQL run store'), INTERNAL],
  [RunStoreError, new RunStoreError('store failed'), INTERNAL],
  [EngineError, new EngineError('engine failed'), INTERNAL],
]

describe('toProblem: the engine’s errors by class', () => {
  it('has a rule of its own for every error class lib/engine/errors.ts exports, so none falls through to the unknown-error 500', () => {
    const ruled = new Set(ENGINE_ERROR_RULES.map(([errorClass]) => errorClass))
    const missing = EXPORTED_CLASSES.filter(([, errorClass]) => !ruled.has(errorClass)).map(([name]) => name)
    expect(EXPORTED_CLASSES.length).toBeGreaterThanOrEqual(11)
    expect(missing).toEqual([])
  })

  it('lists a subclass before its base, so that the subclass’s own rule is the one that applies', () => {
    const order = ENGINE_ERROR_RULES.map(([errorClass]) => errorClass)
    const shadowed = order.flatMap((base, i) =>
      order
        .slice(i + 1)
        .filter((later) => later.prototype instanceof base)
        .map((later) => `${later.name} after ${base.name}`),
    )
    expect(shadowed).toEqual([])
  })

  it('pins the answer for every exported class (this table names each one)', () => {
    expect(CASES.map(([errorClass]) => errorClass.name).sort()).toEqual(EXPORTED_CLASSES.map(([name]) => name).sort())
  })

  it.each(CASES.map(([errorClass, error, expected]) => [errorClass.name, error, expected] as const))(
    'answers %s with its own problem',
    (_name, error, expected) => {
      const problem = toProblem(error)
      expect(problem).toBeInstanceOf(HttpProblem)
      expect({
        status: problem.status,
        code: problem.code,
        ...(problem.extra.field !== undefined ? { field: problem.extra.field } : {}),
      }).toEqual({
        status: expected.status,
        code: expected.code,
        ...(expected.field !== undefined ? { field: expected.field } : {}),
      })
      expect(problem.message).toBe(expected.detail ?? error.message)
    },
  )

  it('tells nothing of a server-side engine error to the caller (no path, message or problem list)', () => {
    for (const [, error, expected] of CASES) {
      if (expected.status !== 500) continue
      expect(toProblem(error).body().detail).toBe(INTERNAL.detail)
    }
  })

  it.each([
    [
      'an Error merely named like an engine error',
      Object.assign(new Error('disks must be an array'), { name: 'EngineInputError', field: '$.disks' }),
    ],
    [
      'an Error named like an unknown workflow',
      Object.assign(new Error('unknown workflow x'), { name: 'UnknownWorkflowError' }),
    ],
    ['an Error whose message mentions a cursor', new Error('bad cursor')],
    ['a plain TypeError', new TypeError('cannot read properties of undefined')],
    ['a thrown string', 'boom'],
  ])('answers %s with the unknown-error 500: classes decide, not names or messages', (_name, error) => {
    const problem = toProblem(error)
    expect({ status: problem.status, code: problem.code, detail: problem.message }).toEqual(INTERNAL)
  })

  it('passes an HttpProblem through and answers an unusable webhook secret with 503', () => {
    const problem = new HttpProblem(415, 'unsupported-media-type', 'Send JSON.')
    expect(toProblem(problem)).toBe(problem)
    expect(toProblem(new WebhookSecretError('No webhook secret is configured'))).toMatchObject({
      status: 503,
      code: 'not-configured',
    })
  })
})
