#!/usr/bin/env bash
# Fuzz every parser a user feeds for a few seconds each (issue 10):
#   bash .ci/fuzz.sh            # FUZZTIME=5s by default
#   FUZZTIME=60s bash .ci/fuzz.sh   # seconds, written as Ns
# A short -fuzzminimizetime keeps the time on fuzzing rather than on
# minimising new inputs. A failure leaves its input in the package's
# testdata/fuzz/<Target>/: fix the code and commit the input as a regression.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
fuzztime=${FUZZTIME:-5s}
targets=(
  "./app FuzzParsePHC"
  "./app FuzzSetField"
  "./app FuzzValidateName"
  "./app FuzzValidateOrgName"
  "./print FuzzBreakLines"
  "./ui/cli FuzzParseFlags"
  "./ui/cli FuzzFields"
  "./ui/cli FuzzRun"
  "./data FuzzResolveOrg"
  "./data/xlsx FuzzReadMembers 2"  # × FUZZTIME: its first seconds go to reading the seed workbooks
)
start=$SECONDS
for t in "${targets[@]}"; do
  read -r pkg name times <<<"$t"
  ft=$fuzztime
  if [ -n "${times:-}" ]; then ft="$(( ${fuzztime%s} * times ))s"; fi
  log=$(mktemp)
  ok=true
  for attempt in 1 2; do
    if go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$ft" -fuzzminimizetime 1s >"$log" 2>&1; then ok=true; break; fi
    ok=false
    # The engine's own "context deadline exceeded" (a slow worker at the
    # end of -fuzztime) leaves no input: that is no finding; run it again once.
    if [ "$attempt" = 1 ] && grep -q "context deadline exceeded" "$log" &&
      [ -z "$(git ls-files --others --exclude-standard "$pkg/testdata/fuzz/$name" 2>/dev/null)" ]; then
      echo "fuzz: $pkg $name: the fuzzing engine ran out of time without an input; running it again" >&2
      continue
    fi
    break
  done
  if ! $ok; then
    cat "$log" >&2
    rm -f "$log"
    if [ "${CI:-}" = "true" ]; then
      # In CI a new finding is reported, not fatal: the input is moved out of
      # the package (where the test run would replay it) to fuzz-findings/,
      # for a developer to fix the code and commit it as a regression.
      mkdir -p fuzz-findings
      for f in $(git ls-files --others --exclude-standard "$pkg/testdata/fuzz/$name"); do
        mv "$f" fuzz-findings/ && echo "fuzz: NEW FINDING $f → fuzz-findings/$(basename "$f")" >&2
      done
      continue
    fi
    echo "fuzz: $pkg $name failed (input kept under $pkg/testdata/fuzz/$name)" >&2
    exit 1
  fi
  # The last progress line: total executions and the rate over the run.
  last=$(grep -o 'elapsed: [0-9]*s, execs: [0-9]*' "$log" | tail -1 || true)
  execs=${last##* }
  secs=$(echo "$last" | sed -n 's/elapsed: \([0-9]*\)s.*/\1/p')
  rate=""
  if [ -n "$execs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ]; then rate="$((execs / secs))/s"; fi
  printf 'fuzz: %-14s %-20s %10s execs %10s\n' "$pkg" "$name" "${execs:-?}" "$rate"
  rm -f "$log"
done
echo "fuzz: ${#targets[@]} targets in $((SECONDS - start)) s"
