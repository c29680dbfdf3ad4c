#!/bin/bash
# One device call for issue 13 part 5: continues the shipped MNIST teacher, CD and ECT side by side on one CUDA GPU
# for a few minutes, trains a three-level teacher (--model large) from scratch beside them (does the [32, 64]
# teacher's plateau at FD ~41 come from its size?), scores what they made (1,000 samples each, the same eval as
# on the CPU), and leaves the new files, the states and one log in $OUT. Nothing in the checkout changes: ship a
# file by copying it to public/pretrained/ (a large teacher needs the page to build the teacher from its file's
# spec first: see NOTES).
#   bash scripts/torch/gpu_round.sh            # on the device machine (needs public/data/mnist.bin: carry it)
# Settings (environment): ROUND_DEVICE (cuda), ROUND_MINUTES (6: each job's wall time; the evals take ~2 more), ROUND_BATCH (256),
# ROUND_COUNT (1000 samples to score), ROUND_SEED (100: new batches for the resumed runs), ECT_STAGE (6), PYTHON
# (python3: the one that holds torch; /usr/bin/python3 on Debian, where python3 may be another).
set -euo pipefail
cd "$(dirname "$0")"
DEVICE=${ROUND_DEVICE:-cuda}
MINUTES=${ROUND_MINUTES:-6}
BATCH=${ROUND_BATCH:-256}
COUNT=${ROUND_COUNT:-1000}
SEED=${ROUND_SEED:-100}
OUT=${OUT:-/tmp/gpu-round}
WORK=$(mktemp -d)
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
[ -f ../../public/data/mnist.bin ] || { echo "no public/data/mnist.bin: build it (node scripts/build-mnist-asset.mjs) and carry it" >&2; exit 2; }
"${PYTHON:-python3}" -c 'import torch, sys; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")'
cp state/mnist-teacher.state.safetensors "$WORK/teacher.state.safetensors"  # resume from the committed state, write elsewhere
PY="${PYTHON:-python3} train.py --device $DEVICE"
# Four jobs at once: the models are small, so one job alone leaves most of the GPU idle.
$PY teacher --resume --state "$WORK/teacher.state.safetensors" --out "$OUT/mnist-teacher.safetensors" --steps 10000000 \
  --batch "$BATCH" --lr 1.25e-4 --ema 0.9995 --seed "$SEED" --save-every 2000 --max-minutes "$MINUTES" > "$WORK/teacher.log" 2>&1 &
$PY cd --resume --out "$OUT/mnist-cd.safetensors" --steps 10000000 --batch "$BATCH" --lr 1e-4 --ema 0.999 --seed "$SEED" \
  --max-minutes "$MINUTES" > "$WORK/cd.log" 2>&1 &
$PY ect --init ../../public/pretrained/mnist-ect.safetensors --first-stage "${ECT_STAGE:-6}" --last-stage "${ECT_STAGE:-6}" --lr 5e-5 \
  --steps 10000000 --batch "$BATCH" --seed "$SEED" --save-every 0 --max-minutes "$MINUTES" --out "$OUT/mnist-ect.safetensors" \
  --state "$WORK/ect.state.safetensors" --ckpt-dir "$WORK/ect-ckpts" > "$WORK/ect.log" 2>&1 &
$PY teacher --model large --state "$WORK/teacher-large.state.safetensors" --out "$OUT/mnist-teacher-large.safetensors" \
  --steps 10000000 --batch "$BATCH" --lr 1e-3 --ema 0.999 --seed "$SEED" --save-every 2000 --max-minutes "$MINUTES" \
  > "$WORK/teacher-large.log" 2>&1 &
failed=0
for job in $(jobs -p); do wait "$job" || failed=1; done
cp "$WORK/teacher.state.safetensors" "$OUT/teacher.state.safetensors"
cp "$WORK/teacher-large.state.safetensors" "$OUT/teacher-large.state.safetensors"  # continue it with --model large --resume --state
{
  for name in teacher teacher-large cd ect; do echo "== $name"; cat "$WORK/$name.log"; done
  echo "== eval (new files)"
  $PY eval --count "$COUNT" --teacher "$OUT/mnist-teacher.safetensors" --cd "$OUT/mnist-cd.safetensors" --ect "$OUT/mnist-ect.safetensors" \
    --cd-multistep 2.5,1.0 --ect-multistep 2.5,1.0 2>&1
  $PY eval --heldout-loss --teacher "$OUT/mnist-teacher.safetensors" 2>&1
  echo "== eval (large teacher from scratch)"
  $PY eval --count "$COUNT" --only-teacher --teacher "$OUT/mnist-teacher-large.safetensors" 2>&1
  $PY eval --heldout-loss --teacher "$OUT/mnist-teacher-large.safetensors" 2>&1
  echo "== eval (shipped files, same noise)"
  $PY eval --count "$COUNT" --cd-multistep 2.5,1.0 --ect-multistep 2.5,1.0 2>&1
  $PY eval --heldout-loss 2>&1
} | tee "$OUT/round.log"
rm -rf "$WORK"
exit $failed
