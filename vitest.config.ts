import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'lib/**/*.test.ts',
      'functions/**/*.test.ts',
      'cli/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // Tests start simulators and child processes on port 0; keep the default pool but bound the time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
