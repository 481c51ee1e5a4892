# Sourced by the ONNX Runtime checks (onnx_rounding/run.sh,
# onnx_interchange/run.sh) with NODE_MODULES set: exits 77 (ctest's skip)
# with the reason when node or onnxruntime-node is absent.
if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed; the ONNX Runtime reference runs under node"
  exit 77
fi
if [ ! -f "$NODE_MODULES/onnxruntime-node/package.json" ]; then
  echo "SKIP: onnxruntime-node is not in $NODE_MODULES (the npm_references fixture installs it)"
  exit 77
fi
