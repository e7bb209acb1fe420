/**
 * Signer test vectors A–E from shared/ctyun-api.md §1.6, kept as data. Each names its source.
 * `query` is the canonical query string exactly as sent; `params` (when present) is what builds it.
 */
import type { QueryParams } from './query-string'

export interface EopSignerVector {
  name: string
  source: string
  accessKey: string
  secretKey: string
  date: string
  requestId: string
  params?: QueryParams
  query: string
  body?: string
  expected: { bodyHash?: string; signature: string }
}

const AK_C = '0123456789abcdef0123456789abcdef'
const SK_C = 'fedcba9876543210fedcba9876543210'
const ID_C = '123e4567-e89b-12d3-a456-426614174000'

export const eopSignerVectors: EopSignerVector[] = [
  {
    name: 'A: query and JSON body',
    source: 'ArvinZJC/ctyun-cli internal/signing/eop_test.go (§1.6 A)',
    accessKey: 'test-ak',
    secretKey: 'test-sk',
    date: '20260613T010203Z',
    requestId: 'request-123',
    query: 'a=1&b=two',
    params: { b: 'two', a: '1' },
    body: '{"regionID":"81f7728662dd11ec810800155d307d5b"}',
    expected: {
      bodyHash: '77ff462ff35ae7b4df3eb19e1f0a379cdbc87002a6b6ef53a850220a0e91355b',
      signature: 'h+H8K5CbPz1DjnbVWA+FEPGbbcEJOzVsi2GQv4LroyM=',
    },
  },
  {
    name: 'C: GET without query or body',
    source: 'stdlib Go re-implementation of TF GetSign, go1.19 (§1.6 C)',
    accessKey: AK_C,
    secretKey: SK_C,
    date: '20250101T120000Z',
    requestId: ID_C,
    query: '',
    params: {},
    expected: { signature: 'f/OFleVTqI0e0/4fGhEqLMNmASW9HjB6Zt/xBn0lOAc=' },
  },
  {
    name: "D: GET query with space, /, *, ~, '()! and Chinese",
    source: 'stdlib Go re-implementation of TF GetSign + url.Values.Encode, go1.19 (§1.6 D)',
    accessKey: AK_C,
    secretKey: SK_C,
    date: '20250101T120000Z',
    requestId: ID_C,
    params: [
      ['regionID', '81f7728662dd11ec810800155d307d5b'],
      ['pageSize', '10'],
      ['pageNo', '1'],
      ['queryContent', "a b/c*~'()!中"],
    ],
    query:
      'pageNo=1&pageSize=10&queryContent=a+b%2Fc%2A~%27%28%29%21%E4%B8%AD&regionID=81f7728662dd11ec810800155d307d5b',
    expected: { signature: 'Yyl2GbVt6w7mocnLeR/Sy58s+V464dAAjn8firZDgsA=' },
  },
  {
    name: 'E: POST create-ebs-snap body, empty query',
    source: 'stdlib Go re-implementation of TF GetSign + encoding/json, go1.19 (§1.6 E)',
    accessKey: AK_C,
    secretKey: SK_C,
    date: '20250101T120000Z',
    requestId: ID_C,
    query: '',
    body: '{"clientToken":"tok-1","regionID":"81f7728662dd11ec810800155d307d5b","snapshotName":"snap-01","diskID":"0ae97ef5-6ee2-44af-9d05-1a509b0a1be6","retentionPolicy":"custom","retentionTime":7}',
    expected: {
      bodyHash: '30dc8bd2d275c91f0ea66e51ff11ffc6338066f60394eb07865ec8ea5a50c9a3',
      signature: 'se5QlaLK1WLMcSra4IeFdQxZ1e0nNubdzwDvQP/dJd8=',
    },
  },
  {
    name: 'E′: POST body {}',
    source: 'stdlib Go re-implementation of TF GetSign, go1.19 (§1.6 E, last sentence)',
    accessKey: AK_C,
    secretKey: SK_C,
    date: '20250101T120000Z',
    requestId: ID_C,
    query: '',
    body: '{}',
    expected: {
      bodyHash: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      signature: 'OYYz8xhApQgqX1FMIMJAtSnVDprGBkm7crsdpZRzKQk=',
    },
  },
]

/** Vector B tests only the key chain over a literal string to sign (no blank line, no query line). */
export const keyChainVector = {
  name: 'B: HMAC key chain over a literal string',
  source: 'CTyun-internal Go SDK test, package signer (code-index id 20226927509; §1.6 B)',
  accessKey: '1',
  secretKey: '2',
  date: '20220525T160752Z',
  stringToSign:
    'ctyun-eop-request-id:27cfe4dc-e640-45f6-92ca-492ca73e8680\neop-date:20220525T160752Z\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  expected: { signature: 'tHLSPg5bu8+UmVId4JFHq0Fr6VpfDIY9zkBPaW1yPzM=' },
}
