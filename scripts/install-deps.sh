#!/usr/bin/env bash
# Installs the Debian 12 packages MTL Workbench needs to build (and, with --tests, to run every
# test: the consumers of exports, clang for fuzzing), if any are missing. Uses sudo when not run
# as root. Safe to run again: installs nothing when all are present.
set -euo pipefail

packages=(
    build-essential cmake ninja-build ccache pkg-config
    libeigen3-dev nlohmann-json3-dev zlib1g-dev libomp-dev
    libgtest-dev libgmock-dev
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev fonts-dejavu-core
    libonnx-dev libprotobuf-dev protobuf-compiler
    libdnnl-dev
    dataset-fashion-mnist
)
if [ "${1:-}" = "--tests" ]; then
    packages+=(python3-onnx python3-torch python3-numpy python3-scipy clang libclang-rt-14-dev)
    # Node.js runs ONNX Runtime (npm onnxruntime-node) in the export tests; Debian's unless one is there.
    command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
