import { inflateRawSync } from 'node:zlib'

/**
 * Reads the files of a zip archive (stored or deflated entries, as osls writes them) into memory, by its central
 * directory. Enough for tests that open the packaged Lambda zips; not a general unzip.
 * @example const files = readZip(readFileSync('.serverless/http.zip')); files.get('functions/aws-lambda.mjs')
 */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('not a zip file: no end-of-central-directory record')
  const count = zip.readUInt16LE(end + 10)
  let offset = zip.readUInt32LE(end + 16)
  const files = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`zip central directory entry ${i} is corrupt`)
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
    const data = zip.subarray(dataStart, dataStart + compressedSize)
    if (!name.endsWith('/'))
      files.set(
        name,
        method === 8 ? inflateRawSync(data) : method === 0 ? Buffer.from(data) : unsupported(name, method),
      )
    offset += 46 + nameLength + extraLength + commentLength
  }
  return files
}

function unsupported(name: string, method: number): never {
  throw new Error(`zip entry ${name} uses compression method ${method}; only stored (0) and deflate (8) are read`)
}
