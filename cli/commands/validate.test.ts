import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CliIO } from '../command'
import { main } from '../main'

let dir: string
let out: string
let err: string
let io: CliIO

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctflow-validate-'))
  out = ''
  err = ''
  io = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    env: {},
    cwd: dir,
    signal: new AbortController().signal,
  }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const good = {
  StartAt: 'Snap',
  States: { Snap: { Type: 'Task', Resource: 'ctyun:ebs:createSnapshot.sync', End: true } },
}

describe('ctflow validate', () => {
  it('prints one OK line per valid file and exits 0', async () => {
    await writeFile(join(dir, 'a.json'), JSON.stringify(good))
    await writeFile(join(dir, 'b.json'), JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }))
    expect(await main(['validate', 'a.json', 'b.json'], io)).toBe(0)
    expect(out).toBe('a.json: OK\nb.json: OK\n')
    expect(err).toBe('')
  })

  it('lists every problem with file, pointer and state, and exits 1', async () => {
    await writeFile(join(dir, 'good.json'), JSON.stringify(good))
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({
        StartAt: 'A',
        States: { A: { Type: 'Task', Resource: 'aws:lambda', Next: 'B' }, C: { Type: 'Succeed' } },
      }),
    )
    await writeFile(join(dir, 'broken.json'), '{\n  "StartAt": "A",\n}')
    expect(await main(['validate', 'good.json', 'bad.json', 'broken.json', 'missing.json'], io)).toBe(1)
    expect(out).toBe('good.json: OK\n')
    expect(err.split('\n')).toEqual([
      'bad.json: /States/A/Next (state "A"): names no state in this scope: "B"',
      'bad.json: /States/A/Resource (state "A"): unknown resource "aws:lambda": no action is registered under this name',
      'bad.json: /States/C (state "C"): unreachable: no path leads here from StartAt "A"',
      'broken.json: /: Invalid JSON at line 3, column 1: trailing comma before "}"',
      'missing.json: /: file not found',
      '5 problem(s) in 3 of 4 file(s)',
      '',
    ])
  })

  it('prints the problems as JSON with --json', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass' } } }))
    expect(await main(['validate', '--json', 'bad.json'], io)).toBe(1)
    expect(JSON.parse(out)).toEqual([
      {
        file: 'bad.json',
        pointer: '/States/A',
        state: 'A',
        message: 'needs "Next" (the following state) or "End": true',
      },
      {
        file: 'bad.json',
        pointer: '/States',
        message: 'no terminal state: at least one state needs "End": true or Type Succeed/Fail',
      },
    ])
  })

  it('accepts every shipped workflow, with the resources of the product registry', async () => {
    const workflows = join(import.meta.dirname, '../../workflows')
    // As `ctflow validate workflows/*.json` from a shell: input schemas (`<name>.schema.json`) come along.
    const files = (await readdir(workflows)).filter((name) => name.endsWith('.json'))
    expect(files.filter((file) => !file.endsWith('.schema.json')).length).toBeGreaterThan(0)
    expect(await main(['validate', ...files.map((file) => join(workflows, file))], io)).toBe(0)
    expect(err).toBe('')
    expect(out.trim().split('\n')).toHaveLength(files.length)
  })

  it('rejects a resource the registry does not have, even if it looks like a CTyun operation', async () => {
    await writeFile(
      join(dir, 'x.json'),
      JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'ctyun:ebs:makeCoffee', End: true } } }),
    )
    expect(await main(['validate', 'x.json'], io)).toBe(1)
    expect(err).toContain('unknown resource "ctyun:ebs:makeCoffee"')
  })

  it('takes a directory as its *.json files', async () => {
    await mkdir(join(dir, 'flows'))
    await writeFile(join(dir, 'flows', 'b.json'), JSON.stringify(good))
    await writeFile(join(dir, 'flows', 'a.json'), JSON.stringify(good))
    await writeFile(join(dir, 'flows', 'notes.txt'), 'not a workflow')
    expect(await main(['validate', 'flows'], io)).toBe(0)
    expect(out).toBe(`${join('flows', 'a.json')}: OK\n${join('flows', 'b.json')}: OK\n`)
  })

  it('checks an input schema beside a workflow as a JSON Schema', async () => {
    await writeFile(join(dir, 'job.schema.json'), JSON.stringify({ type: 'object' }))
    await writeFile(join(dir, 'bad.schema.json'), '{')
    await writeFile(
      join(dir, 'dangling.schema.json'),
      JSON.stringify({ type: 'object', properties: { id: { $ref: '#/$defs/id' }, n: { type: 'int' } } }),
    )
    expect(await main(['validate', 'job.schema.json', 'bad.schema.json', 'dangling.schema.json'], io)).toBe(1)
    expect(out).toBe('job.schema.json: OK (input schema)\n')
    expect(err).toContain('bad.schema.json: /: Invalid JSON at line 1, column 2')
    expect(err).toContain('dangling.schema.json: /properties/n/type: must be one of array, boolean')
  })

  it('is a usage error without files', async () => {
    expect(await main(['validate'], io)).toBe(2)
    expect(err).toContain('no workflow file given')
  })

  it('reports a hostile definition (Parallel nested 3,000 times, a filter with 5,000 parentheses) as problems, not a crash', async () => {
    const deep = `${'{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":['.repeat(3_000)}{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}${'],"End":true}}}'.repeat(3_000)}`
    await writeFile(join(dir, 'deep.json'), deep)
    const filter = `$.a[?(${'('.repeat(5_000)}@.b${')'.repeat(5_000)})]`
    await writeFile(
      join(dir, 'filter.json'),
      JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: filter, End: true } } }),
    )

    expect(await main(['validate', 'deep.json', 'filter.json'], io)).toBe(1)
    expect(err).toMatch(
      /^deep\.json: (\/States\/P\/Branches\/0){50}: the workflow is nested 12,003 levels deep .*; at most 200 are allowed/m,
    )
    expect(err).toMatch(
      /^filter\.json: \/States\/P\/InputPath \(state "P"\): Invalid JSONPath ".*": filters, parentheses and "!" nest more than 100 levels deep at position 106$/m,
    )
    expect(err).not.toMatch(/call stack/)
  })
})
