#!/usr/bin/env bash
# Runs the real-GPU measurement from the pack that `npm run gpu:pack` made (.gpu-pack/), on a machine with a
# GPU and a Vulkan driver but no Node, no browser and no network. Run from the repository root:
#   bash scripts/gpu/run.sh [measure.mjs options, e.g. --sections=mlp]
# Env: PACK (default .gpu-pack), OUT (default .gpu-out; the device machine sets it), LIMIT_S (default 300: the
# whole run, unpacking included, ends by then). Writes OUT/realgpu-<gpu>.json (measure.mjs), OUT/env.txt and
# OUT/measure.log; on any failure before or during the measurement, OUT/realgpu-error.json says what failed.
set -u
START=$(date +%s)
PACK=${PACK:-.gpu-pack}
OUT=${OUT:-.gpu-out}
LIMIT_S=${LIMIT_S:-300}
mkdir -p "$OUT"
# Absolute paths: LD_LIBRARY_PATH and the unpacked files must not depend on the working directory.
[ -d "$PACK" ] && PACK=$(cd "$PACK" && pwd)
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ENV_TXT="$OUT/env.txt"
: >"$ENV_TXT"
note() { echo "$*" | tee -a "$ENV_TXT" >&2; }

json_str() { # a JSON string literal of $1
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r//g' | awk 'BEGIN{ORS=""} NR>1{print "\\n"} {print}' |
    sed -e 's/^/"/' -e 's/$/"/'
  [ -z "$1" ] && printf '""'
}

fail() { # stage, message: writes realgpu-error.json and exits 1
  local log=""
  [ -f "$OUT/measure.log" ] && log=$(tail -c 4000 "$OUT/measure.log")
  {
    printf '{\n  "schema": "cm-playground/realgpu@1",\n  "ok": false,\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '  "stage": %s,\n  "error": %s,\n' "$(json_str "$1")" "$(json_str "$2")"
    printf '  "gpuName": %s,\n  "env": %s,\n  "logTail": %s\n}\n' "$(json_str "${GPU_NAME:-}")" "$(json_str "$(cat "$ENV_TXT")")" "$(json_str "$log")"
  } >"$OUT/realgpu-error.json"
  echo "run.sh: $1: $2 (see $OUT/realgpu-error.json)" >&2
  exit 1
}

# 1. The pack: present and intact.
[ -f "$PACK/SHA256SUMS" ] || fail pack "no pack at $PACK (run npm run gpu:pack where the repository's node_modules are, and carry .gpu-pack)"
(cd "$PACK" && sha256sum --quiet -c SHA256SUMS) >>"$ENV_TXT" 2>&1 || fail pack "checksums of $PACK do not match SHA256SUMS (a partial copy?)"
unpack() { # NAME DEST: NAME.xz (xz, else Python's lzma) or NAME.gz
  if [ -f "$PACK/$1.xz" ]; then
    if command -v xz >/dev/null 2>&1; then xz -dc "$PACK/$1.xz" >"$2"
    else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$PACK/$1.xz" "$2"; fi
  else
    gzip -dc "$PACK/$1.gz" >"$2"
  fi
}
unpack node "$WORK/node" && chmod +x "$WORK/node" || fail unpack "could not unpack the Node binary (node.xz needs xz or python3)"
unpack dawn.node "$WORK/dawn.node" || fail unpack "could not unpack dawn.node"

# 2. The GPU as the driver names it.
GPU_NAME=""
if command -v nvidia-smi >/dev/null 2>&1; then
  GPU_NAME=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1 | tr -d '\r')
  note "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 1)"
else
  note "nvidia-smi: not found"
fi

# 3. Shared libraries: the Vulkan loader, and a newer libstdc++ where the machine's is older than dawn.node needs.
LIBS=""
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
syslib() { "$LDCONFIG" -p 2>/dev/null | awk -v n="$1" '$1 == n && /x86-64/ {print $NF; exit}'; }
VK_LOADER=$(syslib libvulkan.so.1)
if [ -n "$VK_LOADER" ]; then note "Vulkan loader: $VK_LOADER (the machine's)"; else LIBS="$PACK/lib"; note "Vulkan loader: the pack's (Debian libvulkan1 1.3.239)"; fi
STDCXX=$(syslib libstdc++.so.6)
if [ -z "$STDCXX" ] || ! grep -qa GLIBCXX_3.4.30 "$STDCXX"; then
  mkdir -p "$WORK/compat" && gzip -dc "$PACK/compat/libstdc++.so.6.gz" >"$WORK/compat/libstdc++.so.6" || fail unpack "could not unpack libstdc++"
  LIBS="$WORK/compat${LIBS:+:$LIBS}"
  note "libstdc++: the pack's (the machine's ${STDCXX:-none} lacks GLIBCXX_3.4.30)"
fi
[ -n "$LIBS" ] && export LD_LIBRARY_PATH="$LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
note "glibc: $(ldd --version 2>&1 | head -n 1)"
"$WORK/node" --version >>"$ENV_TXT" 2>&1 || fail node "the packed Node does not start here: $(tail -n 2 "$ENV_TXT")"

# 4. The NVIDIA Vulkan driver (ICD). Containers given only the compute capability have the CUDA libraries but no
#    ICD manifest; libGLX_nvidia.so.0 carries the Vulkan driver, so a manifest is written for it if it exists.
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  # /usr/local/nvidia/share: where the device machines mount the driver's manifest (device README).
  ICD=$(grep -lis nvidia /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json \
    /usr/local/nvidia/share/vulkan/icd.d/*.json 2>/dev/null | head -n 1)
  if [ -n "$ICD" ]; then
    # The loader reads only its standard folders; name the manifest found elsewhere.
    export VK_ICD_FILENAMES="$ICD"
    note "Vulkan ICD: $ICD"
  else
    GLX=$(syslib libGLX_nvidia.so.0)
    for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
      [ -z "$GLX" ] && [ -e "$d/libGLX_nvidia.so.0" ] && GLX="$d/libGLX_nvidia.so.0"
    done
    if [ -n "$GLX" ]; then
      printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "%s", "api_version": "1.3.0"}}\n' "$GLX" >"$WORK/nvidia_icd.json"
      export VK_ICD_FILENAMES="$WORK/nvidia_icd.json"
      note "Vulkan ICD: none installed; wrote one for $GLX"
    else
      note "Vulkan ICD: no NVIDIA ICD and no libGLX_nvidia.so.0 (a container needs NVIDIA_DRIVER_CAPABILITIES with 'graphics'); Dawn may find no adapter"
    fi
  fi
else
  note "Vulkan ICD: VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-} VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
fi
# A manifest may name its driver library without a path; the driver's own folders then have to be searchable.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
command -v vulkaninfo >/dev/null 2>&1 && vulkaninfo --summary >>"$ENV_TXT" 2>&1

# 5. The measurement, within what is left of LIMIT_S.
LEFT=$((LIMIT_S - ($(date +%s) - START) - 10))
[ "$LEFT" -gt 30 ] || fail time "only ${LEFT} s left of ${LIMIT_S} s after unpacking"
note "measuring (at most ${LEFT} s)"
timeout -k 5 "$LEFT" "$WORK/node" "$PACK/measure.mjs" --dawn="$WORK/dawn.node" --gpu-name="$GPU_NAME" --out-dir="$OUT" "$@" \
  >"$OUT/measure.json.stdout" 2>"$OUT/measure.log"
RC=$?
tail -n 20 "$OUT/measure.log" >&2
rm -f "$OUT/measure.json.stdout" # the same JSON is in OUT/realgpu-<gpu>.json
RESULT=$(ls -t "$OUT"/realgpu-*.json 2>/dev/null | grep -v realgpu-error.json | head -n 1)
if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
  [ -n "$RESULT" ] && note "cut at ${LEFT} s: $RESULT holds the sections measured before that"
  fail measure "the measurement ran past ${LEFT} s and was stopped (exit $RC)"
fi
[ -n "$RESULT" ] || fail measure "measure.mjs exited $RC without writing its JSON"
echo "run.sh: exit $RC, results in $RESULT" >&2
exit "$RC"
