/**
 * The runner, and with it the interpreter and the ASL language (JSONPath, intrinsics, choice rules), loaded when the
 * engine first advances or cancels a run: a cold start that answers GET /healthz or lists runs never parses them.
 * @example const { advanceRun } = await loadRunner()
 */
export function loadRunner(): Promise<typeof import('./runner') & typeof import('./child-run-commands')> {
  loading ??= Promise.all([import('./runner'), import('./child-run-commands')]).then(([runner, childRuns]) => ({
    ...runner,
    ...childRuns,
  }))
  return loading
}

let loading: Promise<typeof import('./runner') & typeof import('./child-run-commands')> | undefined
