/**
 * The workflows ctflow ships, imported (not read from disk) so that a function bundle carries them: on Lambda the
 * zip holds one bundle and no workflows/ folder. `loadWorkflows('workflows')` reads the same files for the CLI.
 */
import type { LoadedWorkflow, WorkflowDefinition } from '../lib/engine'
import drCopy from './dr-copy.json' with { type: 'json' }
import drCopySchema from './dr-copy.schema.json' with { type: 'json' }
import eipBind from './eip-bind.json' with { type: 'json' }
import eipBindSchema from './eip-bind.schema.json' with { type: 'json' }
import imageCopy from './image-copy.json' with { type: 'json' }
import imageCopySchema from './image-copy.schema.json' with { type: 'json' }
import inventory from './inventory.json' with { type: 'json' }
import inventorySchema from './inventory.schema.json' with { type: 'json' }
import snapshotThenBackup from './snapshot-then-backup.json' with { type: 'json' }
import snapshotThenBackupSchema from './snapshot-then-backup.schema.json' with { type: 'json' }

export const SHIPPED_WORKFLOWS: readonly LoadedWorkflow[] = [
  { name: 'dr-copy', definition: drCopy as unknown as WorkflowDefinition, inputSchema: drCopySchema },
  { name: 'eip-bind', definition: eipBind as unknown as WorkflowDefinition, inputSchema: eipBindSchema },
  { name: 'image-copy', definition: imageCopy as unknown as WorkflowDefinition, inputSchema: imageCopySchema },
  { name: 'inventory', definition: inventory as unknown as WorkflowDefinition, inputSchema: inventorySchema },
  {
    name: 'snapshot-then-backup',
    definition: snapshotThenBackup as unknown as WorkflowDefinition,
    inputSchema: snapshotThenBackupSchema,
  },
]
