#!/usr/bin/env bash
# Times `dyad build` on synthetic archives: median wall time and peak memory per size.
#
#   bench/bench.sh [SIZES...]      sizes in abstracts; default 1000 10000 100000
#   bench/bench.sh --rebuild N     a second build into the same output (the hard-link path)
#
# Environment:
#   RUNS        timed runs per size (default 5 up to 10,000 abstracts, 3 above)
#   BENCH_HOME  archives and run folders (default /tmp/dyad-bench)
#   SEED        seed of the synthetic archives (default 1)
#   DYAD        a dyad executable to time instead of building target/release/dyad
#
# Each size's archive is generated once by `cargo run --release --example synth` into
# $BENCH_HOME/synth-N and kept (regenerated only when examples/synth.rs or SEED change).
# Every run, the untimed warm-up included, builds into a fresh output folder. All run folders
# are deleted only at the end: creating many files shortly after deleting a large tree is up to
# ten times slower on this kind of file system, and would time the disk, not dyad.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home=${BENCH_HOME:-/tmp/dyad-bench}
seed=${SEED:-1}

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

mode=build
case ${1:-} in
  -h | --help) usage ;;
  --rebuild)
    mode=rebuild
    shift
    [[ $# -eq 1 ]] || usage
    ;;
esac
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000 100000)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: not a number of abstracts: $n" >&2; exit 2; }
done
if [[ -n ${RUNS:-} && ! $RUNS =~ ^[1-9][0-9]*$ ]]; then
  echo "bench.sh: RUNS must be a positive number, not '$RUNS'" >&2
  exit 2
fi
[[ -x /usr/bin/time ]] || { echo "bench.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

# ---------------------------------------------------------------------------- build the tools

target=${CARGO_TARGET_DIR:-$repo/target}
if [[ -n ${DYAD:-} ]]; then
  echo "building the synth example (release); timing DYAD=$DYAD" >&2
  (cd "$repo" && cargo build --release --quiet --example synth)
  dyad=$DYAD
else
  echo "building dyad and the synth example (release)" >&2
  (cd "$repo" && cargo build --release --quiet --bin dyad --example synth)
  dyad=$target/release/dyad
fi
synth=$target/release/examples/synth
[[ -x $dyad ]] || { echo "bench.sh: not an executable: $dyad" >&2; exit 2; }

mkdir -p "$home"
runs_dir=$home/runs-$$
mkdir "$runs_dir"
trap 'rm -rf "$runs_dir"' EXIT

runs_for() { # runs_for N: the number of timed runs for N abstracts
  if [[ -n ${RUNS:-} ]]; then
    echo "$RUNS"
  elif (($1 > 10000)); then
    echo 3
  else
    echo 5
  fi
}

# ------------------------------------------------------------------------- the archives

synth_id=$(sha256sum "$repo/examples/synth.rs" | cut -c1-16)

archive() { # archive N: makes sure $home/synth-N is current; prints its path
  local n=$1 dir=$home/synth-$1 stamp=$home/synth-$1.stamp
  local want="abstracts=$1 seed=$seed synth=$synth_id"
  if [[ ! -f $stamp || $(<"$stamp") != "$want" || ! -f $dir/archive.yaml ]]; then
    rm -f "$stamp"
    # A stale archive is moved aside (cheap) and deleted with the run folders, after timing.
    [[ ! -e $dir ]] || mv "$dir" "$runs_dir/stale-synth-$n"
    "$synth" --abstracts "$n" --seed "$seed" --out "$dir" >&2
    echo "$want" >"$stamp"
  fi
  echo "$dir"
}

# ------------------------------------------------------------------------------ timing

time_build() { # time_build ARCHIVE OUT: one `dyad build`; prints "WALL_SECONDS PEAK_KIB"
  local t=$runs_dir/time.txt log=$runs_dir/build.log
  if ! /usr/bin/time -f "%e %M" -o "$t" "$dyad" build --root "$1" --out "$2" --quiet \
    >"$log" 2>&1; then
    echo "bench.sh: dyad build --root $1 --out $2 failed:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  tail -n 1 "$t"
}

median() { # median NUMBERS...
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

min_max() { # min_max NUMBERS...: "MIN–MAX"
  printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'
}

check_space() { # check_space N BUILDS: stop early when the output would not fit
  local need_kib=$(($1 * 30 * $2)) free_kib # ~26 KiB of output per abstract, with margin
  free_kib=$(df -Pk "$home" | awk 'NR == 2 { print $4 }')
  if ((free_kib < need_kib)); then
    echo "bench.sh: $1 abstracts need about $((need_kib / 1048576 + 1)) GiB under $home for $2 builds; $((free_kib / 1048576)) GiB free" >&2
    exit 2
  fi
}

echo "dyad: $("$dyad" --version 2>/dev/null || echo "$dyad") · $(nproc) cores · $(df -PT "$home" | awk 'NR == 2 { print $2 }') at $home · commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"

if [[ $mode == rebuild ]]; then
  n=${sizes[0]}
  runs=$(runs_for "$n")
  check_space "$n" $((2 * runs))
  arch=$(archive "$n")
  firsts=() seconds=() rss=()
  for ((i = 1; i <= runs; i++)); do
    out=$runs_dir/rebuild-$n-$i
    r=$(time_build "$arch" "$out")
    read -r w _ <<<"$r"
    firsts+=("$w")
    find "$out" -type f -printf '%i\n' | sort >"$runs_dir/inodes-before"
    r=$(time_build "$arch" "$out")
    read -r w m <<<"$r"
    seconds+=("$w") rss+=("$m")
    find "$out" -type f -printf '%i\n' | sort >"$runs_dir/inodes-after"
  done
  files=$(wc -l <"$runs_dir/inodes-after")
  kept=$(comm -12 "$runs_dir/inodes-before" "$runs_dir/inodes-after" | wc -l)
  W1=$(median "${firsts[@]}") W2=$(median "${seconds[@]}") M=$(median "${rss[@]}")
  printf '%d abstracts, rebuild into the same output: %.2f s wall (%s), %d MiB peak RSS; first build %.2f s; %d of %d files kept (hard links); median of %d\n' \
    "$n" "$W2" "$(min_max "${seconds[@]}")" $((${M%.*} / 1024)) "$W1" "$kept" "$files" "$runs"
  exit 0
fi

for n in "${sizes[@]}"; do
  check_space "$n" $(($(runs_for "$n") + 1))
done
archives=()
for n in "${sizes[@]}"; do
  archives+=("$(archive "$n")")
done

summary=()
for idx in "${!sizes[@]}"; do
  n=${sizes[$idx]} arch=${archives[$idx]}
  runs=$(runs_for "$n")
  time_build "$arch" "$runs_dir/$n-warmup" >/dev/null # page cache and binary warm
  walls=() rss=()
  for ((i = 1; i <= runs; i++)); do
    out=$runs_dir/$n-$i
    r=$(time_build "$arch" "$out")
    read -r w m <<<"$r"
    walls+=("$w") rss+=("$m")
  done
  W=$(median "${walls[@]}") M=$(median "${rss[@]}")
  mib=$((${M%.*} / 1024))
  pages=$(find "$out" -name '*.html' | wc -l)
  size=$(du -sh "$out" | cut -f1)
  us=$(awk -v w="$W" -v p="$pages" 'BEGIN { printf "%.0f", p ? w * 1e6 / p : 0 }')
  printf '%7d abstracts: %7.2f s wall (%s), %5d MiB peak RSS, %7d HTML pages, %5s, %4d µs/page; median of %d\n' \
    "$n" "$W" "$(min_max "${walls[@]}")" "$mib" "$pages" "$size" "$us" "$runs"
  summary+=("$n=${W}s/${mib}MiB")
done
echo "sizes: ${summary[*]}"
