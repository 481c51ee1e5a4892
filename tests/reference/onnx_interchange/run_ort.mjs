// Runs each model of cases.txt and typed.txt (one per line: NAME and its
// output names) in ONNX Runtime (onnxruntime-node, CPU, one thread, graph
// optimizations off) with no inputs, and writes each output's bytes (float32
// or float16; onnxruntime-node cannot return bfloat16) as NAME.OUTPUT.ort.
// Usage: node run_ort.mjs NODE_MODULES_DIR CASE_DIR
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [nodeModules, caseDir] = process.argv.slice(2);
const ort = createRequire(join(nodeModules, 'noop.js'))('onnxruntime-node');
const options = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' };
let models = 0;
for (const list of ['cases.txt', 'typed.txt']) {
  const path = join(caseDir, list);
  if (!existsSync(path)) continue;
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const [name, ...outputs] = line.split(' ');
    const session = await ort.InferenceSession.create(join(caseDir, `${name}.onnx`), options);
    const results = await session.run({});
    for (const output of outputs) {
      const y = results[output];
      if (y.type !== 'float32' && y.type !== 'float16') {
        throw new Error(`${name} ${output}: output type ${y.type}`);
      }
      const bytes = new Uint8Array(y.data.buffer, y.data.byteOffset, y.data.byteLength);
      writeFileSync(join(caseDir, `${name}.${output}.ort`), bytes);
    }
    await session.release();
    ++models;
  }
}
console.log(`onnxruntime-node ${ort.env.versions?.common ?? ''}: ${models} models run`);
