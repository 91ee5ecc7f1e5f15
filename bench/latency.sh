#!/usr/bin/env bash
# End-to-end latency from HTTP ingest to queryable, under a steady background load, for one deployment shape:
#   bench/latency.sh sqlite|postgres|cluster [WORKERS] [RATE] [SECONDS]      (as root: starts the servers)
# sqlite: one node, embedded store; postgres: one node, PostgreSQL; cluster: web node → RabbitMQ → WORKERS → PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
shape=${1:?sqlite, postgres or cluster}
workers=${2:-1}
rate=${3:-2000}
seconds=${4:-30}
source bench/deployment.sh
case $shape in
  sqlite) start_web --sqlite ;;
  postgres) start_web --no-rabbitmq ;;
  cluster) start_web; start_workers "$workers" ;;
  *) echo "unknown shape $shape" >&2; exit 2 ;;
esac
echo "shape=$shape workers=$([[ $shape == cluster ]] && echo "$workers" || echo in-process) rate=$rate/s seconds=$seconds"
bench_token bench
"$bin/firebreak" bench latency --url "$web" --rate "$rate" --seconds "$seconds"
