#!/bin/bash
# One device call for issue 13 part 5. Side by side on one CUDA GPU for a few minutes each: the large (three-level)
# teacher continues from its shipped weights, the shipped large CD and ECT students continue against that
# shipped teacher (ECT in stage ECT_STAGE, a stage per ECT_STAGE_STEPS), and a large CT model trains from scratch
# (no teacher; iCT's curriculum planned over CT_STEPS steps, so a round that ends early stops at a coarser N). Then everything is scored (1,000 samples
# each, the same eval as on the CPU) and the new files, the teacher's state and one log are left in $OUT. Nothing in
# the checkout changes: ship a file by copying it (see scripts/torch/README.md, "A GPU round").
#   bash scripts/torch/gpu_round.sh            # on the device machine (needs public/data/mnist.bin: carry it)
# Settings (environment): ROUND_DEVICE (cuda), ROUND_MINUTES (6: each job's wall time; the evals take ~2 more), ROUND_BATCH (256),
# ROUND_COUNT (1000 samples to score), ROUND_SEED (100: new batches for the resumed runs), ECT_STAGE (4: where
# the shipped large ECT run stopped), ECT_STAGE_STEPS (2000), ECT_LR (5e-5: the rate the shipped run ended at),
# CT_STEPS (20000), PYTHON
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
LARGE=../../public/pretrained/mnist-teacher-large.safetensors
CD_LARGE=../../public/pretrained/mnist-cd-large.safetensors
ECT_LARGE=../../public/pretrained/mnist-ect-large.safetensors
PY="${PYTHON:-python3} train.py --device $DEVICE"
# Four jobs at once (each resumes from shipped EMA weights with a fresh Adam; no state in $WORK yet): the models are small, so one job alone leaves most of the GPU idle.
$PY teacher --model large --resume --state "$WORK/teacher-large.state.safetensors" --out "$OUT/mnist-teacher-large.safetensors" \
  --steps 10000000 --batch "$BATCH" --lr 5e-4 --ema 0.999 --seed "$SEED" --save-every 2000 --max-minutes "$MINUTES" \
  > "$WORK/teacher-large.log" 2>&1 &
$PY cd --teacher "$LARGE" --resume --init "$CD_LARGE" --out "$OUT/mnist-cd-large.safetensors" --steps 10000000 --batch "$BATCH" \
  --lr 2e-4 --ema 0.999 --seed "$SEED" --save-every 2000 --max-minutes "$MINUTES" > "$WORK/cd-large.log" 2>&1 &
$PY ect --teacher "$LARGE" --init "$ECT_LARGE" --first-stage "${ECT_STAGE:-4}" --stage-steps "${ECT_STAGE_STEPS:-2000}" --lr "${ECT_LR:-5e-5}" --ema 0.999 \
  --steps 10000000 --batch "$BATCH" --seed "$SEED" --save-every 0 --max-minutes "$MINUTES" --out "$OUT/mnist-ect-large.safetensors" \
  --state "$WORK/ect.state.safetensors" --ckpt-dir "$WORK/ect-ckpts" > "$WORK/ect-large.log" 2>&1 &
$PY ct --model large --steps "${CT_STEPS:-20000}" --batch "$BATCH" --seed "$SEED" --save-every 2000 --max-minutes "$MINUTES" \
  --out "$OUT/mnist-ct-large.safetensors" > "$WORK/ct-large.log" 2>&1 &
failed=0
for job in $(jobs -p); do wait "$job" || failed=1; done
cp "$WORK/teacher-large.state.safetensors" "$OUT/teacher-large.state.safetensors"  # continue it with --model large --resume --state
{
  for name in teacher-large cd-large ect-large ct-large; do echo "== $name"; cat "$WORK/$name.log"; done
  echo "== eval (new files: the large teacher, CD, CT and ECT)"
  $PY eval --count "$COUNT" --teacher "$OUT/mnist-teacher-large.safetensors" --cd "$OUT/mnist-cd-large.safetensors" \
    --ct "$OUT/mnist-ct-large.safetensors" --ect "$OUT/mnist-ect-large.safetensors" --cd-multistep 2.5,1.0 --ect-multistep 2.5,1.0 2>&1
  $PY eval --heldout-loss --teacher "$OUT/mnist-teacher-large.safetensors" 2>&1
  echo "== eval (the shipped large files, same noise; CT: the shipped unet file)"
  $PY eval --count "$COUNT" --teacher "$LARGE" --cd "$CD_LARGE" --ect "$ECT_LARGE" --cd-multistep 2.5,1.0 --ect-multistep 2.5,1.0 2>&1
  $PY eval --heldout-loss --teacher "$LARGE" 2>&1
} | tee "$OUT/round.log"
rm -rf "$WORK"
exit $failed
