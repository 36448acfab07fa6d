// Reads the member list of a ZIP (an export package) and one member's bytes:
// the central directory, then the member's local header, stored or deflated
// (DecompressionStream). Enough for packages dossierd writes; throws on
// anything it cannot read (ZIP64, encryption, a truncated file).

export interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number; // of the local header
}

export function listZip(bytes: Uint8Array): ZipMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); --i) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a ZIP file (no end of central directory)');
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const members: ZipMember[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; ++i) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error('damaged ZIP directory');
    const nameLength = view.getUint16(at + 28, true);
    members.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return members;
}

export async function readZipMember(bytes: Uint8Array, member: ZipMember): Promise<Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(member.offset, true) !== 0x04034b50) throw new Error(`damaged ZIP entry ${member.name}`);
  const start = member.offset + 30 + view.getUint16(member.offset + 26, true) + view.getUint16(member.offset + 28, true);
  const data = bytes.slice(start, start + member.compressedSize);
  if (member.method === 0) return data;
  if (member.method !== 8) throw new Error(`${member.name}: unsupported compression method ${member.method}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
