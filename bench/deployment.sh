# Sourced by the deployment benchmarks: publishes firebreak in Release, gives the run its own PostgreSQL
# database and RabbitMQ prefix, and starts processes that are all stopped (and the database dropped) on exit.
#   start_web [--no-rabbitmq] [--sqlite]   one web node on 127.0.0.1:5099
#   start_workers N                        N `firebreak worker` processes
#   bench_token SLUG                       creates workspace SLUG and exports FIREBREAK_TOKEN (read, write, ingest) for it
eval "$(scripts/test-services 2>/dev/null)"
bin=$(mktemp -d)
dotnet publish src/Firebreak -c Release -o "$bin" -v q >/dev/null
db=fbbench_$RANDOM$RANDOM
prefix=bench$RANDOM
PGPASSWORD=firebreak psql -h 127.0.0.1 -U firebreak -d firebreak -qc "CREATE DATABASE $db"
postgres="Host=127.0.0.1;Username=firebreak;Password=firebreak;Database=$db"
export FIREBREAK_RABBITMQ_PREFIX=$prefix FIREBREAK_DATA=$bin/data
web=http://127.0.0.1:5099
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  PGPASSWORD=firebreak psql -h 127.0.0.1 -U firebreak -d firebreak -qc "DROP DATABASE IF EXISTS $db" || true
  for q in $(rabbitmqctl -q list_queues name 2>/dev/null | grep "^$prefix\."); do rabbitmqctl -q delete_queue "$q" >/dev/null || true; done
  rm -rf "$bin"
}
trap cleanup EXIT

start_web() {
  local args=(--postgres "$postgres" --rabbitmq "$FIREBREAK_TEST_RABBITMQ")
  for a in "$@"; do
    case $a in
      --no-rabbitmq) args=(--postgres "$postgres") ;;
      --sqlite) args=() ;;
    esac
  done
  store_args=("${args[@]}")
  "$bin/firebreak" "${args[@]}" serve --urls "$web" >/dev/null 2>&1 & pids+=($!)
  until curl -fsS "$web/health/ready" >/dev/null 2>&1; do sleep 0.5; done
}

start_workers() {
  for _ in $(seq 1 "$1"); do
    "$bin/firebreak" --postgres "$postgres" --rabbitmq "$FIREBREAK_TEST_RABBITMQ" worker >/dev/null 2>&1 & pids+=($!)
  done
  sleep 5 # workers join the membership list and share the partitions
}

# The API needs a signed-in caller: an operator's token, made on the store the web node uses.
bench_token() {
  local store=()
  [[ ${store_args[0]:-} == --postgres ]] && store=(--postgres "${store_args[1]}")
  FIREBREAK_TOKEN=$("$bin/firebreak" "${store[@]}" tokens create --email bench@localhost --workspace "$1" --create-workspace \
    --role owner --scopes read,write,ingest --name bench 2>/dev/null)
  export FIREBREAK_TOKEN
}
