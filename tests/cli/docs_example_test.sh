#!/usr/bin/env bash
# docs_example_test.sh MTL PREDICT_EXAMPLE EXAMPLES: the C++ example of docs/cpp-inference.md
# predicts every task of a freshly trained model, and names a file that is not a model.
set -euo pipefail
MTL=$1
EXAMPLE=$2
EXAMPLES=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$MTL" train "$EXAMPLES/synthetic-classification.mtl.json" --epochs 1 --out "$work/run" --quiet >/dev/null
"$EXAMPLE" "$work/run/model.mtlmodel" | tee "$work/out"
[ "$(grep -c '^task[123] probabilities: \[' "$work/out")" -eq 3 ] || { echo "FAIL: expected three tasks' probabilities"; exit 1; }
if "$EXAMPLE" "$EXAMPLES/houses.csv" 2>"$work/err"; then echo "FAIL: read a CSV file as a model"; exit 1; fi
grep -q "houses.csv: not an MTL Workbench model file" "$work/err" || { cat "$work/err"; echo "FAIL: no clear message"; exit 1; }
echo "ok"
