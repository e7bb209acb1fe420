import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

export type Markup = HtmlEscapedString

/**
 * Hono's `html` tag (every interpolated value escaped, arrays joined, `raw()` kept as is), typed for the console's
 * use: nothing it renders is asynchronous, so the result is always the string, never a promise of it.
 * @example h`<td>${run.workflow}</td>`
 */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  return html(strings, ...values) as Markup
}

export { raw }
