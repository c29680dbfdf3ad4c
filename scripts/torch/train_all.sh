#!/bin/bash
# Regenerates every shipped MNIST weight file and the parity fixture, one job at a time (one CPU thread each).
# Usage: bash scripts/torch/train_all.sh   (from the repository root; logs in runs/torch/, numbered by job)
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build-mnist-asset.mjs
mkdir -p runs/torch
LARGE=public/pretrained/mnist-teacher-large.safetensors
S3=runs/torch/ect-large-s3  # the large ECT's stage-3 run, whose checkpoints are averaged
jobs=(
  "classifier"
  "teacher --steps 1600"
  "teacher --resume --steps 4906"
  "teacher --model large --seed 0 --steps 8139 --save-every 1000 --state runs/torch/teacher-large.state.safetensors --out $LARGE"
  "cd --teacher $LARGE --seed 31 --steps 4600 --save-every 500 --out public/pretrained/mnist-cd-large.safetensors"
  "cd --teacher $LARGE --resume --init public/pretrained/mnist-cd-large.safetensors --seed 41 --steps 4388 --save-every 500 --out public/pretrained/mnist-cd-large.safetensors"
  "ect --teacher $LARGE --first-stage 1 --stage-steps 2000 --steps 5500 --seed 32 --save-every 500 --state runs/torch/ect-large.state.safetensors --out public/pretrained/mnist-ect-large.safetensors"
  "ect --teacher $LARGE --init public/pretrained/mnist-ect-large.safetensors --first-stage 3 --last-stage 3 --lr 2e-4 --steps 2750 --seed 42 --save-every 250 --ckpt-dir $S3 --state $S3.state.safetensors --out $S3.safetensors"
  "average --force $S3/ect-01500.safetensors $S3/ect-01750.safetensors $S3/ect-02000.safetensors $S3/ect-02250.safetensors $S3/ect-02500.safetensors $S3/ect-02750.safetensors --out $S3-mean.safetensors"
  "ect --teacher $LARGE --init $S3-mean.safetensors --first-stage 4 --last-stage 4 --lr 5e-5 --ema 0.999 --steps 3371 --seed 43 --save-every 500 --state runs/torch/ect-large-s4.state.safetensors --out public/pretrained/mnist-ect-large.safetensors"
  "cd --steps 2246"
  "ect --steps 1400 --stage-steps 429"
  "ect --init public/pretrained/mnist-ect.safetensors --first-stage 4 --last-stage 4 --lr 5e-5 --steps 4000 --save-every 400"
  "ect --init public/pretrained/mnist-ect.safetensors --first-stage 5 --last-stage 5 --lr 5e-5 --steps 3492 --save-every 400"
  "ect --init public/pretrained/mnist-ect.safetensors --first-stage 6 --last-stage 6 --lr 5e-5 --steps 5262 --seed 21 --save-every 1000"
  "ct --steps 700 --max-minutes 18"
  "fixture"
  "eval"
)
for i in "${!jobs[@]}"; do
  job=${jobs[$i]}
  name=$(printf '%02d-%s' "$i" "$(echo "$job" | cut -d' ' -f1)")
  start=$(date +%s)
  /usr/bin/python3 scripts/torch/train.py $job 2>&1 | tee "runs/torch/$name.log"
  echo "$job: $(( $(date +%s) - start )) s" | tee -a runs/torch/times.txt
done
