import type { CliIO, Command } from './command'
import { UsageError } from './command'

// Each command loads lazily (its own chunk in dist/), so `ctflow api` does not pay for the engine or the simulator.
const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  api: {
    summary: 'call any CTyun OpenAPI operation, signed, and print the JSON reply',
    load: () => import('./commands/api'),
  },
  sim: { summary: 'start the local CTyun simulator', load: () => import('./commands/sim') },
  run: { summary: 'run a workflow to the end in this process', load: () => import('./commands/run') },
  runs: { summary: 'list, show or cancel runs in the store', load: () => import('./commands/runs') },
  validate: { summary: 'validate workflow definitions (ASL)', load: () => import('./commands/validate') },
  serve: { summary: 'serve the HTTP app, schedules and worker loop on Node', load: () => import('./commands/serve') },
  worker: { summary: 'resume due runs until stopped', load: () => import('./commands/worker') },
  demo: { summary: 'run the nightly backup job against the simulator', load: () => import('./commands/demo') },
  notify: { summary: 'send a test message to each CTFLOW_NOTIFY channel', load: () => import('./commands/notify') },
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)
  return `Usage: ctflow <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`ctflow <command> --help\` for a command's options.\n`
}

/** Runs `ctflow <command> …` and resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ;(name ? io.stdout : io.stderr)(usage())
    return name ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    io.stderr(`ctflow: unknown command "${name}"\n\n${usage()}`)
    return 2
  }
  try {
    const { default: run } = await command.load()
    return await run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ctflow ${name}: ${error.message}\n`)
      return 2
    }
    // Never a stack trace to the user; errors from lib/ carry their own readable message (and never a secret).
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    // --json: every line is one JSON object, this one too (lib/log's shape; not loaded here, for `--help`'s sake).
    if (rest.includes('--json')) {
      const line = { level: 'error', time: new Date().toISOString(), msg: `ctflow ${name}: ${message}` }
      io.stderr(`${JSON.stringify(line)}\n`)
      return 1
    }
    io.stderr(`ctflow ${name}: ${message}\n`)
    if (io.env.CTFLOW_DEBUG) io.stderr(`${(error as Error)?.stack ?? ''}\n`)
    return 1
  }
}

function processIO(): CliIO {
  const controller = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => controller.abort(new Error(signal)))
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  }
}
