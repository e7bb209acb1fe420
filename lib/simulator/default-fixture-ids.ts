/**
 * IDs of records in fixtures/default.json that tests and benches name (one place, so a fixture change is one edit;
 * default-fixture-ids.test.ts checks that each still exists).
 */
/** Region 华东1. */
export const HD1 = 'bb9fdb42056f11eda1610242ac110002'
/** Region 内蒙8 (a copy destination of HD1). */
export const NM8 = '81f7728662dd11ec810800155d307d5b'
/** Region 西南1 (a copy destination of HD1), a pool WITHOUT label support: its info-ebs replies have no `labels`. */
export const XN1 = '200000001852'
/** Instance web-01 in HD1. */
export const WEB01 = '0a1f3c52-7d44-4e0b-9c1e-5b6f2a9d8e01'
/** Instance db-01 in HD1. */
export const DB01 = '0a1f3c52-7d44-4e0b-9c1e-5b6f2a9d8e02'
/** System disk of web-01 (40 GB). */
export const DISK_WEB_SYSTEM = '5d0c1e2f-0001-4c7a-8e4b-a1b2c3d4e501'
/** Data disk of web-01 (100 GB). */
export const DISK_WEB_DATA = '5d0c1e2f-0002-4c7a-8e4b-a1b2c3d4e502'
/** Data disk of db-01 (500 GB, with snapshots). */
export const DISK_DB_DATA = '5d0c1e2f-0004-4c7a-8e4b-a1b2c3d4e504'
/** Unattached data disks in XN1 (the region without label support). */
export const DISK_XN1_ARCHIVE = '5d0c1e2f-0008-4c7a-8e4b-a1b2c3d4e508'
export const DISK_XN1_LOGS = '5d0c1e2f-0009-4c7a-8e4b-a1b2c3d4e509'
/** Private, active image web-golden-202601 in HD1. */
export const PRIVATE_IMAGE = 'c5f1e3a0-2222-4a2b-8c3d-000000000010'
/** Backup policy web-01-daily. */
export const POLICY_WEB = '7f3a9b2c4d5e6f708192a3b4c5d6e701'
/** Backup policy db-01-daily. */
export const POLICY_DB = '7f3a9b2c4d5e6f708192a3b4c5d6e702'
/** An EIP bound to nothing. */
export const SPARE_EIP = 'eip-8hq2mz4xcd'
