#!/usr/bin/env bash
# Whole-process figures for the README: start to first frame, peak memory, and `validate`
# beside `jq empty` and `cat` on the same file.
#
#   bash benches/whole.sh            # the real exports in ../shared/realworld and a 50 MB bot
#
# Needs hyperfine, jq, tmux and GNU time (installed with apt-get when missing).
# The 50 MB bot is generated once into target/bench-bots (gen-bot, seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
    command -v "$1" >/dev/null 2>&1 && return
    if command -v apt-get >/dev/null 2>&1; then
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    else
        echo "whole.sh: $1 is missing; install $2" >&2
        exit 1
    fi
}
need hyperfine hyperfine
need jq jq
need tmux tmux
[ -x /usr/bin/time ] || need /usr/bin/time time

cargo build --release --quiet
bin=$PWD/target/release/escalator
bots=target/bench-bots
mkdir -p "$bots"
big=$bots/bot-50mb.json
[ -s "$big" ] || "$bin" gen-bot "$big" --integrations 37500 --seed 1 >/dev/null
real=${REAL_EXPORT:-../shared/realworld/shopify-bot.json}

# No journal from an earlier session may stop the editor at a question.
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
export XDG_STATE_HOME=$state XDG_DATA_HOME=$state XDG_CONFIG_HOME=$state

echo "== files"
ls -l "$real" "$big" | awk '{print $5, $9}'

# The editor needs a terminal: these run inside a 120x40 tmux session, the editor's input
# from the session's terminal and its frames drawn there.
in_terminal() {
    local log
    log=$(mktemp)
    tmux kill-session -t escalator-bench 2>/dev/null || true
    tmux new-session -d -s escalator-bench -x 120 -y 40 \
        "$1 2>$log; tmux wait-for -S escalator-bench-done"
    tmux wait-for escalator-bench-done
    cat "$log" >&2
    rm -f "$log"
}
frame() { echo "$bin --exit-after-first-frame $1 </dev/tty"; }

echo
echo "== start to first frame (hyperfine, in a tmux terminal)"
table=$(mktemp)
in_terminal "hyperfine --warmup 3 --runs 30 --output=inherit --export-markdown $table \
    -n 'real export' '$(frame "$real")'"
cat "$table"
in_terminal "hyperfine --warmup 1 --runs 10 --output=inherit --export-markdown $table \
    -n '50 MB bot' '$(frame "$big")'"
cat "$table"
rm -f "$table"

peak_file=$(mktemp)
peak() {
    in_terminal "/usr/bin/time -o $peak_file -f %M $bin --exit-after-$1 $2 </dev/tty"
    echo "$(($(tail -1 "$peak_file") / 1024)) MiB peak, editor to $1: $2"
}
echo
echo "== peak memory (GNU time, maximum resident set)"
for file in "$real" "$big"; do
    peak first-frame "$file"
    peak check "$file"
done
/usr/bin/time -o "$peak_file" -f %M "$bin" validate "$big" >/dev/null || true
echo "$(($(tail -1 "$peak_file") / 1024)) MiB peak, validate: $big"
rm -f "$peak_file"

echo
echo "== validate against jq and cat, one run (hyperfine)"
# validate exits 1 when the bot has errors: that is its answer, not a failure here.
hyperfine --warmup 2 --runs 10 --style basic -i \
    -n "cat" "cat $big" \
    -n "jq empty" "jq empty $big" \
    -n "escalator validate" "$bin validate $big"

echo
echo "== memory while typing: 200 keystrokes in a 1 MB Message to User (tmux)"
field_bot=$bots/field-1mb.json
if [ ! -s "$field_bot" ]; then
    { yes word || true; } | head -c 1048576 | tr '\n' ' ' >"$bots/field-1mb.txt"
    jq --rawfile m "$bots/field-1mb.txt" \
        '(.responder[] | select(.name == "AgentEscalation") | .transferMessage) = $m' \
        assets/sample-bot.json >"$field_bot"
fi
wait_screen() { # waits (at most 2 minutes) until the session's screen shows $1
    for _ in $(seq 1 6000); do
        tmux capture-pane -p -t escalator-type | grep -qF -- "$1" && return
        sleep 0.02
    done
    echo "whole.sh: never saw '$1'" >&2
    exit 1
}
tmux kill-session -t escalator-type 2>/dev/null || true
tmux new-session -d -s escalator-type -x 120 -y 40 -e "XDG_STATE_HOME=$state" "$bin $field_bot"
wait_screen "AgentEscalation"
pid=$(tmux list-panes -t escalator-type -F '#{pane_pid}')
rss() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status"; }
echo "$(rss) MiB at the first frame ($(stat -c %s "$field_bot") bytes)"
# Enter the form, down to Message to User (the 8th field), and type in it.
tmux send-keys -t escalator-type Enter Down Down Down Down Down Down Down Enter
wait_screen "Esc leave the field"
for i in $(seq 1 200); do tmux send-keys -t escalator-type -l "x"; done
# Leaving the field is answered after every key typed before it.
tmux send-keys -t escalator-type Escape
wait_screen "back to the list"
sleep 1.5 # the journal is written a second after the last key
echo "$(rss) MiB after 200 keystrokes; peak $(awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$pid/status") MiB"
tmux kill-session -t escalator-type
