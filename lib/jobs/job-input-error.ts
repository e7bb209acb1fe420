/**
 * Bad job input, raised by the jobs' first step before anything touches the cloud. Its name is the ASL error a
 * workflow sees (`Job.InvalidInput`), and the message names the field, e.g. `input.retention.keepLast must be …`.
 */
export class JobInputError extends Error {
  override name = 'Job.InvalidInput'
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(field ? `input.${field} ${problem}` : `input ${problem}`)
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function requireString(input: Record<string, unknown>, field: string): string {
  const value = input[field]
  if (typeof value !== 'string' || value.trim() === '')
    throw new JobInputError(field, 'is required (a non-empty string)')
  return value
}
