// node onnx_compare.js MODEL.onnx REFERENCE.json [TASK]: runs the exported model in ONNX Runtime
// (npm onnxruntime-node) on the reference inputs and compares every output with the core's
// predictions. Passes when the largest relative error, |onnx − core| / max(|core|, 1), is at
// most 1e-5. With TASK, only that task's outputs are expected.
const ort = require('onnxruntime-node');
const fs = require('fs');

async function main() {
    const [modelPath, referencePath, onlyTask] = process.argv.slice(2);
    const reference = JSON.parse(fs.readFileSync(referencePath, 'utf8'));
    const inputs = reference.inputs;
    const width = inputs[0].length;
    const flat = new Float32Array(inputs.length * width);
    inputs.forEach((row, r) => row.forEach((v, c) => { flat[r * width + c] = v === null ? NaN : v; }));
    const session = await ort.InferenceSession.create(modelPath);
    const results = await session.run({ input: new ort.Tensor('float32', flat, [inputs.length, width]) });
    const expected = Object.keys(reference.outputs).filter(
        (name) => !onlyTask || name === onlyTask || name === onlyTask + '_logits' || name === onlyTask + '_probabilities');
    const produced = session.outputNames.slice().sort();
    if (JSON.stringify(produced) !== JSON.stringify(expected.slice().sort())) {
        throw new Error(`outputs ${produced} differ from the expected ${expected}`);
    }
    let worst = 0;
    for (const name of expected) {
        const want = reference.outputs[name];
        const got = results[name].data;
        const cols = want[0].length;
        want.forEach((row, r) => row.forEach((v, c) => {
            const error = Math.abs(got[r * cols + c] - v) / Math.max(Math.abs(v), 1);
            if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : Math.max(worst, error);
        }));
    }
    const metadata = session.handler && session.handler.metadata;
    console.log(`${expected.length} outputs, ${inputs.length} rows: largest relative error ${worst.toExponential(2)}`);
    if (!(worst <= 1e-5)) throw new Error(`largest relative error ${worst} exceeds 1e-5`);
    void metadata;
}

main().catch((e) => { console.error(`onnx_compare: ${e.message}`); process.exit(1); });
