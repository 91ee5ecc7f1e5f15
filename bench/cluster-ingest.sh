#!/usr/bin/env bash
# Distributed ingest benchmark: HTTP (NDJSON) → web node → RabbitMQ → W workers → PostgreSQL.
# Prints how long the web node took to queue everything and how long until the last mention was stored.
#   bench/cluster-ingest.sh WORKERS [NDJSON-FILE]      (as root: starts the servers via scripts/test-services)
set -euo pipefail
cd "$(dirname "$0")/.."
workers=${1:?number of workers}
file=${2:-}
source bench/deployment.sh
if [[ -z $file ]]; then
  file=$bin/mentions.ndjson
  python3 - "$file" <<'PY'
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
with open(sys.argv[1], 'w') as f:
    for i in range(50000):
        f.write(json.dumps({"platform": "x", "externalId": f"b{i}", "kind": "post",
                            "author": {"handle": f"@u{i % 997}", "followers": i},
                            "text": f"Flight {i % 300} delayed again, I want a refund #aurora {i}",
                            "createdAt": (now + datetime.timedelta(milliseconds=i)).isoformat()}) + "\n")
PY
fi
total=$(wc -l < "$file")
start_web
start_workers "$workers"
bench_token bench
count() { PGPASSWORD=firebreak psql -h 127.0.0.1 -U firebreak -d "$db" -qtAc "SELECT count(*) FROM mention_keys"; }
start=$(date +%s.%N)
curl -fsS -H "authorization: Bearer $FIREBREAK_TOKEN" -H 'content-type: application/x-ndjson' --data-binary @"$file" http://127.0.0.1:5099/api/workspaces/bench/ingest >/dev/null
queued=$(date +%s.%N)
while [[ $(count) -lt $total ]]; do sleep 0.2; done
stored=$(date +%s.%N)
python3 -c "
q=$queued-$start; s=$stored-$start
print(f'workers={$workers} mentions={$total} queued_in={q:.1f}s stored_in={s:.1f}s throughput={$total/s:,.0f} mentions/s')"
