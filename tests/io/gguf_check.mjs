// Checks a GGUF file that qtensor wrote with an independent reader, the npm
// package @huggingface/gguf: its metadata (types, element types, values),
// its tensor infos (names, shapes, ggml types, offsets) and the start of
// its data section equal what qtensor_make_gguf_reference says it wrote in
// BASE.json; and the tensors' bytes, decoded here from the specification
// (F32, and Q8_0 / Q4_0 blocks with their float16 scales), equal qtensor's
// values and dequantized values. A tensor of BASE.json that lists its
// "values" (float bits) is decoded by its ggml type and compared with them.
// usage: node gguf_check.mjs NPM_PREFIX BASE   (reads BASE.gguf and BASE.json)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [prefix, base] = process.argv.slice(2);
const moduleFile = path.join(prefix, "node_modules", "@huggingface", "gguf", "dist", "index.mjs");
const { gguf } = await import(pathToFileURL(moduleFile).href);

const expected = JSON.parse(readFileSync(base + ".json", "utf8"));
const file = base + ".gguf";
const parsed = await gguf(file, { allowLocalFile: true, typedMetadata: true });
let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures++;
    console.error("MISMATCH: " + what);
  }
}

// Expected JSON values to what the reader gives: 64-bit integers as BigInt.
function want(type, value) {
  if (type === 9) throw new Error("arrays are handled by same()");
  if (type === 10 || type === 11) return BigInt(value);
  return value;
}
function same(type, subType, got, value) {
  if (type !== 9) return got === want(type, value);
  if (!Array.isArray(got) || got.length !== value.length) return false;
  return value.every((v, i) =>
    subType === 9 ? Array.isArray(got[i]) && got[i].length === v.length &&
                        got[i].every((x, j) => x === v[j] || String(x) === String(v[j]))
                  : same(subType, undefined, got[i], v));
}
const show = (v) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() + "n" : x));

check(parsed.metadata.version === expected.version, "version " + parsed.metadata.version);
check(parsed.metadata.kv_count === BigInt(expected.metadata.length), "kv_count");
check(parsed.metadata.tensor_count === BigInt(expected.tensors.length), "tensor_count");
const keys = Object.keys(parsed.typedMetadata).filter(
  (k) => !["version", "tensor_count", "kv_count"].includes(k));
check(show(keys) === show(expected.metadata.map((m) => m.key)), "keys (in order): " + show(keys));
for (const m of expected.metadata) {
  const got = parsed.typedMetadata[m.key];
  if (!got) {
    check(false, "missing key " + m.key);
    continue;
  }
  check(got.type === m.type, m.key + ": type " + got.type + ", expected " + m.type);
  if (m.type === 9) check(got.subType === m.subType, m.key + ": subType " + got.subType);
  check(same(m.type, m.subType, got.value, m.value),
        m.key + ": value " + show(got.value) + ", expected " + show(m.value));
}

check(parsed.tensorInfos.length === expected.tensors.length, "tensor count");
check(parsed.tensorDataOffset === BigInt(expected.tensor_data_offset),
      "tensorDataOffset " + parsed.tensorDataOffset);
expected.tensors.forEach((t, i) => {
  const got = parsed.tensorInfos[i];
  check(got.name === t.name, "tensor " + i + " name " + got.name);
  check(got.n_dims === t.shape.length, t.name + ": n_dims " + got.n_dims);
  check(show(got.shape) === show(t.shape.map(BigInt)), t.name + ": shape " + show(got.shape));
  check(got.dtype === t.dtype, t.name + ": dtype " + got.dtype);
  check(got.offset === BigInt(t.offset), t.name + ": offset " + got.offset);
});

// The tensors' bytes, decoded here.
const bytes = readFileSync(file);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const dataStart = Number(parsed.tensorDataOffset);
const at = (name) => dataStart + Number(parsed.tensorInfos.find((t) => t.name === name).offset);
const bitsOf = (x) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, x, true);
  return b.getUint32(0, true).toString(16).padStart(8, "0");
};
function half(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}
function compareFloats(name, got, wantBits) {
  check(got.length === wantBits.length, name + ": " + got.length + " values");
  const bad = got.findIndex((x, i) => bitsOf(x) !== wantBits[i]);
  check(bad < 0, name + ": value " + bad + " is " + bitsOf(got[bad]) + ", expected " + wantBits[bad]);
}
// The n values of a tensor at its offset, decoded by ggml type from the
// specification: F32, Q8_0 (d, 32 int8) and Q4_0 (d, 16 bytes: element j in
// byte j's low nibble, j + 16 in its high one).
function decode(name, dtype, n) {
  const out = new Array(n);
  const start = at(name);
  if (dtype === 0) {
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(start + 4 * i, true);
  } else if (dtype === 8) {
    for (let b = 0; b < n / 32; b++) {
      const block = start + 34 * b;
      const d = half(view.getUint16(block, true));
      for (let j = 0; j < 32; j++) out[32 * b + j] = Math.fround(view.getInt8(block + 2 + j) * d);
    }
  } else if (dtype === 2) {
    for (let b = 0; b < n / 32; b++) {
      const block = start + 18 * b;
      const d = half(view.getUint16(block, true));
      for (let j = 0; j < 16; j++) {
        const byte = view.getUint8(block + 2 + j);
        out[32 * b + j] = Math.fround(((byte & 15) - 8) * d);
        out[32 * b + j + 16] = Math.fround(((byte >> 4) - 8) * d);
      }
    }
  } else {
    throw new Error(name + ": no decoder for ggml type " + dtype);
  }
  return out;
}
if (expected.f32_values) {
  const n = expected.f32_values.length;
  compareFloats("blk.0.f32", decode("blk.0.f32", 0, n), expected.f32_values);
  compareFloats("blk.0.q8_0", decode("blk.0.q8_0", 8, n), expected.q8_0_dequantized);
  compareFloats("blk.0.q4_0", decode("blk.0.q4_0", 2, n), expected.q4_0_dequantized);
}
let decoded = 0;
for (const t of expected.tensors.filter((t) => t.values)) {
  const n = t.shape.reduce((count, size) => count * Number(size), 1);
  compareFloats(t.name, decode(t.name, t.dtype, n), t.values);
  decoded++;
}
check(decoded === expected.tensors.filter((t) => t.values).length, "tensors decoded");

if (failures > 0) {
  console.error(failures + " mismatches between @huggingface/gguf and what qtensor wrote");
  process.exit(1);
}
console.log("@huggingface/gguf reads " + file + " as qtensor wrote it: " +
            expected.metadata.length + " key-values, " + expected.tensors.length + " tensors");
