/** One thing wrong with a workflow: where (a JSON pointer into the file, and the state if any) and what. */
export interface Problem {
  /** RFC 6901 pointer into the workflow file, e.g. `/States/Snapshot/Retry/0/ErrorEquals`; '' for the whole file. */
  pointer: string
  state?: string
  message: string
}

/** One line per problem: `/States/Snapshot/Next (state "Snapshot"): names no state: "Snapshoot"`. */
export function formatProblem(problem: Problem): string {
  const where = problem.pointer || '/'
  return problem.state !== undefined
    ? `${where} (state "${problem.state}"): ${problem.message}`
    : `${where}: ${problem.message}`
}
