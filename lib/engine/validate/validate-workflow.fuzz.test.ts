import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../create-engine'
import type { WorkflowDefinition } from '../interpreter/definition'
import { isTerminal } from '../run'
import { createMemoryStore } from '../stores/memory-store'
import { createFakeClock } from '../testing/fake-clock'
import { validWorkflows } from './fixtures/valid-workflows'
import { validateWorkflow } from './validate-workflow'

/**
 * Property-based fuzzing of the ASL validator, and of the engine on what it accepts (fast-check, seeded, bounded in
 * time): generated definitions — arbitrary JSON, mutations of valid workflows, and ASL-shaped ones nested and sized
 * to hurt — get a list of problems, each with a pointer and a message, and never a throw; a definition it accepts
 * runs to an end (a status, an error name and cause) under tight limits, with no throw and no unhandled rejection.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123)
const budget = (numRuns: number) => ({ seed: SEED, numRuns, interruptAfterTimeLimit: 10_000 })
const options = { isKnownResource: (resource: string) => resource.startsWith('ctyun:') || resource === 'test:echo' }

function expectProblemsWellFormed(definition: unknown): ReturnType<typeof validateWorkflow> {
  const problems = validateWorkflow(definition, options)
  for (const problem of problems) {
    expect(problem.pointer === '' || problem.pointer.startsWith('/')).toBe(true)
    expect(typeof problem.message).toBe('string')
    expect(problem.message.length).toBeGreaterThan(0)
    if (problem.state !== undefined) expect(typeof problem.state).toBe('string')
  }
  return problems
}

// ——— generators ———

const names = ['A', 'B', 'C', 'Done', 'a b', 'x'.repeat(81), '']
const name = fc.constantFrom(...names)
const pathValue = fc.constantFrom(
  '$',
  '$.a',
  '$.b[0]',
  '$.list[*].id',
  '$..a',
  '$.a[?(@.n > 1)]',
  '$$.Execution.Input',
  '$$.Map.Item.Value',
  '$.',
  '$[',
  'nope',
  '$.a[?(@.b',
  `$.a[?(${'('.repeat(300)}@.b${')'.repeat(300)})]`,
)
const intrinsic = fc.constantFrom(
  "States.Format('{} x', $.a)",
  'States.ArrayLength($.list)',
  'States.MathAdd($.n, 1)',
  'States.JsonToString($)',
  'States.StringToJson($.s)',
  'States.Nope()',
  'States.Format(',
  `${'States.Array('.repeat(200)}1${')'.repeat(200)}`,
)
const scalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e300,
    31_536_001,
    '',
    'x',
    '2026-01-01T00:00:00Z',
    '9999-12-31T00:00:00Z',
  ),
  fc.integer({ min: 0, max: 100 }),
)
const template = fc.dictionary(
  fc.constantFrom('a', 'b.$', 'c.$', 'n', 'list.$'),
  fc.oneof(scalar, pathValue, intrinsic),
  { maxKeys: 4 },
)
const errorNames = fc.constantFrom(
  'States.ALL',
  'States.TaskFailed',
  'States.DataLimitExceeded',
  'States.Runtime',
  'States.Bogus',
  'Custom.Error',
)
const retry = fc.array(
  fc.record(
    {
      ErrorEquals: fc.array(errorNames, { minLength: 1, maxLength: 2 }),
      IntervalSeconds: fc.constantFrom(1, 2, 1e300),
      MaxAttempts: fc.constantFrom(0, 1, 2, 3),
      BackoffRate: fc.constantFrom(1, 2, 1e300),
    },
    { requiredKeys: ['ErrorEquals'] },
  ),
  { maxLength: 2 },
)
const comparator = fc.constantFrom(
  'StringEquals',
  'StringMatches',
  'NumericGreaterThan',
  'NumericEqualsPath',
  'BooleanEquals',
  'IsPresent',
  'IsNull',
  'TimestampLessThan',
)

type Letrec = {
  state: Record<string, unknown>
  machine: { StartAt: string; States: Record<string, unknown> }
  rule: Record<string, unknown>
}
const asl = fc.letrec<Letrec>((tie) => ({
  machine: fc.record({ StartAt: name, States: fc.dictionary(name, tie('state'), { minKeys: 1, maxKeys: 4 }) }),
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(pathValue, comparator, fc.oneof(scalar, pathValue))
      .map(([Variable, operator, value]) => ({ Variable, [operator]: value })),
    fc.array(tie('rule'), { minLength: 1, maxLength: 2 }).map((And) => ({ And })),
    tie('rule').map((Not) => ({ Not })),
  ),
  state: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        Type: fc.constant('Pass'),
        Parameters: template,
        Result: scalar,
        ResultPath: fc.oneof(pathValue, fc.constant(null)),
        OutputPath: pathValue,
        Next: name,
        End: fc.constant(true),
      },
      { requiredKeys: ['Type'] },
    ),
    fc.record(
      {
        Type: fc.constant('Task'),
        Resource: fc.constantFrom('test:echo', 'ctyun:ebs:listDisks', 'aws:lambda'),
        Parameters: template,
        TimeoutSeconds: fc.constantFrom(1, 100_000_000),
        Retry: retry,
        Catch: fc.array(fc.record({ ErrorEquals: fc.array(errorNames, { minLength: 1 }), Next: name }), {
          maxLength: 1,
        }),
        Next: name,
        End: fc.constant(true),
      },
      { requiredKeys: ['Type', 'Resource'] },
    ),
    fc.record(
      {
        Type: fc.constant('Choice'),
        Choices: fc.array(
          tie('rule').map((rule) => ({ ...rule, Next: 'Done' })),
          { maxLength: 2 },
        ),
        Default: name,
      },
      { requiredKeys: ['Type', 'Choices'] },
    ),
    fc.record(
      {
        Type: fc.constant('Wait'),
        Seconds: scalar,
        SecondsPath: pathValue,
        Timestamp: scalar,
        TimestampPath: pathValue,
        Next: name,
        End: fc.constant(true),
      },
      { requiredKeys: ['Type'] },
    ),
    fc.record({ Type: fc.constant('Succeed') }),
    fc.record(
      { Type: fc.constant('Fail'), Error: fc.constantFrom('E', 1), CausePath: fc.oneof(pathValue, intrinsic) },
      { requiredKeys: ['Type'] },
    ),
    fc.record(
      {
        Type: fc.constant('Parallel'),
        Branches: fc.array(tie('machine'), { maxLength: 2 }),
        ResultPath: pathValue,
        Next: name,
        End: fc.constant(true),
      },
      { requiredKeys: ['Type', 'Branches'] },
    ),
    fc.record(
      {
        Type: fc.constant('Map'),
        ItemsPath: pathValue,
        ItemSelector: template,
        MaxConcurrency: fc.constantFrom(0, 1, -1),
        ItemProcessor: tie('machine'),
        Next: name,
        End: fc.constant(true),
      },
      { requiredKeys: ['Type', 'ItemProcessor'] },
    ),
  ),
}))

/** A Parallel (or Map, or Parameters object) nested `depth` times: what overflowed the validator's stack. */
const hostile = fc
  .tuple(fc.constantFrom('Parallel', 'Map', 'Parameters', 'Not'), fc.integer({ min: 250, max: 5_000 }))
  .map(([kind, depth]) => {
    const leaf = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }
    if (kind === 'Parameters') {
      let parameters: object = { 'v.$': '$.v' }
      for (let i = 0; i < depth; i++) parameters = { a: parameters }
      return { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: parameters, End: true } } }
    }
    if (kind === 'Not') {
      let rule: object = { Variable: '$.v', IsPresent: true }
      for (let i = 0; i < depth; i++) rule = { Not: rule }
      return {
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } },
      }
    }
    let machine: object = leaf
    for (let i = 0; i < depth; i++) {
      machine = {
        StartAt: 'N',
        States: {
          N:
            kind === 'Parallel'
              ? { Type: 'Parallel', Branches: [machine], End: true }
              : { Type: 'Map', ItemProcessor: machine, End: true },
        },
      }
    }
    return machine
  })

/** A valid workflow with one value somewhere replaced by something strange. */
const strange = fc.oneof(
  scalar,
  pathValue,
  intrinsic,
  fc.constantFrom([], [null], {}, { Type: 'Pass' }, [{}]),
  fc.jsonValue({ maxDepth: 2 }),
)
const mutated = fc
  .tuple(
    fc.constantFrom(...Object.values(validWorkflows)),
    fc.array(fc.tuple(fc.nat(), strange), { minLength: 1, maxLength: 4 }),
  )
  .map(([workflow, edits]) => {
    const copy = structuredClone(workflow) as Record<string, unknown>
    for (const [pick, value] of edits) {
      const slots: Array<[Record<string, unknown> | unknown[], string | number]> = []
      const collect = (node: unknown) => {
        if (Array.isArray(node))
          for (const [index, child] of node.entries()) {
            slots.push([node, index])
            collect(child)
          }
        else if (typeof node === 'object' && node !== null)
          for (const [key, child] of Object.entries(node))
            slots.push([node as Record<string, unknown>, key]), collect(child)
      }
      collect(copy)
      const [parent, key] = slots[pick % slots.length]!
      ;(parent as Record<string | number, unknown>)[key] = structuredClone(value) // a fresh copy: never a cycle
    }
    return copy
  })

describe('validateWorkflow on generated definitions', () => {
  it('lists problems, each with a pointer and a message, and never throws: arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (definition) => void expectProblemsWellFormed(definition)),
      budget(3_000),
    )
  })

  it('… mutations of valid workflows', () => {
    fc.assert(
      fc.property(mutated, (definition) => void expectProblemsWellFormed(definition)),
      budget(3_000),
    )
  })

  it('… ASL-shaped definitions with strange values in every field', () => {
    fc.assert(
      fc.property(asl.machine, (definition) => void expectProblemsWellFormed(definition)),
      budget(3_000),
    )
  })

  it('… definitions nested thousands of levels deep: one problem naming the depth', () => {
    fc.assert(
      fc.property(hostile, (definition) => {
        const problems = expectProblemsWellFormed(definition)
        expect(problems.length).toBeGreaterThan(0)
      }),
      budget(40),
    )
  })
})

// Workflows built to be valid (a chain S0 → S1 → … → Done) from states with fields that are right but may still fail at
// run time: paths that match nothing, intrinsics on the wrong types, waits from the input, loops back, nested branches.
const goodPath = fc.constantFrom(
  '$',
  '$.a',
  '$.n',
  '$.list',
  '$.list[*].id',
  '$..n',
  '$.list[?(@.n > 1)]',
  '$$.Execution.Input',
  '$.missing',
)
const goodIntrinsic = fc.constantFrom(
  "States.Format('{} x', $.n)",
  'States.ArrayLength($.list)',
  'States.MathAdd($.n, 1)',
  'States.JsonToString($)',
  'States.StringToJson($.s)',
  'States.Array($, $)',
  'States.ArrayUnique($.list)',
  "States.Hash($.a, 'SHA-256')",
)
const goodTemplate = fc
  .dictionary(fc.constantFrom('a', 'n', 'list', 's'), fc.oneof(goodPath, goodIntrinsic), { maxKeys: 3 })
  .map((entries) => Object.fromEntries(Object.entries(entries).map(([key, value]) => [`${key}.$`, value])))
const goodRule = fc
  .tuple(
    fc.constantFrom('$.n', '$.a', '$.missing', '$.s'),
    fc.constantFrom(
      ['NumericGreaterThan', 1],
      ['IsPresent', true],
      ['StringMatches', '*a*'],
      ['IsNumeric', false],
      ['NumericEqualsPath', '$.n'],
    ),
  )
  .map(([Variable, [operator, value]]) => ({
    Variable,
    [operator as string]: value,
  }))
type Runnable = { machine: { StartAt: string; States: Record<string, unknown> }; body: Record<string, unknown> }
const runnable = fc.letrec<Runnable>((tie) => ({
  machine: fc.array(tie('body'), { minLength: 1, maxLength: 4 }).map((bodies) => {
    const States: Record<string, unknown> = { Done: { Type: 'Succeed' } }
    bodies.forEach((body, index) => {
      const next = index + 1 < bodies.length ? `S${index + 1}` : 'Done'
      if (body.Type === 'Choice')
        States[`S${index}`] = {
          ...body,
          Choices: (body.Choices as object[]).map((rule, i) => ({ ...rule, Next: i === 0 ? 'S0' : next })),
          Default: next,
        }
      else if (body.Type === 'Fail') States[`S${index}`] = body
      else States[`S${index}`] = { ...body, Next: next }
    })
    return { StartAt: 'S0', States }
  }),
  body: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        Type: fc.constant('Pass'),
        Parameters: goodTemplate,
        ResultPath: fc.constantFrom('$.r', '$', null),
        OutputPath: goodPath,
      },
      { requiredKeys: ['Type'] },
    ),
    fc.record(
      {
        Type: fc.constant('Task'),
        Resource: fc.constant('test:echo'),
        Parameters: goodTemplate,
        Retry: fc.constant([{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, BackoffRate: 1e300 }]),
        ResultSelector: goodTemplate,
      },
      { requiredKeys: ['Type', 'Resource'] },
    ),
    fc.record({ Type: fc.constant('Choice'), Choices: fc.array(goodRule, { minLength: 1, maxLength: 2 }) }),
    fc.record({ Type: fc.constant('Wait'), SecondsPath: fc.constantFrom('$.n', '$.a', '$.missing') }),
    fc.record({ Type: fc.constant('Wait'), TimestampPath: fc.constantFrom('$.s', '$.a') }),
    fc.record({ Type: fc.constant('Fail'), CausePath: fc.constantFrom('$.s', '$.n', "States.Format('{}', $.n)") }),
    fc.record({
      Type: fc.constant('Parallel'),
      Branches: fc.array(tie('machine'), { minLength: 1, maxLength: 2 }),
      ResultPath: fc.constantFrom('$.p', null),
    }),
    fc.record(
      {
        Type: fc.constant('Map'),
        ItemsPath: fc.constantFrom('$.list', '$.a', '$.n'),
        ItemSelector: goodTemplate,
        MaxConcurrency: fc.constantFrom(0, 1),
        ItemProcessor: tie('machine'),
        ResultPath: fc.constantFrom('$.m', null),
      },
      { requiredKeys: ['Type', 'ItemProcessor'] },
    ),
  ),
}))

/** State names are unique in the whole workflow: each nested machine's S0 … Done get its path as a prefix. */
function uniqueNames(
  machine: { StartAt: string; States: Record<string, unknown> },
  prefix = '',
): { StartAt: string; States: Record<string, unknown> } {
  const rename = (target: unknown) => (typeof target === 'string' ? `${prefix}${target}` : target)
  const States: Record<string, unknown> = {}
  for (const [name, body] of Object.entries(machine.States)) {
    const state = { ...(body as Record<string, unknown>) }
    if ('Next' in state) state.Next = rename(state.Next)
    if ('Default' in state) state.Default = rename(state.Default)
    if (Array.isArray(state.Choices))
      state.Choices = state.Choices.map((rule: Record<string, unknown>) => ({ ...rule, Next: rename(rule.Next) }))
    if (Array.isArray(state.Branches))
      state.Branches = state.Branches.map((branch: typeof machine, index: number) =>
        uniqueNames(branch, `${prefix}${name}b${index}.`),
      )
    if (state.ItemProcessor)
      state.ItemProcessor = uniqueNames(state.ItemProcessor as typeof machine, `${prefix}${name}i.`)
    States[`${prefix}${name}`] = state
  }
  return { StartAt: `${prefix}${machine.StartAt}`, States }
}

describe('the engine on generated definitions the validator accepts', () => {
  const unhandled: unknown[] = []
  const collect = (reason: unknown) => void unhandled.push(reason)
  beforeAll(() => void process.on('unhandledRejection', collect))
  afterAll(() => void process.off('unhandledRejection', collect))

  it('runs each to an end — a status, and for a failure an error name and cause — without a throw or an unhandled rejection', async () => {
    const inputs = fc.record(
      {
        a: fc.jsonValue({ maxDepth: 2 }),
        n: fc.integer({ min: -2, max: 5 }),
        list: fc.array(fc.record({ id: fc.string({ maxLength: 3 }), n: fc.integer() }), { maxLength: 3 }),
        s: fc.constantFrom('{"a":1}', '[', '1'),
      },
      { requiredKeys: [] },
    )
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: runnable.machine.map((machine) => uniqueNames(machine)) },
          { weight: 1, arbitrary: asl.machine },
        ),
        inputs,
        async (definition, input) => {
          if (validateWorkflow(definition, options).length > 0) return
          accepted += 1
          const engine = createEngine({
            store: createMemoryStore(),
            workflows: { w: definition as unknown as WorkflowDefinition },
            actions: {
              has: () => true,
              resolve: () => ({ kind: 'call', call: (value: unknown) => value }),
              register() {
                return this
              },
            } as never,
            clock: createFakeClock(),
            random: () => 0.5,
            limits: { maxHistoryEvents: 300, maxPayloadBytes: 20_000 },
          })
          const { run } = await engine.start({ workflow: 'w', input })
          const done = await engine.runToEnd(run.id)
          expect(isTerminal(done.status)).toBe(true)
          if (done.status !== 'SUCCEEDED')
            expect(done.error).toEqual({ error: expect.any(String), cause: expect.any(String) })
          expect(done.historyLength).toBeLessThanOrEqual(301)
        },
      ),
      budget(400),
    )
    expect(accepted).toBeGreaterThan(100) // the generator does make runnable workflows
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(unhandled).toEqual([])
  }, 60_000)
})
