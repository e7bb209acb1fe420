import type { ConformanceCase } from '../conformance-case'
import { choiceCases } from './choice'
import { compositionCases } from './composition'
import { contextCases, jsonPathCases } from './context-and-paths'
import { succeedFailCases, waitCases } from './flow-states'
import { inputOutputCases } from './input-output'
import { intrinsicCases } from './intrinsics'
import { mapCases, parallelCases } from './parallel-map'
import { taskCases } from './task-errors'

/** The whole conformance suite, grouped by feature. */
export const conformanceCases: readonly ConformanceCase[] = [
  ...inputOutputCases,
  ...contextCases,
  ...jsonPathCases,
  ...intrinsicCases,
  ...choiceCases,
  ...waitCases,
  ...succeedFailCases,
  ...parallelCases,
  ...mapCases,
  ...taskCases,
  ...compositionCases,
]
