// Runs every case of make_cases.py's manifest through ONNX Runtime (the npm
// package onnxruntime-node, CPU, one thread) and writes each output as
// NAME.ort: int32 per element for quantize, float32 for dequantize.
// Usage: node run_ort.mjs NODE_MODULES_DIR CASE_DIR
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [nodeModules, caseDir] = process.argv.slice(2);
const ort = createRequire(join(nodeModules, 'noop.js'))('onnxruntime-node');

// The typed array and tensor type an integer input of each type is fed as;
// 4-bit values go in as bytes (the model casts them).
const inputTypes = {
  int8: [Int8Array, 'int8'], uint8: [Uint8Array, 'uint8'], int16: [Int16Array, 'int16'],
  uint16: [Uint16Array, 'uint16'], int4: [Int8Array, 'int8'], uint4: [Uint8Array, 'uint8'],
};

const read = (name, Type) => {
  const bytes = readFileSync(join(caseDir, name));
  return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT);
};

const lines = readFileSync(join(caseDir, 'cases.txt'), 'utf8').trim().split('\n');
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' };
for (const line of lines) {
  const [name, op, type, layout, outer, axisLen, inner] = line.split(' ');
  const dims = layout === 'tensor' ? [Number(axisLen)] : [outer, axisLen, inner].map(Number);
  let x;
  if (op === 'quantize') {
    x = new ort.Tensor('float32', Float32Array.from(read(`${name}.x`, Float32Array)), dims);
  } else {
    const [ArrayType, tensorType] = inputTypes[type];
    x = new ort.Tensor(tensorType, ArrayType.from(read(`${name}.x`, Int32Array)), dims);
  }
  const session = await ort.InferenceSession.create(join(caseDir, `${name}.onnx`), options);
  const { y } = await session.run({ x });
  const out = op === 'quantize' ? Int32Array.from(y.data) : Float32Array.from(y.data);
  writeFileSync(join(caseDir, `${name}.ort`), new Uint8Array(out.buffer));
  await session.release();
}
console.log(`onnxruntime-node ${ort.env.versions?.common ?? ''}: ${lines.length} cases run`);
