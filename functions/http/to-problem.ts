import { HttpProblem } from './problem'

/**
 * Maps any error thrown while handling a request to the problem the caller sees. Engine errors are recognised by
 * `name` (the engine's contract, lib/engine/errors.ts) rather than by class, so this file does not pull the engine
 * into the HTTP bundle. Anything unknown becomes a 500 whose detail says nothing about the cause.
 */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error
  const named = error instanceof Error ? error : undefined
  const name = named?.name ?? ''
  if (/^(UnknownWorkflow|WorkflowNotFound)Error$/.test(name)) return new HttpProblem(404, 'unknown-workflow', named!.message)
  if (/(Validation|Input)Error$/.test(name)) {
    const field = fieldOf(named!)
    return new HttpProblem(400, 'invalid-field', named!.message, field ? { field } : {})
  }
  if (name === 'RunNotFoundError') return new HttpProblem(404, 'unknown-run', named!.message)
  if (name === 'WebhookSecretError') return new HttpProblem(503, 'not-configured', 'Webhooks are not configured on this server.')
  return new HttpProblem(500, 'internal', 'The server failed to handle this request; quote the requestId when reporting it.')
}

function fieldOf(error: Error): string | undefined {
  const { field, path } = error as { field?: unknown; path?: unknown }
  if (typeof field === 'string') return field
  if (typeof path === 'string') return path
  return undefined
}
