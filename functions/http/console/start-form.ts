import type { WorkflowInfo } from '../../../lib/engine'
import { layout, type PageFrame } from './console-pages'
import { h } from './markup'

/** One input of the start form: a top-level property of the workflow's input schema (or the whole input as JSON). */
export interface FormField {
  name: string
  kind: 'text' | 'number' | 'boolean' | 'enum' | 'json'
  required: boolean
  description?: string
  options?: string[]
}

/** The field that holds the whole input when the schema names no properties. */
export const WHOLE_INPUT = '$input'

interface ObjectSchema {
  type?: unknown
  properties?: Record<string, Record<string, unknown>>
  required?: string[]
  examples?: unknown[]
}

/** The form's fields, from the schema's top-level properties; without any, one JSON field for the whole input. */
export function formFields(schema: unknown): FormField[] {
  const s = (typeof schema === 'object' && schema !== null ? schema : {}) as ObjectSchema
  const properties = s.properties ?? {}
  if (Object.keys(properties).length === 0) return [{ name: WHOLE_INPUT, kind: 'json', required: true }]
  const required = new Set(Array.isArray(s.required) ? s.required : [])
  return Object.entries(properties).map(([name, property]) => {
    const type = property.type
    const field: FormField = {
      name,
      required: required.has(name),
      kind: Array.isArray(property.enum)
        ? 'enum'
        : type === 'string'
          ? 'text'
          : type === 'integer' || type === 'number'
            ? 'number'
            : type === 'boolean'
              ? 'boolean'
              : 'json',
    }
    if (typeof property.description === 'string') field.description = property.description
    if (Array.isArray(property.enum)) field.options = property.enum.map((v) => JSON.stringify(v))
    return field
  })
}

/** The form's values prefilled from the schema's first example (`examples[0]`), as the fields show them. */
export function exampleValues(schema: unknown, fields: FormField[]): Record<string, string> {
  const example = (schema as ObjectSchema | undefined)?.examples?.[0]
  if (example === undefined) return {}
  if (fields.length === 1 && fields[0]!.name === WHOLE_INPUT) return { [WHOLE_INPUT]: JSON.stringify(example, null, 2) }
  if (typeof example !== 'object' || example === null) return {}
  const values: Record<string, string> = {}
  for (const field of fields) {
    const value = (example as Record<string, unknown>)[field.name]
    if (value === undefined) continue
    values[field.name] =
      field.kind === 'text' && typeof value === 'string'
        ? value
        : field.kind === 'json'
          ? JSON.stringify(value, null, 2)
          : JSON.stringify(value)
  }
  return values
}

/** Problems by field name; `''` holds those of the input as a whole. */
export type FieldProblems = Map<string, string[]>

/** The input the posted form describes, or the problems that keep it from being one (each beside its field). */
export function readForm(
  fields: FormField[],
  values: Record<string, string>,
): { input: unknown; problems: FieldProblems } {
  const problems: FieldProblems = new Map()
  const input: Record<string, unknown> = {}
  for (const field of fields) {
    const text = values[field.name] ?? ''
    if (text.trim() === '') continue
    if (field.kind === 'text') {
      input[field.name] = text
      continue
    }
    try {
      const value = JSON.parse(text) as unknown
      if (field.kind === 'number' && typeof value !== 'number') throw new Error('must be a number')
      if (field.name === WHOLE_INPUT) return { input: value, problems }
      input[field.name] = value
    } catch (error) {
      const message = error instanceof SyntaxError ? `is not valid JSON (${error.message})` : (error as Error).message
      addProblem(problems, field.name, message)
    }
  }
  return { input, problems }
}

/** Files a schema problem (a JSON pointer into the input) under the top-level field it is about. */
export function addSchemaProblem(problems: FieldProblems, fields: FormField[], pointer: string, message: string): void {
  const segments = pointer.split('/').slice(1)
  const first = segments[0]?.replace(/~1/g, '/').replace(/~0/g, '~')
  const field = fields.some((f) => f.name === first) ? first! : fields.length === 1 ? fields[0]!.name : ''
  const within = field === first ? segments.slice(1).join('/') : pointer === '/' ? '' : pointer
  addProblem(problems, field, within ? `${within}: ${message}` : message)
}

function addProblem(problems: FieldProblems, field: string, message: string): void {
  const list = problems.get(field) ?? []
  list.push(message)
  problems.set(field, list)
}

/** The start form of a workflow, with the values shown and each problem beside its field. */
export function renderStartForm(
  frame: PageFrame & { formToken: string },
  workflow: WorkflowInfo,
  fields: FormField[],
  values: Record<string, string>,
  problems: FieldProblems = new Map(),
): string {
  const whole = problems.get('')
  const action = `/console/workflows/${encodeURIComponent(workflow.name)}/start`
  const inputs = fields.map((field, index) => {
    const id = `f${index}`
    const value = values[field.name] ?? ''
    const fieldProblems = problems.get(field.name) ?? []
    const describedBy = fieldProblems.length > 0 ? `${id}-problem` : undefined
    const aria = describedBy ? h` aria-invalid="true" aria-describedby="${describedBy}"` : ''
    const control =
      field.kind === 'json'
        ? h`<textarea id="${id}" name="${field.name}" rows="${Math.min(14, Math.max(3, value.split('\n').length + 1))}"${aria}>${value}</textarea>`
        : field.kind === 'boolean' || field.kind === 'enum'
          ? h`<select id="${id}" name="${field.name}"${aria}><option value="">(not set)</option>${(field.kind === 'boolean' ? ['true', 'false'] : (field.options ?? [])).map((option) => h`<option value="${option}"${option === value ? ' selected' : ''}>${option}</option>`)}</select>`
          : h`<input type="text" id="${id}" name="${field.name}" value="${value}"${aria}>`
    const label = field.name === WHOLE_INPUT ? 'Input (JSON)' : field.name
    return h`<div class="field${fieldProblems.length > 0 ? ' invalid' : ''}" data-field="${field.name}"><label for="${id}">${label}${field.required ? ' *' : ''}</label>${field.description ? h`<div class="hint">${field.description}</div>` : ''}${control}${fieldProblems.length > 0 ? h`<div class="problem" id="${describedBy}" role="alert">${fieldProblems.join('; ')}</div>` : ''}${field.kind === 'json' && field.name !== WHOLE_INPUT ? h`<div class="hint">JSON</div>` : ''}</div>`
  })
  return layout(
    { ...frame, title: `Start ${workflow.name}` },
    h`<h1>Start a run of ${workflow.name}</h1>${workflow.comment ? h`<p>${workflow.comment}</p>` : ''}<p class="hint">Prefilled with the example in <code>${workflow.name}.schema.json</code>; empty fields are left out of the input. * required.</p>${whole ? h`<p class="error" role="alert" data-field-problem="input">${whole.join('; ')}</p>` : ''}<form method="post" action="${action}" novalidate><input type="hidden" name="csrf" value="${frame.formToken}">${inputs}<button class="primary" type="submit">Start run</button></form>`,
  )
}
