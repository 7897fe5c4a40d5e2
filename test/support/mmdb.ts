// Writes a tiny MaxMind DB (MMDB format 2.0, IPv4, 24-bit records) mapping networks to country codes, so the GeoIP
// path is tested against a real reader without shipping a third-party database.
import fs from 'node:fs';

type Value = string | number | Value[] | { [key: string]: Value };

function control(type: number, size: number): Buffer {
  const extended = type > 7;
  const first = (extended ? 0 : type << 5) | (size < 29 ? size : 29);
  const bytes = [first];
  if (extended) bytes.push(type - 7);
  if (size >= 29) bytes.push(size - 29);
  return Buffer.from(bytes);
}

function unsigned(value: number): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

function encode(value: Value): Buffer {
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, text.length), text]);
  }
  if (typeof value === 'number') {
    const bytes = unsigned(value);
    return Buffer.concat([control(6, bytes.length), bytes]); // uint32 serves every number written here
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map((v) => encode(v))]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

/** `networks`: CIDR (IPv4) → ISO country code. */
export function writeCountryDatabase(file: string, networks: Record<string, string>): void {
  const data: Buffer[] = [];
  let dataSize = 0;
  const tree: Array<[number, number]> = [[-1, -1]];
  for (const [cidr, iso] of Object.entries(networks)) {
    const [address, bits] = cidr.split('/');
    const ip = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
    const record = encode({ country: { iso_code: iso, names: { en: iso } } });
    const pointer = -(dataSize + 2); // resolved once the node count is known
    data.push(record);
    dataSize += record.length;
    let node = 0;
    for (let depth = 0; depth < Number(bits); depth++) {
      const bit = Math.floor(ip / 2 ** (31 - depth)) % 2;
      if (depth === Number(bits) - 1) {
        tree[node][bit] = pointer;
      } else {
        if (tree[node][bit] < 0) {
          tree.push([-1, -1]);
          tree[node][bit] = tree.length - 1;
        }
        node = tree[node][bit];
      }
    }
  }
  const nodeCount = tree.length;
  const resolve = (record: number) => (record === -1 ? nodeCount : record < -1 ? nodeCount + 16 + (-record - 2) : record);
  const treeBytes = Buffer.alloc(nodeCount * 6);
  tree.forEach(([left, right], i) => {
    treeBytes.writeUIntBE(resolve(left), i * 6, 3);
    treeBytes.writeUIntBE(resolve(right), i * 6 + 3, 3);
  });
  const metadata = encode({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 4,
    database_type: 'MASK-Test-Country',
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: Math.floor(Date.now() / 1000),
    description: { en: 'Test database' },
  });
  const marker = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);
  fs.writeFileSync(file, Buffer.concat([treeBytes, Buffer.alloc(16), ...data, marker, metadata]));
}
