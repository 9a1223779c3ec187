#!/usr/bin/env bash
# Export round trips, checked by the real consumers.
#   export_test.sh MTL EXPORT_REFERENCE PROJECT.mtl.json NODE_DIR
#     trains the example briefly; exports ONNX (whole, and one task's sub-network), PyTorch and
#     native; runs the ONNX file in ONNX Runtime (onnxruntime-node from NODE_DIR) and through
#     python3-onnx's checker, the PyTorch package in python3-torch (predictions, then train.py for
#     one epoch); compares every prediction with the core's.
#   export_test.sh MTL EXPORT_REFERENCE refusals EXAMPLES_DIR
#     a diverged run, an unknown task and a wrong format are refused with their messages.
set -uo pipefail
MTL=$1
REFERENCE=$2
PROJECT=$3
EXTRA=$4
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3 # Debian's, with python3-onnx and python3-torch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
    echo "FAIL: $*" >&2
    for f in out err; do [ -s "$f" ] && sed 's/^/  | /' "$f" >&2; done
    exit 1
}
run() { "$@" >out 2>err || fail "$* (exit $?)"; }

if [ "$PROJECT" = refusals ]; then
    sed 's/"kind": "adam",/"kind": "sgd",/; s/"learning_rate": 0.001,/"learning_rate": 1000000.0,/' \
        "$EXTRA/synthetic-hard.mtl.json" >wild.mtl.json
    "$MTL" train wild.mtl.json --out wild --quiet >out 2>err
    [ $? -eq 3 ] || fail "the wild run should diverge"
    for format in onnx pytorch native; do
        "$MTL" export wild/model.mtlmodel --format "$format" --out "x.$format" >out 2>err && fail "exported a diverged run ($format)"
        grep -q "this model's run diverged" err || fail "no divergence message for $format"
        [ -e "x.$format" ] && fail "a refused export left x.$format behind"
    done
    run "$MTL" train "$EXTRA/synthetic-hard.mtl.json" --epochs 1 --out ok --quiet
    "$MTL" export ok/model.mtlmodel --format onnx --out x.onnx --task nosuch >out 2>err && fail "exported an unknown task"
    grep -q "no task 'nosuch' in this model (tasks: task1, task2, task3)" err || fail "unknown-task message"
    "$MTL" export ok/model.mtlmodel --format keras --out x >out 2>err
    [ $? -eq 2 ] || fail "a wrong format is a usage error"
    grep -q -- "--format must be onnx, pytorch or native" err || fail "wrong-format message"
    echo "refusals: ok"
    exit 0
fi

[ -d "$EXTRA/node_modules/onnxruntime-node" ] ||
    fail "ONNX Runtime is not installed in $EXTRA (scripts/test.sh installs it: npm install --ignore-scripts onnxruntime-node)"
run "$MTL" train "$PROJECT" --epochs 1 --out run --quiet --no-record # the project is in the source tree
run "$REFERENCE" run/model.mtlmodel run/run.mtl.json 64 reference.json

# ONNX: the whole model, checked by ONNX's checker and run in ONNX Runtime.
run "$MTL" export run/model.mtlmodel --format onnx --out model.onnx
run "$PY" -c "
import json, sys, onnx
model = onnx.load('model.onnx')
onnx.checker.check_model(model, full_check=True)
meta = {p.key: p.value for p in model.metadata_props}
tasks = json.loads(meta['mtl.tasks'])
assert [o.name for o in model.graph.output] == [n for t in tasks for n in t['outputs']], 'outputs and metadata disagree'
print(tasks[0]['name'])"
task=$(head -1 out)
NODE_PATH="$EXTRA/node_modules" run node "$HERE/onnx_compare.js" model.onnx reference.json
cat out
# One task's sub-network.
run "$MTL" export run/model.mtlmodel --format onnx --out one.onnx --task "$task"
NODE_PATH="$EXTRA/node_modules" run node "$HERE/onnx_compare.js" one.onnx reference.json "$task"
cat out

# PyTorch: predictions, then one epoch of train.py on the exported sample data.
run "$MTL" export run/model.mtlmodel --format pytorch --out torch
[ -f torch/sample_data.npz ] || fail "no sample data in the PyTorch export"
run "$PY" "$HERE/torch_compare.py" torch reference.json --train
cat out

# Native: the model file again, byte for byte.
run "$MTL" export run/model.mtlmodel --format native --out copy.mtlmodel
cmp -s run/model.mtlmodel copy.mtlmodel || fail "the native export differs from the model file"
echo "$(basename "$PROJECT"): ok"
