# desk report --html: a fixture desk driven with DESK_NOW over two weeks (escalations L1 -> L2 ->
# L3 and back, waits, breaches recorded by `desk sweep`, resolves, a reopen, closes with CSAT),
# rendered to HTML and checked three ways: by grep (nothing external, no script), by python3's
# XML parser (the charts are there and draw shapes of non-zero size), and in a real headless
# Chromium (no console messages, the SVG survives in the DOM, and the screenshot shows the
# chart colours). A negative control proves the console check can fail.
# The screenshot is kept at $DESK_ARTIFACT_DIR/report.png.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# DESK_CHROMIUM overrides the browser ("" pretends it is missing, to try the skip).
CHROMIUM=${DESK_CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z $CHROMIUM && ${CI:-} == true ]]; then
  echo "t_report: chromium is not installed (scripts/deps.sh installs it); required under CI=true" >&2
  exit 1
fi
# The cases that need the browser return early without it; the script then exits 77 (skipped).
need_chromium() {
  [[ -n $CHROMIUM ]] && return 0
  echo "  (needs chromium: skipped)"
  return 1
}
ARTIFACTS=${DESK_ARTIFACT_DIR:-$TMP/artifacts}
mkdir -p "$ARTIFACTS"

new_desk

# at DAY TIME ARGS...: runs desk with the clock at 2026-11-DAYTTIME:00Z (the 16th is a Monday;
# the default calendar is UTC Mon-Fri 09:00-17:00).
at() {
  local day=$1 time=$2
  shift 2
  DESK_NOW=2026-11-${day}T$time:00Z desk_ok "$@"
}

# A: answered and resolved at first contact, closed with CSAT 5.
at 16 09:00 new "Printer jam" --priority P3 --requester "Lee <lee@example.com>"; A=$OUT
at 16 09:20 comment "$A" -m "On my way"
at 16 09:25 resolve "$A" -m "Cleared the jam"
at 16 11:00 close "$A" --csat 5

# B: up L1 -> L2 -> L3 and back down to L1, resolved there, CSAT 4.
at 16 10:00 new "VPN drops" --priority P2 --requester "Kim <kim@example.com>"; B=$OUT
at 16 10:10 comment "$B" -m "Looking"
at 16 10:20 escalate "$B" -m "needs network access"
at 17 09:00 escalate "$B" --to L3 -m "firmware bug"
at 18 09:00 deescalate "$B" -m "patched the firmware; verify with the customer"
at 18 10:00 deescalate "$B" -m "verify and close"
at 18 11:00 resolve "$B" -m "Verified"
at 18 12:00 close "$B" --csat 4

# C: waits on the customer, resolved, reopened, resolved again, CSAT 2.
at 17 09:00 new "Mailbox full" --priority P3 --requester "Ann <ann@example.com>"; C=$OUT
at 17 09:10 comment "$C" -m "Which mailbox?"
at 17 09:15 wait "$C" --on customer -m "which mailbox?"
at 18 09:00 resume "$C"
at 19 09:00 resolve "$C" -m "Archived old mail"
at 20 09:00 reopen "$C" -m "full again"
at 20 11:00 resolve "$C" -m "Raised the quota"
at 20 12:00 close "$C" --csat 2

# D and E: left alone until the sweep escalates them and records their breaches.
at 18 09:00 new "Database slow" --priority P1; D=$OUT
at 19 09:00 new "Laptop broken" --priority P2; E=$OUT
DESK_NOW=2026-11-19T16:00:00Z run_desk sweep
[[ $CODE == 0 || $CODE == 4 ]] || fail "sweep failed"
at 20 09:00 resolve "$E" -m "Replaced the laptop"
at 20 10:00 close "$E" --csat 3

# A steady trickle: two tickets a working day, most resolved within hours or days.
n=0
for day in 23 24 25 26 27; do
  for hour in 09 13; do
    n=$((n + 1))
    types=(service-request incident) categories=(email network hardware)
    at $day $hour:00 new "Request $n" --priority P3 --type "${types[n % 2]}" --category "${categories[n % 3]}"; id=$OUT
    at $day $hour:15 comment "$id" -m "on it"
    if ((n % 3 != 0)); then
      at $day $((10#$hour + 1 + n % 3)):00 resolve "$id" -m "done"
      ((n % 2)) && at $day 16:30 close "$id" --csat $((n % 5 + 1))
    fi
  done
done
DESK_NOW=2026-11-27T16:00:00Z run_desk sweep
[[ $CODE == 0 || $CODE == 4 ]] || fail "sweep failed"

export DESK_NOW=2026-11-27T17:00:00Z
REPORT=$TMP/report.html

case_writes_report_without_a_commit() {
  snapshot
  desk_ok report --html "$REPORT" --since 2026-11-16 --title "Support, weeks 47-48"
  assert_unchanged
  expect_err_contains "wrote the report"
  [[ -s $REPORT ]] || fail "no report written"
  ! ls -a "$TMP" | grep -q 'desk-' || fail "a temporary file was left: $(ls -a "$TMP")"
  grep -q "no data in this period" "$REPORT" && fail "a chart of the fixture has no data"
  desk_ok report --html - --since 2026-11-16 --title "Support, weeks 47-48"
  cmp -s <(printf '%s\n' "$OUT") "$REPORT" || fail "stdout and file differ"
}

case_nothing_external_and_no_script() {
  [[ -s $REPORT ]] || desk_ok report --html "$REPORT" --since 2026-11-16
  if grep -Eio '(src|href|xlink:href)[[:space:]]*=[[:space:]]*"[^"]*"' "$REPORT" | grep -E '//|https?:'; then
    fail "the report references something external"
  fi
  grep -qi '<script' "$REPORT" && fail "the report has a script"
  grep -Eqi 'url\(|@import|@font-face' "$REPORT" && fail "the CSS loads something"
  grep -qF "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>" "$REPORT" ||
    fail "no Content-Security-Policy"
}

# The numbers of the charts and tables, read from the page, are those of `desk stats --json` over
# the same period: by week, priority, type and category, and in total.
case_numbers_match_desk_stats() {
  [[ -s $REPORT ]] || desk_ok report --html "$REPORT" --since 2026-11-16
  local by
  for by in week priority type category tier; do
    desk_ok stats --since 2026-11-16 --by "$by" --json
    cp "$OUT_FILE" "$TMP/stats-$by.json"
  done
  py '
import re, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
stats = {by: json.load(open(f"{sys.argv[2]}/stats-{by}.json")) for by in ("week", "priority", "type", "category", "tier")}
charts = {s.get("aria-label"): s for s in root.iter("svg")}
def bars(label):
    svg = next(s for l, s in charts.items() if l.startswith(label))
    out = {}
    for r in svg.iter("rect"):
        t = r.find("title")
        if t is None: continue
        m = re.fullmatch(r"(.*): (\S+) (.*)", t.text)
        out[(m.group(1), m.group(3))] = float(m.group(2))
    return out
groups = lambda by: {g["group"]: g for g in stats[by]["groups"]}
# Weekly trend: resolved, SLA breaches (every clock), escalations.
weekly = bars("Weekly trend")
weeks = groups("week")
assert len(weeks) >= 2, weeks.keys()
for key, g in weeks.items():
    w = key[5:]
    breaches = sum(c["breached"] for c in g["sla"].values())
    # A bar of zero is not drawn.
    assert weekly.get((w, "resolved"), 0) == g["resolved"], (w, weekly, g["resolved"])
    assert weekly.get((w, "SLA breaches"), 0) == breaches, (w, weekly, breaches)
    assert weekly.get((w, "escalations"), 0) == g["escalations"]["total"], (w, weekly)
assert sum(v for (w, s), v in weekly.items() if s == "SLA breaches") > 0, weekly
# Backlog by priority and age.
aged = bars("Backlog by priority")
names = ("<1d", "1-3d", "3-7d", "≥7d")
keys = ("under_1d", "1d_to_3d", "3d_to_7d", "over_7d")
for p, g in groups("priority").items():
    for name, key in zip(names, keys):
        if g["backlog"]["total"]: assert aged.get((p, name), 0) == g["backlog"]["ageing"][key], (p, name, aged, g["backlog"])
assert sum(aged.values()) == stats["priority"]["total"]["backlog"]["total"] > 0
# Volume by type and by category: tickets created.
for by, label in (("type", "Tickets created in the period by type"), ("category", "Tickets created in the period by category")):
    vol = bars(label)
    want = {(k or "none", "created"): g["created"] for k, g in groups(by).items() if g["created"]}
    assert vol == want, (by, vol, want)
    assert len(vol) >= 2, (by, vol)
# Tier flow: each arc says its count and its share of the escalations.
t = stats["tier"]["total"]
flow = next(s for l, s in charts.items() if l.startswith("Tier flow"))
arcs = {p.find("title").text for p in flow.iter("path") if p.find("title") is not None}
for pair, n in t["escalations"]["by_pair"].items():
    if n:
        a, b = pair.split("->")
        share = round(100 * n / t["escalations"]["total"])
        assert f"{a} up to {b}: {n} · {share}%" in arcs, (pair, n, arcs)
# The per-tier table: resolved tickets by the tiers they reached.
table = next(tb for tb in root.iter("table") if any((th.text or "").startswith("Resolved tickets that reached") for th in tb.iter("th")))
rows = {tr.find("th").text: [td.text for td in tr.findall("td")] for tr in table.find("tbody").findall("tr")}
for tier in t["tiers"]:
    row = rows[tier["tier"]]
    assert (int(row[0]), int(row[1])) == (tier["reached"], tier["resolved_here"]), (tier, row)
assert int(rows["All"][0]) == t["resolved"], rows["All"]
# Business and calendar medians side by side.
tiles = {d.find("div").text: d for d in root.iter("div") if d.get("class") == "tile"}
fr = tiles["First response (median)"]
value, sub = [d.text for d in fr.findall("div")][1:]
assert value == t["first_response_time"]["median"] + " business", (value, t["first_response_time"])
assert sub.startswith(t["first_response_calendar_time"]["median"] + " calendar"), (sub, t["first_response_calendar_time"])
' "$REPORT" "$TMP"
}

# The XML check: at least 4 charts, each with shapes of non-zero size in the chart colours.
case_parses_as_xml_with_drawn_charts() {
  py '
import xml.etree.ElementTree as ET, re
root = ET.parse(sys.argv[1]).getroot()
palette = {"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00"}
svgs = list(root.iter("svg"))
assert len(svgs) >= 4, len(svgs)
def sized(e):
    a = e.attrib
    f = lambda k: float(a.get(k, "0"))
    if e.tag == "rect": return f("width") > 0 and f("height") > 0
    if e.tag == "circle": return f("r") > 0
    if e.tag == "line": return (f("x1"), f("y1")) != (f("x2"), f("y2"))
    if e.tag in ("path",): return len(re.findall(r"[-\d.]+", a.get("d", ""))) >= 4
    if e.tag in ("polygon", "polyline"): return len(a.get("points", "").split()) >= 2
    return False
for s in svgs:
    label = s.get("aria-label")
    assert s.get("role") == "img" and label, s.attrib
    assert s.find("title") is not None and s.find("title").text, label
    shapes = [e for e in s.iter() if sized(e) and (e.get("fill") in palette or e.get("stroke") in palette)]
    assert len(shapes) >= 2, (label, len(shapes))
print(len(svgs), "charts")
' "$REPORT"
}

# chromium_run OUT_PREFIX URL ARGS...: headless Chromium in its own process group (killed when
# done, so nothing it started survives), stderr to OUT_PREFIX.err, stdout to OUT_PREFIX.out.
chromium_run() {
  local prefix=$1 url=$2 pid rc=0
  shift 2
  setsid timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d "$TMP/chromium.XXXXXX")" --enable-logging=stderr --v=0 "$@" "$url" \
    >"$prefix.out" 2>"$prefix.err" &
  pid=$!
  wait "$pid" || rc=$?
  kill -- "-$pid" 2>/dev/null || true
  ((rc == 0)) || fail "chromium exited with $rc: $(grep -v -i 'dbus\|vaapi\|fontconfig' "$prefix.err" | tail -5)"
}

# console_lines FILE: the console messages Chromium logged (the rest of its stderr is noise).
console_lines() { grep -a ':CONSOLE' "$1" || true; }

case_console_check_can_fail() {
  need_chromium || return 0
  # Negative controls: a page that logs an error, and one whose external image the CSP blocks.
  cat >"$TMP/logs.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"/><title>control</title></head><body><p>x</p><script>console.error('x')</script></body></html>
HTML
  cat >"$TMP/blocked.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"/><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/><title>control</title></head><body><img src="https://example.invalid/x.png" alt="x"/></body></html>
HTML
  chromium_run "$TMP/logs" "file://$TMP/logs.html" --dump-dom
  [[ -n $(console_lines "$TMP/logs.err") ]] || fail "the detector missed console.error"
  chromium_run "$TMP/blocked" "file://$TMP/blocked.html" --dump-dom
  [[ $(console_lines "$TMP/blocked.err") == *"Content Security Policy"* ]] || fail "the detector missed a CSP violation"
}

case_renders_in_chromium_without_console_messages() {
  need_chromium || return 0
  [[ -s $REPORT ]] || desk_ok report --html "$REPORT" --since 2026-11-16
  local shot=$ARTIFACTS/report.png lines
  rm -f "$shot"
  chromium_run "$TMP/shot" "file://$REPORT" --window-size=1280,2400 --screenshot="$shot" --hide-scrollbars
  lines=$(console_lines "$TMP/shot.err")
  [[ -z $lines ]] || fail "console messages while loading the report: $lines"
  [[ -s $shot ]] || fail "no screenshot"
  chromium_run "$TMP/dom" "file://$REPORT" --dump-dom
  lines=$(console_lines "$TMP/dom.err")
  [[ -z $lines ]] || fail "console messages while loading the report: $lines"
  # Every chart and every shape of the file is in the rendered DOM.
  py '
import re
dom = open(sys.argv[1], encoding="utf-8").read()
src = open(sys.argv[2], encoding="utf-8").read()
count = lambda text, pattern: len(re.findall(pattern, text))
n = count(dom, r"<svg\b")
assert n >= 4 and n == count(src, r"<svg\b"), n
shapes = r"<(rect|path|polygon|line)\b"
assert count(dom, shapes) == count(src, shapes) > 20, (count(dom, shapes), count(src, shapes))
assert "<script" not in dom
' "$TMP/dom.out" "$REPORT"
  # The screenshot: decoded with the standard library only; not blank, and the chart colours
  # cover a meaningful number of pixels each. Then the same at the width of a printed A4 page
  # (794 CSS pixels), where the charts stack in one column.
  cat >"$TMP/png_check.py" <<'PY'
import sys
import struct, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, chunks = 8, {}
idat = b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR": width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    if kind == b"IDAT": idat += body
    pos += 12 + length
assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = width * bpp
rows, prev, i = [], bytearray(stride), 0
for y in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
counts, nonwhite = {}, 0
for row in rows:
    for x in range(0, stride, bpp):
        px = row[x:x + 3]
        if px != b"\xff\xff\xff": nonwhite += 1
        counts[px] = counts.get(px, 0) + 1
total = width * height
assert nonwhite > total * 0.05, ("nearly blank", nonwhite, total)
assert len(counts) > 50, ("too few colours", len(counts))
palette = {"blue": "0072B2", "vermillion": "D55E00", "green": "009E73", "orange": "E69F00", "sky": "56B4E9"}
def near(hexcolour):
    r, g, b = bytes.fromhex(hexcolour)
    return sum(n for px, n in counts.items() if abs(px[0] - r) <= 6 and abs(px[1] - g) <= 6 and abs(px[2] - b) <= 6)
found = {name: near(h) for name, h in palette.items()}
missing = {k: v for k, v in found.items() if v < 300}
assert not missing, ("chart colours missing from the screenshot", found)
PY
  "$PY" "$TMP/png_check.py" "$shot" || fail "the screenshot at 1280 px: see above"
  local narrow=$ARTIFACTS/report-print-width.png
  rm -f "$narrow"
  chromium_run "$TMP/narrow" "file://$REPORT" --window-size=794,4000 --screenshot="$narrow" --hide-scrollbars
  "$PY" "$TMP/png_check.py" "$narrow" || fail "the screenshot at 794 px: see above"
  echo "  screenshots: $shot, $narrow"
}

# The page lists every option of `desk report --help` and passes groff's and mandoc's checks.
case_man_page_documents_every_option() {
  local page=${DESK_SOURCE_DIR:?}/man/desk-report.1 text opt out
  text=$(sed 's/\\-/-/g' "$page")
  desk_ok report --help
  for opt in $(awk '/^Options:/{f=1;next} f&&!NF{exit} f' <<<"$OUT" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    case $opt in --help|--help-all) continue ;; esac
    grep -qF -- ".B $opt" <<<"$text" || fail "man/desk-report.1 has no .B $opt"
  done
  if command -v groff >/dev/null; then
    out=$(groff -man -ww -z "$page" 2>&1)
    [[ -z $out ]] || fail "groff: $out"
  fi
  if command -v mandoc >/dev/null; then
    out=$(mandoc -Tlint "$page" 2>&1 || true)
    [[ -z $out ]] || fail "mandoc -Tlint: $out"
  fi
}

run_all_cases
if [[ -z $CHROMIUM && $FAILURES == 0 ]]; then
  echo "t_report: SKIP: chromium is not installed (scripts/deps.sh installs it); the other checks passed" >&2
  FINISHED=1
  exit 77
fi
finish
