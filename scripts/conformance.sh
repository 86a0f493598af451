#!/usr/bin/env bash
# scripts/conformance.sh OUTDIR — writes what nianbao reports on the test fixtures, in every
# format, into OUTDIR; validates every JSON findings document against schemas/findings.schema.json;
# and, where ../shared/conformance exists (it does not on a user's machine), runs its SARIF and
# JUnit checkers (GitHub ingestion rules, Jenkins junit-10.xsd, GitLab read-back) on every
# SARIF and JUnit file. Exits non-zero when any output fails a check or nianbao itself errs.
set -uo pipefail
out=${1:?usage: scripts/conformance.sh OUTDIR}
top=$(cd "$(dirname "$0")/.." && pwd)
checkers=${NIANBAO_CONFORMANCE_DIR:-$top/../shared/conformance}
py=${PYTHON:-python3}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$top" || exit 2
status=0
ext() { case $1 in text) echo txt ;; junit) echo xml ;; *) echo "$1" ;; esac; }

# name → inputs: the seed and each corpus report alone, then one run over the whole fixture
# tree (every reader, every kind of unreadable file) plus a file that is not there
runs=()
for f in tests/fixtures/*.txt tests/fixtures/corpus/*.pdf tests/fixtures/corpus/*.html; do
  [[ -e $f ]] && runs+=("$(basename "${f%.*}")=$f")
done
# (--ocr never: the scans are read by OCR in tests/test_ocr.py; here they are unreadable files)
runs+=("all=--ocr never tests/fixtures tests/fixtures/no-such-report.txt")
# a roster: bodies with no report are findings on the roster file itself (R101)
runs+=("roster=--roster tests/fixtures/roster/linxia.yaml tests/fixtures/crossyear")

# the single-change copies of the text reports (tests/mutations.py), one run over all of them
"$py" - "$out/mutants" <<'PY' || status=1
import sys
from pathlib import Path
sys.path.insert(0, "tests")
from mutations import write_all

print(f"mutants: {len(write_all(Path(sys.argv[1])))} single-change copies written")
PY
runs+=("mutants=$out/mutants")

for spec in "${runs[@]}"; do
  name=${spec%%=*}
  read -r -a inputs <<<"${spec#*=}"
  # in Chinese (the default: NAME.EXT) and in English (NAME.en.EXT), both through the checkers
  for lang in zh en; do
    suffix=$([[ $lang == zh ]] && echo "" || echo ".$lang")
    for fmt in text json junit sarif; do
      target=$out/$name$suffix.$(ext "$fmt")
      "$py" -m nianbao.cli check "${inputs[@]}" --format "$fmt" -o "$target" --no-progress -q --lang "$lang"
      rc=$?
      if ((rc > 1)); then
        echo "FAIL: nianbao check ${inputs[*]} --format $fmt --lang $lang exited $rc"
        status=1
      fi
    done
  done
done

# a run built by hand with every outcome a reporter must show (extension rule, PDF location,
# fix, skipped rule, unreadable file, crashed rule)
"$py" - "$out" <<'PY' || status=1
import sys
sys.path.insert(0, "tests")
from test_reporters import synthetic_run
from nianbao import reporters

run = synthetic_run()
for fmt, ext in (("text", "txt"), ("json", "json"), ("junit", "xml"), ("sarif", "sarif")):
    with open(f"{sys.argv[1]}/synthetic.{ext}", "w", encoding="utf-8") as fh:
        fh.write(reporters.render(fmt, run))
PY

"$py" - "$out"/*.json <<'PY' || status=1
import json, sys
from jsonschema import Draft202012Validator
from nianbao import schemas

validator = Draft202012Validator(schemas.load("findings"))
bad = 0
for path in sys.argv[1:]:
    errors = list(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
    for e in errors[:5]:
        print(f"{path}: findings schema: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    bad += bool(errors)
print(f"findings schema: {len(sys.argv) - 1 - bad}/{len(sys.argv) - 1} JSON documents valid")
sys.exit(1 if bad else 0)
PY

if [[ -x $checkers/check-sarif && -x $checkers/check-junit ]]; then
  for f in "$out"/*.sarif; do
    if "$checkers/check-sarif" "$f" >"$f.check" 2>&1; then echo "ok   check-sarif $f"; else
      echo "FAIL check-sarif $f"; cat "$f.check"; status=1
    fi
  done
  for f in "$out"/*.xml; do
    for flavor in strict gitlab; do
      if "$checkers/check-junit" "$f" "$flavor" >"$f.$flavor.check" 2>&1; then echo "ok   check-junit $flavor $f"; else
        echo "FAIL check-junit $flavor $f"; cat "$f.$flavor.check"; status=1
      fi
    done
  done
else
  echo "skipped: no conformance checkers at $checkers (SARIF/JUnit written, not checked)"
fi
exit $status
