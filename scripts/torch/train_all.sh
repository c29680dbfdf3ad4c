#!/bin/bash
# Regenerates every shipped MNIST weight file and the parity fixture, one job at a time (one CPU thread each).
# Usage: bash scripts/torch/train_all.sh   (from the repository root; logs in runs/torch/)
set -euo pipefail
cd "$(dirname "$0")/../.."
node scripts/build-mnist-asset.mjs
mkdir -p runs/torch
for job in "classifier" "teacher --steps 1600" "teacher --resume --steps 4906" "teacher --model large --seed 0 --steps 8139 --save-every 1000 --state runs/torch/teacher-large.state.safetensors --out public/pretrained/mnist-teacher-large.safetensors" "cd --teacher public/pretrained/mnist-teacher-large.safetensors --seed 31 --steps 4600 --save-every 500 --out public/pretrained/mnist-cd-large.safetensors" "ect --teacher public/pretrained/mnist-teacher-large.safetensors --first-stage 1 --stage-steps 2000 --steps 5500 --seed 32 --save-every 500 --state runs/torch/ect-large.state.safetensors --out public/pretrained/mnist-ect-large.safetensors" "cd --steps 2246" "ect --steps 1400 --stage-steps 429" "ect --init public/pretrained/mnist-ect.safetensors --first-stage 4 --last-stage 4 --lr 5e-5 --steps 4000 --save-every 400" "ect --init public/pretrained/mnist-ect.safetensors --first-stage 5 --last-stage 5 --lr 5e-5 --steps 3492 --save-every 400" "ect --init public/pretrained/mnist-ect.safetensors --first-stage 6 --last-stage 6 --lr 5e-5 --steps 5262 --seed 21 --save-every 1000" "ct --steps 700 --max-minutes 18" "fixture" "eval"; do
  name=$(echo "$job" | tr -c "a-z0-9\n" "_" | cut -c1-20)
  start=$(date +%s)
  /usr/bin/python3 scripts/torch/train.py $job 2>&1 | tee "runs/torch/$name.log"
  echo "$job: $(( $(date +%s) - start )) s" | tee -a runs/torch/times.txt
done
