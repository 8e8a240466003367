#!/usr/bin/env bash
# The README's 5-minute local tour, run as a script that checks what each step answers.
#
#   bash docs/tour.sh                      starts the built runtime (local/target/dripline-local.jar)
#                                          on a free port, runs the tour, stops it
#   URL=http://localhost:8080 KEY=dl_local_... bash docs/tour.sh
#                                          runs it against a runtime you started (its data stays,
#                                          for the dashboard); use a fresh one: the numbers it
#                                          checks are the tour's own
#   TOUR_SCREENSHOT=docs/dashboard.png     also saves the dashboard as headless Chromium shows it
#
# Exit 0: every step answered as the README says; 1: the first one that did not, with what it got.
# Needs curl and python3 (for reading JSON).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
started=$SECONDS
say() { printf '[tour %3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

if [[ -z "${URL:-}" ]]; then
  JAR="$ROOT/local/target/dripline-local.jar"
  [[ -f "$JAR" ]] || fail "$JAR missing: run mvn -q -B -DskipTests package first"
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  KEY="dl_local_tour$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
  URL="http://localhost:$PORT"
  log="$(mktemp)"
  DRIPLINE_PORT="$PORT" DRIPLINE_API_KEY="$KEY" DRIPLINE_LOG_LEVEL=WARN java -XX:TieredStopAtLevel=1 -jar "$JAR" >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$URL/openapi.yml" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log"; fail "the runtime exited"; }
    sleep 1
  done
  say "started the local runtime on $URL"
fi
[[ -n "${KEY:-}" ]] || fail "KEY is not set (the API key the runtime printed)"

body="$(mktemp)"
trap_body() { rm -f "$body"; }
# call METHOD PATH [JSON] [KEY]: sets $status, leaves the response in $body
call() {
  local key="${4:-$KEY}"
  local args=(-s -o "$body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $key" -H 'Content-Type: application/json')
  [[ -n "${3:-}" ]] && args+=(-d "$3")
  status="$(curl "${args[@]}" "$URL$2")"
}
# expect STATUS: the last call answered it
expect() { [[ "$status" == "$1" ]] || fail "$LAST answered $status, not $1: $(head -c 600 "$body")"; }
# field EXPR: a value from the last response, by a Python expression over `d`
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$body"; }
# is EXPR WANT: the value must be WANT
is() { local got; got="$(field "$1")"; [[ "$got" == "$2" ]] || fail "$LAST: $1 is '$got', not '$2'"; }
handset() { LAST="handset $1"; call GET "/local/phones/$1/messages"; expect 200; }
advance() { LAST="advance $1"; call POST /local/clock/advance "{\"duration\":\"$1\"}"; expect 200; }
reply() { LAST="reply $2 from $1"; call POST "/local/phones/$1/reply" "{\"body\":\"$2\"}"; expect 202; is 'd["webhookStatus"]' 204; }
# until_ok SECONDS CMD...: retries a check while the pipeline works (the sender, receipts)
until_ok() {
  local deadline=$((SECONDS + $1)); shift
  until ( "$@" ) >/dev/null 2>&1; do
    (( SECONDS < deadline )) || { "$@"; fail "$LAST never held"; }
    sleep 0.2
  done
}

ADA=+14155550123
GRACE=+12125550199

# 1. A contact ---------------------------------------------------------------------------------
LAST="1. POST /v1/contacts"
call POST /v1/contacts '{"phone":"(415) 555-0123","country":"US","firstName":"Ada",
  "consent":{"status":"opted_in","source":"web_form","proof":"Yes, text me. Reply STOP to opt out."}}'
expect 201
is 'd["phone"]' "$ADA"; is 'd["timeZone"]' America/Los_Angeles; is 'd["consent"]' opted_in
ADA_ID="$(field 'd["id"]')"
call POST /v1/contacts '{"phone":"(415) 555-0123","country":"US","firstName":"Ada"}'
expect 200; is 'd["id"]' "$ADA_ID"
say "1. contact $ADA_ID: E.164, zone from the number; the same POST again is 200 with the same id"

# 2. Preview -----------------------------------------------------------------------------------
B='Your order ships today – thanks for shopping with us! Track it in the app or reply HELP.'
LAST="2. POST /v1/messages/preview"
call POST /v1/messages/preview "{\"body\":\"$B\"}"
expect 200; is 'd["encoding"]' UCS-2; is 'd["segments"]' 2; is 'd["ucs2Characters"][0]["codePoint"]' U+2013
call POST /v1/messages/preview "{\"body\":\"$B\",\"smartEncoding\":true}"
expect 200; is 'd["encoding"]' GSM-7; is 'd["segments"]' 1
say "2. preview: UCS-2 in 2 segments because of U+2013; smart encoding makes it GSM-7 in 1"

# 3. A message, delivered ------------------------------------------------------------------------
LAST="3. POST /v1/messages"
call POST /v1/messages "{\"to\":\"$ADA\",\"body\":\"Hi Ada, your order ships today\"}"
expect 202; is 'd["status"]' accepted; is 'd["encoding"]' GSM-7
MSG="$(field 'd["id"]')"
delivered() { LAST="3. GET /v1/messages/$MSG"; call GET "/v1/messages/$MSG"; is 'd["status"]' delivered; }
until_ok 20 delivered
is '",".join(h["status"] for h in d["history"])' accepted,queued,sent,delivered
say "3. $MSG: accepted, queued, sent, delivered"

# 4. Tomorrow, in a second -----------------------------------------------------------------------
LAST="4. POST /v1/messages sendAt"
TOMORROW=$(curl -s $URL/local/clock | sed -E 's/.*"tomorrow":"([^"]+)".*/\1/')   # as the README: the runtime's clock
call POST /v1/messages "{\"to\":\"$ADA\",\"body\":\"See you soon\",\"sendAt\":\"$TOMORROW\"}"
expect 202
advance P1D
arrived() { handset "$ADA"; is '[m["body"] for m in d["items"]][-1]' "See you soon"; }
until_ok 20 arrived
say "4. a message sent for $TOMORROW arrived after advancing the clock a day"

# 5-6. Replies, STOP, START ------------------------------------------------------------------------
reply "$ADA" 'Thanks!'
reply "$ADA" stop
stopped() { handset "$ADA"; is 'd["items"][-1]["body"]' "Dripline Demo: You are unsubscribed and will receive no more messages. Reply START to resubscribe."; }
until_ok 20 stopped
LAST="6. POST /v1/messages to an opted-out number"
call POST /v1/messages "{\"to\":\"$ADA\",\"body\":\"Still there?\"}"
expect 409
reply "$ADA" START
LAST="6. GET /v1/contacts/$ADA_ID"
call GET "/v1/contacts/$ADA_ID"; expect 200; is 'd["consent"]' opted_in
LAST="6. GET /v1/contacts/$ADA_ID/messages"
call GET "/v1/contacts/$ADA_ID/messages"; expect 200
is 'sorted({m["direction"] for m in d["items"]})' "['inbound', 'outbound']"
say "5-6. a reply; STOP: one confirmation, sends refused (409); START: opted in again"

# 7. A verification code -------------------------------------------------------------------------
LAST="7. POST /v1/verifications"
call POST /v1/verifications "{\"to\":\"$ADA\",\"channel\":\"sms\"}"
expect 202; is 'd["status"]' pending
code_arrived() { handset "$ADA"; field '[m["body"] for m in d["items"]][-1]' | grep -q 'verification code is'; }
until_ok 20 code_arrived
handset "$ADA"
CODE="$(field '[m["body"] for m in d["items"]][-1]' | grep -oE '[0-9]{6}' | head -n 1)"
LAST="7. POST /v1/verifications/check"
call POST /v1/verifications/check "{\"to\":\"$ADA\",\"code\":\"$CODE\"}"
expect 200; is 'd["status"]' approved
call POST /v1/verifications/check "{\"to\":\"$ADA\",\"code\":\"$CODE\"}"
expect 200; is 'd["status"]' denied
say "7. the code reached the handset, was approved once, denied after"

# 8. A read-only key -----------------------------------------------------------------------------
LAST="8. POST /v1/api-keys"
call POST /v1/api-keys '{"name":"reporting","scopes":["read"]}'
expect 201; is 'd["scopes"]' "['read']"
RK_ID="$(field 'd["id"]')"; RK="$(field 'd["secret"]')"
LAST="8. GET /v1/api-keys"
call GET /v1/api-keys; expect 200
field 'json.dumps(d)' | grep -q "$RK" && fail "GET /v1/api-keys shows a secret"
LAST="8. POST /v1/messages with a read key"
call POST /v1/messages "{\"to\":\"$ADA\",\"body\":\"nope\"}" "$RK"; expect 403
LAST="8. GET /v1/contacts with a read key"
call GET "/v1/contacts/$ADA_ID" "" "$RK"; expect 200
LAST="8. DELETE /v1/api-keys/$RK_ID"
call DELETE "/v1/api-keys/$RK_ID"; [[ "$status" == 200 || "$status" == 204 ]] || fail "$LAST answered $status"
LAST="8. GET /v1/contacts with a revoked key"
call GET "/v1/contacts/$ADA_ID" "" "$RK"; expect 401
say "8. a read key reads, cannot send (403), is refused once revoked (401)"

# 10. The abandoned cart (9, the numbers, comes last: it shows them all) ---------------------------
LAST="10. POST /v1/contacts Grace"
call POST /v1/contacts "{\"phone\":\"$GRACE\",\"firstName\":\"Grace\",
  \"consent\":{\"status\":\"opted_in\",\"source\":\"checkout\",\"proof\":\"Text me about my cart\"}}"
expect 201; is 'd["timeZone"]' America/New_York
GRACE_ID="$(field 'd["id"]')"
LAST="10. POST /v1/campaigns"
call POST /v1/campaigns "$(cat "$ROOT/events/campaign-abandoned-cart.json")"
expect 201; CMP="$(field 'd["id"]')"
LAST="10. activate"
call POST "/v1/campaigns/$CMP/activate"; expect 200; is 'd["status"]' active
LAST="10. POST /v1/events cart_abandoned"
call POST /v1/events "{\"phone\":\"$GRACE\",\"name\":\"cart_abandoned\",\"properties\":{\"cartUrl\":\"https://shop.example/cart/42\"}}"
expect 202
advance P1D
reminded() { handset "$GRACE"; field 'd["items"][0]["body"]' | grep -q '^Dripline Demo: Hi Grace, your cart is waiting http.*/r/.* Reply STOP to opt out$'; }
until_ok 20 reminded
handset "$GRACE"
local_hour() { python3 -c "import sys,datetime as t,zoneinfo as z; print(t.datetime.fromisoformat(sys.argv[1][:26].rstrip('Z')+'+00:00').astimezone(z.ZoneInfo('America/New_York')).strftime('%H:%M'))" "$1"; }
first_at="$(local_hour "$(field 'd["items"][0]["at"]')")"
[[ "$first_at" > "08:59" && "$first_at" < "20:01" ]] || fail "the reminder reached Grace at $first_at New York time, outside 09:00-20:00"
advance P1D
asked() { handset "$GRACE"; is 'len(d["items"])' 2; is 'd["items"][1]["body"]' "Dripline Demo: Need a hand finishing your order? Reply YES or NO"; }
until_ok 20 asked
reply "$GRACE" yes
# The help message is marketing too: a reply outside 09:00-20:00 New York time gets it at 09:00.
advance PT14H
helped() { handset "$GRACE"; is 'd["items"][-1]["body"]' "Dripline Demo: An agent will text you shortly."; }
until_ok 20 helped
LAST="10. GET /v1/contacts/$GRACE_ID"
call GET "/v1/contacts/$GRACE_ID"; expect 200; is '"needs-help" in d["tags"]' True
enrolment_done() { LAST="10. enrolment"; call GET "/v1/campaigns/$CMP/enrolments/$GRACE_ID"; is 'd["state"]' completed; }
until_ok 20 enrolment_done
stats_done() { LAST="10. stats"; call GET "/v1/campaigns/$CMP/stats"; is '(d["enrolled"], d["sent"], d["delivered"], d["replied"])' "(1, 3, 3, 1)"; }
until_ok 20 stats_done
say "10. abandoned cart: reminder at $first_at New York time, the question a day later, YES -> help and the tag; stats enrolled 1, sent 3, delivered 3, replied 1"

# 11. A broadcast at 10:00 in each recipient's zone ------------------------------------------------
LAST="11. PATCH /v1/contacts/$ADA_ID"
call PATCH "/v1/contacts/$ADA_ID" '{"tags":{"add":["vip"]}}'; expect 200
DAY=$(curl -s $URL/local/clock | sed -E 's/.*"tomorrowDate":"([^"]+)".*/\1/')   # as the README
LAST="11. POST /v1/broadcasts"
call POST /v1/broadcasts "{\"audience\":{\"tags\":[\"vip\"]},\"body\":\"Hi {{firstName|there}}, VIP hours start now\",\"category\":\"marketing\",\"sendAtLocal\":\"${DAY}T10:00\"}"
expect 201; is 'd["audienceSize"]' 1
BC="$(field 'd["id"]')"
advance P2D
broadcast_done() { LAST="11. GET /v1/broadcasts/$BC"; call GET "/v1/broadcasts/$BC"; is 'd["delivered"]' 1; }
until_ok 20 broadcast_done
handset "$ADA"
vip_at="$(python3 -c "import sys,datetime as t,zoneinfo as z; print(t.datetime.fromisoformat(sys.argv[1][:26].rstrip('Z')+'+00:00').astimezone(z.ZoneInfo('America/Los_Angeles')).strftime('%H:%M'))" "$(field '[m for m in d["items"] if "VIP hours" in m["body"]][0]["at"]')")"
[[ "$vip_at" == 10:0* ]] || fail "the broadcast reached Ada at $vip_at Los Angeles time, not 10:00"
say "11. broadcast $BC delivered at $vip_at in Los Angeles"

# 9. The numbers -----------------------------------------------------------------------------------
LAST="9. GET /v1/stats/overview"
call GET "/v1/stats/overview?days=7"; expect 200
LAST="9. GET /dashboard"
status="$(curl -s -o "$body" -w '%{http_code}' "$URL/dashboard")"; expect 200
grep -qi '<html' "$body" || fail "/dashboard is not a page"
say "9. the overview and the dashboard: $URL/dashboard#key=$KEY"

if [[ -n "${TOUR_SCREENSHOT:-}" ]]; then
  command -v chromium >/dev/null || fail "TOUR_SCREENSHOT needs chromium"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1160 \
    --virtual-time-budget=8000 --screenshot="$TOUR_SCREENSHOT" "$URL/dashboard#key=$KEY" >/dev/null 2>&1
  say "saved $TOUR_SCREENSHOT"
fi
# 12. A keyword program (after the screenshot, so its numbers stay the README's) --------------------------------
PARKER="+14155550166"
LAST="12. POST /v1/keywords PARK"
call POST /v1/keywords '{"keyword":"PARK","argument":{"name":"lot","pattern":"^[0-9]{4}$"},"reply":"Pay for lot {{argument}} here: {{event.url|https://pay.example/parking}}","event":"park_requested"}'
expect 201; is 'd["keyword"]' PARK
reply "$PARKER" "park 1234"
parked() { handset "$PARKER"; is '[m["body"] for m in d["items"] if m["direction"] == "outbound"]' "['Pay for lot 1234 here: https://pay.example/parking']"; }
until_ok 20 parked
reply "$PARKER" "park abc"
helped_park() { handset "$PARKER"; field '[m["body"] for m in d["items"] if m["direction"] == "outbound"][-1]' | grep -q 'PARK followed by your lot'; }
until_ok 20 helped_park
say "12. PARK 1234 answered with the lot; park abc got the help text"

# Send a picture (MMS; issue 18: the lead renumbers) ------------------------------------------------
PICTURE="$(mktemp --suffix=.png)"
# a 1x1 PNG: any JPEG, PNG, GIF or MP4 up to 5 MB will do
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' | base64 -d >"$PICTURE"
LAST="MMS. POST /v1/media"
status="$(curl -s -o "$body" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: image/png' \
  --data-binary @"$PICTURE" "$URL/v1/media")"
expect 201; is 'd["contentType"]' image/png
MEDIA="$(field 'd["id"]')"
LAST="MMS. POST /v1/messages with media"
call POST /v1/messages '{"to":"'$ADA'","body":"Your receipt","media":[{"id":"'$MEDIA'"}]}'; expect 202
got_picture() { handset "$ADA"; is '[m["media"][0]["contentType"] for m in d["items"] if m.get("media")][-1]' image/png; }
until_ok 20 got_picture
LAST="MMS. the handset page"
status="$(curl -s -o "$body" -w '%{http_code}' "$URL/local/handset/${ADA#+}")"; expect 200
grep -q "<img" "$body" || fail "the handset page shows no picture"
UK=+447911123456
LAST="MMS. to a UK number"
call POST /v1/messages '{"to":"'$UK'","body":"Your receipt","media":[{"id":"'$MEDIA'"}]}'; expect 202
got_link() { handset "$UK"; field 'd["items"][-1]["body"]' | grep -q '/r/'; }
until_ok 20 got_link
handset "$UK"
LINK="$(field 'd["items"][-1]["body"].split()[-1]')"
LAST="MMS. the fallback link"
status="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$LINK")"
[[ "$status" == "302 "*"/media/$MEDIA?"* ]] || fail "$LAST answered $status, not 302 to the picture"
rm -f "$PICTURE"
say "MMS. a picture reached $ADA's handset; $UK got it as a link that redirects to it"

rm -f "$body"
say "PASSED: every step of the tour answered as the README says"
