import { childDefinition, splitWorkflowName } from './interpreter/child-runs'
import type { WorkflowDefinition } from './interpreter/definition'
import type { RunRecord } from './run'
import { sha256Hex } from './sha256'
import type { RunStore } from './stores/run-store'

/**
 * A workflow definition's version: the first 32 hex digits of SHA-256 over its JSON. The same definition gives the same
 * version whatever the file's whitespace, so redeploying an unchanged workflow keeps no second copy.
 */
export function workflowVersionOf(definition: WorkflowDefinition): string {
  return sha256Hex(JSON.stringify(definition)).slice(0, 32)
}

/**
 * Which definition a run follows. A run records the version of the workflow it started on (`RunRecord.workflowVersion`)
 * and the store keeps that definition, so a run suspended across a deploy that changed the workflow (a state renamed,
 * one removed) resumes on the states it was written against — as a Step Functions execution keeps its state machine
 * version. New runs start on the workflow as loaded now.
 */
export interface WorkflowVersions {
  /** The version of a loaded workflow, kept in the store before the first run starts on it (once per engine). */
  keep(workflow: string): Promise<string>
  /**
   * The definition of the run's version; a child run's (`<workflow>#<pointer>`) is the item processor within its root
   * workflow's version. Runs created before versions were kept, and a version the store does not have, follow the
   * workflow as loaded now (what ctflow did before). Undefined: the workflow is unknown.
   */
  definitionFor(run: Pick<RunRecord, 'workflow' | 'workflowVersion'>): Promise<WorkflowDefinition | undefined>
}

export function createWorkflowVersions(
  store: RunStore,
  loaded: (workflow: string) => WorkflowDefinition | undefined,
): WorkflowVersions {
  // Hashed on first use: a function that only answers GET /runs never hashes its workflows.
  const loadedVersions = new Map<string, string>()
  const keeping = new Map<string, Promise<void>>()
  // Definitions of earlier versions read from the store: a version never changes, so they are kept for the process.
  const earlier = new Map<string, WorkflowDefinition>()
  // Item processors by root definition (the loaded one or an earlier version), then by child workflow name.
  const children = new WeakMap<WorkflowDefinition, Map<string, WorkflowDefinition | undefined>>()

  function versionOfLoaded(workflow: string, definition: WorkflowDefinition): string {
    let version = loadedVersions.get(workflow)
    if (version === undefined) loadedVersions.set(workflow, (version = workflowVersionOf(definition)))
    return version
  }

  async function rootDefinition(
    workflow: string,
    version: string | undefined,
  ): Promise<WorkflowDefinition | undefined> {
    const current = loaded(workflow)
    if (version === undefined || (current !== undefined && versionOfLoaded(workflow, current) === version))
      return current
    const known = earlier.get(version)
    if (known !== undefined) return known
    const kept = (await store.getWorkflowVersion(version)) as WorkflowDefinition | undefined
    if (kept === undefined) return current
    earlier.set(version, kept)
    return kept
  }

  return {
    async keep(workflow) {
      const definition = loaded(workflow)
      if (definition === undefined) throw new Error(`Unknown workflow "${workflow}"`)
      const version = versionOfLoaded(workflow, definition)
      let kept = keeping.get(version)
      if (kept === undefined) {
        keeping.set(version, (kept = store.putWorkflowVersion(version, definition, new Date())))
        // A failed put is tried again by the next start, not remembered.
        kept.catch(() => keeping.delete(version))
      }
      await kept
      return version
    },

    async definitionFor(run) {
      const { workflow, pointer } = splitWorkflowName(run.workflow)
      const root = await rootDefinition(workflow, run.workflowVersion)
      if (root === undefined || pointer === undefined) return root
      let byName = children.get(root)
      if (byName === undefined) children.set(root, (byName = new Map()))
      if (!byName.has(run.workflow)) byName.set(run.workflow, childDefinition(root, pointer))
      return byName.get(run.workflow)
    },
  }
}
