# bench/lib.sh — shell functions shared by bench/run.sh and bench/cpu_ab.sh
# (sourced, not run).
# shellcheck shell=bash

# field KEY LINE: the value of KEY=VALUE in a result line (bench/result_line.h, wrk's ops=… line).
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# CPU time the server spends per request (user + system of its processes over
# the run, divided by the requests answered): unlike req/s it barely moves when
# other work shares the machine, so it is the figure to compare across runs.
#   c0=$(cpu_ticks PID...); <load>; per_request_us "$c0" "$(cpu_ticks PID...)" REQUESTS
cpu_ticks() { for pid in "$@"; do awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null; done | awk '{s += $1} END {print s + 0}'; }
per_request_us() { awk -v a="$1" -v b="$2" -v n="$3" -v t="$(getconf CLK_TCK)" 'BEGIN { if (n == 0) print 0; else printf "%.1f\n", (b - a) / t * 1e6 / n }'; }

# settle PID [MAX_SECONDS]: waits until the process used under 10 % of a core
# over a whole second (RocksDB's flushes and compactions after a bulk fill have
# finished), at most MAX_SECONDS (120); prints the seconds waited.
settle() {
  local pid=$1 max=${2:-120} waited=0 hz c0 c1
  hz=$(getconf CLK_TCK)
  while ((waited < max)); do
    c0=$(cpu_ticks "$pid")
    sleep 1
    c1=$(cpu_ticks "$pid")
    waited=$((waited + 1))
    (((c1 - c0) * 10 < hz)) && break
  done
  echo "$waited"
}
