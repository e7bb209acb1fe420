/** The engine bench's state machines, generated: the same definitions run through ctflow and aws-local-stepfunctions. */

/** 1,000 Pass states in a chain: 1,000 transitions. */
export function passChain(length = 1000): Record<string, unknown> {
  const States: Record<string, unknown> = {}
  for (let i = 0; i < length; i++)
    States[`S${i}`] = i === length - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` }
  return { StartAt: 'S0', States }
}

/** A Map over `items` items, each running 3 Pass states: 1 + 3 × items transitions. */
export function mapOfPasses(): Record<string, unknown> {
  return {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          StartAt: 'A',
          States: {
            A: { Type: 'Pass', Next: 'B' },
            B: { Type: 'Pass', Parameters: { 'v.$': '$' }, Next: 'C' },
            C: { Type: 'Pass', OutputPath: '$.v', End: true },
          },
        },
        End: true,
      },
    },
  }
}

/** A counter loop: Choice + Pass per iteration, 2 × iterations + 2 transitions. */
export function choiceLoop(): Record<string, unknown> {
  return {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { i: 0, 'n.$': '$.n' }, Next: 'Check' },
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$.i', NumericGreaterThanEqualsPath: '$.n', Next: 'Done' }],
        Default: 'Inc',
      },
      Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)', 'n.$': '$.n' }, Next: 'Check' },
      Done: { Type: 'Succeed' },
    },
  }
}

export const workloads = [
  { name: '1,000-state Pass chain', definition: passChain(), input: {}, transitions: 1000 },
  {
    name: 'Map over 1,000 items × 3 Pass',
    definition: mapOfPasses(),
    input: { items: Array.from({ length: 1000 }, (_, i) => ({ i })) },
    transitions: 3001,
  },
  { name: '1,000-iteration Choice loop', definition: choiceLoop(), input: { n: 1000 }, transitions: 2002 },
]
