"""A new integrator's first hour, with the Python client generated from /openapi.yml.

Run by .ci/generated-client.sh against the local runtime, after it generated the client
(openapi-python-client) and installed it: every call goes through the generated code, and every
answer is checked. Environment: DRIPLINE_URL, DRIPLINE_API_KEY.
"""

import os
import secrets
import sys

from dripline_client import AuthenticatedClient
from dripline_client.api.api_keys import list_api_keys
from dripline_client.api.campaigns import activate_campaign, create_campaign
from dripline_client.api.contacts import create_contact, list_contacts
from dripline_client.api.events import create_event
from dripline_client.api.messages import get_message, preview_message, send_message
from dripline_client.api.stats import get_campaign_stats
from dripline_client.models import (
    CampaignStatus,
    Category,
    ConsentInput,
    ConsentStatus,
    ContactInput,
    CreateCampaignRequest,
    EventRequest,
    MessageAccepted,
    MessageStatus,
    OneOffMessage,
    PreviewRequest,
    Problem,
    ProblemCode,
)
from dripline_client.types import Unset

STEPS = []


def step(name):
    STEPS.append(name)
    print(f"  [{len(STEPS):2d}] {name}")


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def number(n):
    """A fictional US number (555-01xx), distinct for each run."""
    return f"+1415555{n:04d}"


def main():
    client = AuthenticatedClient(base_url=os.environ["DRIPLINE_URL"], token=os.environ["DRIPLINE_API_KEY"],
                                 raise_on_unexpected_status=True)
    run = secrets.token_hex(3)
    base = 100 + secrets.randbelow(85)
    tag = f"flow-{run}"

    step("createContact: a new contact with consent, 201")
    consent = ConsentInput(status="opted_in", source="web_form", proof="Yes, text me offers (client-flow)")
    created = create_contact.sync_detailed(client=client, body=ContactInput(
        phone=number(base), first_name="Ada", tags=[tag], consent=consent))
    check(created.status_code == 201, f"createContact answered {created.status_code}: {created.content!r}")
    contact = created.parsed
    check(contact.first_name == "Ada" and contact.consent == ConsentStatus.OPTED_IN, f"contact as created: {contact}")

    step("createContact: an unknown field is a 422 unknown-field naming the field it meant")
    wrong = create_contact.sync_detailed(client=client, body=ContactInput.from_dict(
        {"phone": number(base + 1), "first_name": "Bob"}))
    check(wrong.status_code == 422 and isinstance(wrong.parsed, Problem), f"unknown field: {wrong.status_code}")
    check(wrong.parsed.code == ProblemCode.UNKNOWN_FIELD, f"problem code {wrong.parsed.code}")
    check(wrong.parsed.errors[0].field == "first_name" and "firstName" in wrong.parsed.errors[0].message,
          f"errors {wrong.parsed.errors}")

    step("previewMessage: encoding and segments")
    preview = preview_message.sync(client=client, body=PreviewRequest(body="Hello Ada, your order shipped"))
    check(preview.encoding == "GSM-7" and preview.segments == 1, f"preview {preview}")

    step("sendMessage: 202 with a typed answer")
    key = f"flow-{run}-first"
    sent = send_message.sync_detailed(client=client, idempotency_key=key, body=OneOffMessage(
        to=number(base), body="Hello Ada, your order shipped", category="transactional"))
    check(sent.status_code == 202 and isinstance(sent.parsed, MessageAccepted), f"send {sent.status_code}: {sent.content!r}")
    check(sent.parsed.status == MessageStatus.ACCEPTED and sent.parsed.category == Category.TRANSACTIONAL, f"sent {sent.parsed}")
    check("Idempotent-Replayed" not in sent.headers, "a first answer is not a replay")

    step("sendMessage again with the same Idempotency-Key: the first answer, Idempotent-Replayed: true")
    again = send_message.sync_detailed(client=client, idempotency_key=key, body=OneOffMessage(
        to=number(base), body="Hello Ada, your order shipped", category="transactional"))
    check(again.status_code == 202 and again.headers.get("Idempotent-Replayed") == "true", f"replay headers {again.headers}")
    check(again.parsed.id == sent.parsed.id, "the replay names the same message")

    step("sendMessage with a sendAt in the past: 422 naming sendAt")
    past = send_message.sync_detailed(client=client, body=OneOffMessage.from_dict(
        {"to": number(base), "body": "late", "sendAt": "2020-01-01T00:00:00Z"}))
    check(past.status_code == 422 and past.parsed.errors[0].field == "sendAt", f"past sendAt: {past.status_code}")

    step("getMessage: read it back")
    message = get_message.sync(client=client, id=sent.parsed.id)
    check(message.id == sent.parsed.id and message.to == number(base), f"message {message}")
    check(isinstance(message.status, MessageStatus), f"status {message.status!r} is one of the documented values")

    step("sendMessage to a number that opted out: 409 recipient-opted-out")
    create_contact.sync(client=client, body=ContactInput(phone=number(base + 2), consent=ConsentInput(
        status="opted_out", source="api")))
    refused = send_message.sync_detailed(client=client, body=OneOffMessage(to=number(base + 2), body="Hi"))
    check(refused.status_code == 409 and refused.parsed.code == ProblemCode.RECIPIENT_OPTED_OUT,
          f"opted out: {refused.status_code} {refused.content!r}")
    check(refused.parsed.type_ == "https://dripline.dev/problems/recipient-opted-out", f"type {refused.parsed.type_}")

    step("createCampaign and activateCampaign")
    definition = CreateCampaignRequest.from_dict({
        "name": f"Welcome {run}", "category": "marketing", "trigger": {"event": f"signed_up_{run}"},
        "steps": [{"id": "welcome", "send": {"body": "Welcome aboard, {{firstName|there}}!"}}]})
    campaign = create_campaign.sync_detailed(client=client, body=definition)
    check(campaign.status_code == 201 and campaign.parsed.status == CampaignStatus.DRAFT, f"campaign {campaign.content!r}")
    active = activate_campaign.sync(client=client, id=campaign.parsed.id)
    check(active.status == CampaignStatus.ACTIVE, f"activated {active}")

    step("createEvent: the trigger, 202")
    event = create_event.sync_detailed(client=client, body=EventRequest(contact_id=contact.id, name=f"signed_up_{run}"))
    check(event.status_code == 202 and event.parsed.contact_id == contact.id, f"event {event.content!r}")

    step("getCampaignStats")
    stats = get_campaign_stats.sync(client=client, id=campaign.parsed.id)
    check("enrolled" in stats.additional_properties, f"stats {stats.additional_properties}")

    step("listContacts by tag, two pages of limit 2")
    for n in (3, 4):
        create_contact.sync(client=client, body=ContactInput(phone=number(base + n), tags=[tag]))
    first = list_contacts.sync(client=client, tag=tag, limit="2")
    check(len(first.items) == 2 and isinstance(first.next_cursor, str), f"first page {first}")
    second = list_contacts.sync(client=client, tag=tag, limit="2", cursor=first.next_cursor)
    check(len(second.items) == 1 and isinstance(second.next_cursor, Unset | None), f"second page {second}")
    seen = {c.phone for c in first.items + second.items}
    check(seen == {number(base), number(base + 3), number(base + 4)}, f"listed {seen}")

    step("listApiKeys")
    keys = list_api_keys.sync(client=client)
    check(isinstance(keys.items, list), f"keys {keys}")

    print(f"client flow passed: {len(STEPS)} steps")


if __name__ == "__main__":
    main()
