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

# 13. A reminder moved by a reschedule -------------------------------------------------------------
HAL=+12125550177
LAST="13. POST /v1/contacts Hal"
call POST /v1/contacts "{\"phone\":\"$HAL\",\"firstName\":\"Hal\",\"consent\":{\"status\":\"opted_in\",\"source\":\"booking\",\"proof\":\"Text me reminders\"}}"
expect 201; HAL_ID="$(field 'd["id"]')"
LAST="13. POST /v1/campaigns appointment reminder"
call POST /v1/campaigns "$(cat "$ROOT/events/campaign-appointment-reminder.json")"; expect 201; RCMP="$(field 'd["id"]')"
LAST="13. activate"
call POST "/v1/campaigns/$RCMP/activate"; expect 200
LAST="13. GET /local/clock"
call GET /local/clock; expect 200; TOMORROW="$(field 'd["tomorrowDate"]')"
# ny DATE DAYS HH:MM: that New York local time DAYS after DATE, with its offset; utc: the same instant as the API writes it
ny() { python3 -c "import sys,datetime as t,zoneinfo as z; d=t.date.fromisoformat(sys.argv[1])+t.timedelta(days=int(sys.argv[2])); h,m=map(int,sys.argv[3].split(':')); print(t.datetime(d.year,d.month,d.day,h,m,tzinfo=z.ZoneInfo('America/New_York')).isoformat())" "$@"; }
utc() { python3 -c "import sys,datetime as t; print(t.datetime.fromisoformat(sys.argv[1]).astimezone(t.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))" "$1"; }
book() { LAST="13. POST /v1/events $1 $2"; call POST /v1/events "{\"contactId\":\"$HAL_ID\",\"name\":\"$1\",\"properties\":{\"appointmentId\":\"$2\"${3:+,\"appointmentAt\":\"$3\"}}}"; expect 202; }
run_is() { LAST="13. enrolment $1"; call GET "/v1/campaigns/$RCMP/enrolments/$HAL_ID?key=$1"; expect 200; is "$2" "$3"; }
book appointment_booked apt-1 "$(ny "$TOMORROW" 2 14:30)"
until_ok 20 run_is apt-1 'd["dueAt"]' "$(utc "$(ny "$TOMORROW" 1 09:00)")"
book appointment_booked apt-1 "$(ny "$TOMORROW" 4 14:30)"
until_ok 20 run_is apt-1 'd["dueAt"]' "$(utc "$(ny "$TOMORROW" 3 09:00)")"
book appointment_booked apt-2 "$(ny "$TOMORROW" 3 10:00)"
until_ok 20 run_is apt-2 'd["state"]' active
book appointment_cancelled apt-2
until_ok 20 run_is apt-2 'd["state"]' exited
advance P6D
reminded_once() { handset "$HAL"; is 'len(d["items"])' 1; field 'd["items"][0]["body"]' | grep -q "appointment apt-1 at $(ny "$TOMORROW" 4 14:30)"; }
until_ok 20 reminded_once
hal_at="$(python3 -c "import sys,datetime as t,zoneinfo as z; print(t.datetime.fromisoformat(sys.argv[1][:26].rstrip('Z')+'+00:00').astimezone(z.ZoneInfo('America/New_York')).strftime('%F %H:%M'))" "$(field 'd["items"][0]["at"]')")"
[[ "$hal_at" == "$(ny "$TOMORROW" 3 09:00 | cut -c1-10) 09:00" ]] || fail "the moved reminder reached Hal at $hal_at New York time, not 09:00 the day before the new date"
run_is apt-1 'd["state"]' completed
say "13. reminder moved by a reschedule: sent $hal_at New York time (the day before the new date), nothing at the old time; the cancelled apt-2 sent nothing"

# 14. A survey answered with 3 and then abc ------------------------------------------------------------------------
# Marketing questions keep the quiet hours: first the clock goes to the next 10:00 in Los Angeles.
to_ten="$(curl -s "$URL/local/clock" | python3 -c "import sys,json,datetime as t,zoneinfo as z
now=t.datetime.fromisoformat(json.load(sys.stdin)['now'][:26].rstrip('Z')+'+00:00')
la=now.astimezone(z.ZoneInfo('America/Los_Angeles')); ten=la.replace(hour=10,minute=0,second=0,microsecond=0)
ten=ten if ten>la else (la+t.timedelta(days=1)).replace(hour=10,minute=0,second=0,microsecond=0)
print('PT%dS' % int((ten-la).total_seconds()+1))")"
advance "$to_ten"
LAST="14. POST /v1/campaigns NPS survey"
call POST /v1/campaigns "$(cat "$ROOT/events/campaign-nps-survey.json")"
expect 201; SURVEY="$(field 'd["id"]')"
LAST="14. activate"
call POST "/v1/campaigns/$SURVEY/activate"; expect 200
THREE=+14155550171
ABC=+14155550172
for P in "$THREE" "$ABC"; do
  LAST="14. POST /v1/contacts $P"
  call POST /v1/contacts "{\"phone\":\"$P\",\"consent\":{\"status\":\"opted_in\",\"source\":\"web\",\"proof\":\"Text me\"}}"
  expect 201
  LAST="14. POST /v1/events order_delivered"
  call POST /v1/events "{\"phone\":\"$P\",\"name\":\"order_delivered\"}"; expect 202
done
outbound() { handset "$1"; field '[m["body"] for m in d["items"] if m["direction"] == "outbound"]'; }
texts() { [[ "$(outbound "$1" | python3 -c 'import sys,ast; print(len(ast.literal_eval(sys.stdin.read())))')" == "$2" ]]; }
last_text() { outbound "$1" | python3 -c 'import sys,ast; print(ast.literal_eval(sys.stdin.read())[-1])'; }
until_ok 20 texts "$THREE" 1
until_ok 20 texts "$ABC" 1
last_text "$THREE" | grep -q 'from 0 to 10' || fail "14. the question is '$(last_text "$THREE")'"
reply "$THREE" 3
until_ok 20 texts "$THREE" 2
last_text "$THREE" | grep -q 'What could we do better?' || fail "14. 3 led to '$(last_text "$THREE")', not the detractor step"
for n in 2 3; do
  reply "$ABC" abc
  until_ok 20 texts "$ABC" "$n"
  last_text "$ABC" | grep -q 'Please answer with a number from 0 to 10' || fail "14. abc got '$(last_text "$ABC")'"
done
reply "$ABC" abc
survey_stats() { LAST="14. stats"; call GET "/v1/campaigns/$SURVEY/stats"; is 'd["answers"]["nps"]["distribution"]' "{'3': 1}"; is 'd["answers"]["nps"]["invalid"]' 3; is 'd["answers"]["nps"]["gaveUp"]' 1; is 'd["answers"]["nps"]["nps"]["score"]' "-100.0"; }
until_ok 20 survey_stats
sleep 1
texts "$ABC" 3 || fail "14. something was sent after giving up: $(outbound "$ABC")"
say "14. survey $SURVEY: 3 saved and sent to the detractor step; abc asked again twice, then given up; stats NPS -100.0"

# 15. A sign-up from the form --------------------------------------------------------------------
JOINER="+14155550177"
LAST="15. POST /v1/signup-forms"
call POST /v1/signup-forms '{"name":"Newsletter","fields":["firstName",{"name":"email","required":true}],"consentText":"I agree to receive recurring marketing texts from Dripline Demo. Msg&data rates may apply. Reply STOP to opt out."}'
expect 201; FORM="$(field 'd["id"]')"; is 'd["url"]' "$URL/join/$FORM"
LAST="15. GET /join/$FORM"
headers="$(mktemp)"
status="$(curl -s -D "$headers" -o "$body" -w '%{http_code}' "$URL/join/$FORM")"; expect 200
grep -q '<label for="f-consent">I agree to receive recurring marketing texts' "$body" || fail "the page lacks the consent text as the checkbox's label"
grep -qi "^content-security-policy:.*form-action 'self'.*frame-ancestors 'none'" "$headers" || fail "the page lacks its Content-Security-Policy"
grep -qi '^x-content-type-options: nosniff' "$headers" || fail "the page lacks X-Content-Type-Options"
grep -qi '^cache-control: no-store' "$headers" || fail "the page lacks Cache-Control: no-store"
rm -f "$headers"
LAST="15. POST /join/$FORM (invalid)"
status="$(curl -s -o "$body" -w '%{http_code}' -X POST "$URL/join/$FORM" -d 'email=nope')"; expect 422
for id in f-phone-error f-email-error f-consent-error; do grep -q "id=\"$id\"" "$body" || fail "the invalid submission's page does not name $id"; done
LAST="15. POST /join/$FORM"
status="$(curl -s -o "$body" -w '%{http_code}' -X POST "$URL/join/$FORM" --data-urlencode "phone=$JOINER" -d 'firstName=Lin&email=lin@example.com&consent=yes')"
expect 200; grep -q 'Check your phone' "$body" || fail "the valid submission did not answer 'Check your phone'"
asked_y() { handset "$JOINER"; field 'd["items"][0]["body"]' | grep -q 'Reply Y to confirm'; }
until_ok 20 asked_y
reply "$JOINER" Y
joined() {
  LAST="15. GET /v1/contacts/$JOINER"; call GET "/v1/contacts?phone=$(python3 -c 'import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))' "$JOINER")"
  local id; id="$(field 'd["items"][0]["id"]')"
  LAST="15. GET /v1/contacts/$id/consent"; call GET "/v1/contacts/$id/consent"
  is '[e["source"] for e in d["items"] if e["status"] == "opted_in"]' "['web_form']"
  is '[json.loads(e["proof"])["consentText"] for e in d["items"] if e["status"] == "opted_in"][0].startswith("I agree to receive recurring")' True
}
until_ok 20 joined
say "15. sign-up form $FORM: 422 naming phone, email and consent; the submission, Y, and the ledger's web_form entry with the consent text"

# 16. Receive a picture (inbound MMS): a handset sends the sample picture; the conversation shows it stored -------------
PICTURE_FROM="+14155550167"
LAST="16. receive a picture: POST /local/phones/$PICTURE_FROM/reply"
call POST "/local/phones/$PICTURE_FROM/reply" '{"body":"Our porch","picture":"sample"}'
expect 202; is 'd["webhookStatus"]' 204
PICTURE_MSG="in_simulator_$(field 'd["id"]')"
picture_stored() { LAST="16. receive a picture: GET /v1/messages/$PICTURE_MSG"; call GET "/v1/messages/$PICTURE_MSG"; expect 200
  is '[(m["status"], m["contentType"], m["size"]) for m in d["media"]]' "[('stored', 'image/png', 197)]"; }
until_ok 20 picture_stored
PICTURE_CONTACT="$(field 'd["contactId"]')"
LAST="16. receive a picture: GET /v1/contacts/$PICTURE_CONTACT/messages"
call GET "/v1/contacts/$PICTURE_CONTACT/messages"; expect 200
is '[m["body"] for m in d["items"] if m.get("media")]' "['Our porch']"
PICTURE_URL="$(field 'd["items"][0]["media"][0]["url"]')"
LAST="16. receive a picture: GET the media URL"
status="$(curl -s -o "$body" -w '%{http_code}' "$PICTURE_URL")"; expect 200
[[ "$(head -c 4 "$body" | od -An -c | tr -d ' ')" == *PNG* ]] || fail "the media URL did not serve the PNG"
say "16. receive a picture: $PICTURE_MSG shows its picture (image/png, 197 bytes) in the conversation; its URL serves it"

# 17. Consent per topic (issue 19) ---------------------------------------------------------------------------
TOPICAL="+14155550168"
LAST="17. POST /v1/contacts (topics)"
call POST /v1/contacts "{\"phone\":\"$TOPICAL\",\"consent\":{\"status\":\"opted_in\",\"source\":\"web_form\"}}"
expect 201
TCT="$(field 'd["id"]')"
LAST="17. POST /v1/contacts/$TCT/consent"
call POST "/v1/contacts/$TCT/consent" '{"topic":"reminders","status":"opted_out","proof":"unticked Reminders on the settings page"}'
expect 200; is 'd["topics"]["reminders"]' opted_out; is 'd["consent"]' opted_in
LAST="17. POST /v1/messages (topic reminders)"
call POST /v1/messages "{\"to\":\"$TOPICAL\",\"body\":\"See you at 3\",\"topic\":\"reminders\"}"
expect 409; is 'd["code"]' topic-withdrawn
LAST="17. POST /v1/messages (an alert)"
call POST /v1/messages "{\"to\":\"$TOPICAL\",\"body\":\"Your order shipped\"}"
expect 202; is 'd["topic"]' alerts
say "17. reminders withdrawn for one contact: a reminder is refused (topic-withdrawn), an alert still goes"

# 18. Send a picture (MMS) ------------------------------------------------
PICTURE="$(mktemp --suffix=.png)"
# a 1x1 PNG: any JPEG, PNG, GIF or MP4 up to 5 MB will do
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' | base64 -d >"$PICTURE"
LAST="18. POST /v1/media"
status="$(curl -s -o "$body" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: image/png' \
  --data-binary @"$PICTURE" "$URL/v1/media")"
expect 201; is 'd["contentType"]' image/png
MEDIA="$(field 'd["id"]')"
LAST="18. POST /v1/messages with media"
call POST /v1/messages '{"to":"'$ADA'","body":"Your receipt","media":[{"id":"'$MEDIA'"}]}'; expect 202
got_picture() { handset "$ADA"; is '[m["media"][0]["contentType"] for m in d["items"] if m.get("media")][-1]' image/png; }
until_ok 20 got_picture
LAST="18. the handset page"
status="$(curl -s -o "$body" -w '%{http_code}' "$URL/local/handset/${ADA#+}")"; expect 200
grep -q "<img" "$body" || fail "the handset page shows no picture"
UK=+447911123456
LAST="18. to a UK number"
call POST /v1/messages '{"to":"'$UK'","body":"Your receipt","media":[{"id":"'$MEDIA'"}]}'; expect 202
got_link() { handset "$UK"; field 'd["items"][-1]["body"]' | grep -q '/r/'; }
until_ok 20 got_link
handset "$UK"
LINK="$(field 'd["items"][-1]["body"].split()[-1]')"
LAST="18. the fallback link"
status="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$LINK")"
[[ "$status" == "302 "*"/media/$MEDIA?"* ]] || fail "$LAST answered $status, not 302 to the picture"
rm -f "$PICTURE"
say "18. a picture reached $ADA's handset; $UK got it as a link that redirects to it"

rm -f "$body"
say "PASSED: every step of the tour answered as the README says"
