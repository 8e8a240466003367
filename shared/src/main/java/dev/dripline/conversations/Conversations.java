package dev.dripline.conversations;

import dev.dripline.analytics.Engagement;
import dev.dripline.consent.ConsentProof;
import dev.dripline.compliance.RecipientJurisdiction;
import dev.dripline.compliance.Rule;
import dev.dripline.compliance.RulesTable;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.consent.Topics;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.keywords.KeywordProgram;
import dev.dripline.keywords.KeywordPrograms;
import dev.dripline.keywords.KeywordRule;
import dev.dripline.keywords.KeywordRules;
import dev.dripline.keywords.Replies;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageMedia;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.MessageStore;
import dev.dripline.messaging.Messages;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.signup.SignupForms;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Inbound messages: each lands once in its sender's conversation, creating the contact if new,
 * and a message that is just a keyword acts: STOP opts out with one confirmation, START opts
 * back in, HELP answers, the team's keywords tag, emit events and reply.
 *
 * <p>Acting is once per inbound message: the message is marked acted after its keyword is
 * handled, so a provider's retry acts only if an earlier attempt died half-way, and every step
 * is idempotent for that case (the consent change happens only if the status differs; the reply
 * has an id derived from the inbound message and is written in the same transaction as the
 * consent change it confirms).
 */
public final class Conversations {

    private static final Logger LOG = LoggerFactory.getLogger(Conversations.class);

    private final Contacts contacts;
    private final MessageStore store;
    private final Supplier<Messages> messages;
    private final KeywordRules rules;
    private final Replies replies;
    private final ContactEvents events;
    private final OutboundWebhooks webhooks;
    private final Engagement engagement;
    private final KeywordPrograms programs;
    private final SignupForms signups;
    private volatile java.util.function.Consumer<Message> mediaArrived = m -> { };
    private final Topics topics;
    private final RulesTable table;

    public Conversations(Contacts contacts, MessageStore store, Supplier<Messages> messages, KeywordRules rules, Replies replies,
                         ContactEvents events, OutboundWebhooks webhooks) {
        this(contacts, store, messages, rules, replies, events, webhooks, Engagement.NONE);
    }

    /** @param engagement told of replies and opt-outs, so that analytics credits them to the campaign that caused them */
    public Conversations(Contacts contacts, MessageStore store, Supplier<Messages> messages, KeywordRules rules, Replies replies,
                         ContactEvents events, OutboundWebhooks webhooks, Engagement engagement) {
        this(contacts, store, messages, rules, replies, events, webhooks, engagement, null);
    }

    /** @param programs the keyword programs of /v1/keywords (null: none), matched after the configured keywords */
    public Conversations(Contacts contacts, MessageStore store, Supplier<Messages> messages, KeywordRules rules, Replies replies,
                         ContactEvents events, OutboundWebhooks webhooks, Engagement engagement, KeywordPrograms programs) {
        this(contacts, store, messages, rules, replies, events, webhooks, engagement, programs, null);
    }

    /** @param signups sign-up forms (null: none), whose submissions a Y confirms with the form's proof */
    public Conversations(Contacts contacts, MessageStore store, Supplier<Messages> messages, KeywordRules rules, Replies replies,
                         ContactEvents events, OutboundWebhooks webhooks, Engagement engagement, KeywordPrograms programs,
                         SignupForms signups) {
        this(contacts, store, messages, rules, replies, events, webhooks, engagement, programs, signups, Topics.DEFAULT, RulesTable.bundled());
    }

    /**
     * @param topics what a STOP revokes (DRIPLINE_REVOCATION_SCOPE) and each number's topic (DRIPLINE_NUMBER_TOPICS)
     * @param table  the compliance rules whose revocation rows say until when a STOP may be scoped to a topic
     */
    public Conversations(Contacts contacts, MessageStore store, Supplier<Messages> messages, KeywordRules rules, Replies replies,
                         ContactEvents events, OutboundWebhooks webhooks, Engagement engagement, KeywordPrograms programs,
                         SignupForms signups, Topics topics, RulesTable table) {
        this.topics = topics;
        this.table = table;
        this.programs = programs;
        this.signups = signups;
        this.engagement = engagement;
        this.webhooks = webhooks;
        this.contacts = contacts;
        this.store = store;
        this.messages = messages;
        this.rules = rules;
        this.replies = replies;
        this.events = events;
    }

    /**
     * Who fetches an MMS's media once its message is stored (the steps queue, off the webhook's
     * critical path); told again when a provider retries, and fetching is idempotent.
     */
    public Conversations onMedia(java.util.function.Consumer<Message> fetch) {
        this.mediaArrived = fetch;
        return this;
    }

    /**
     * Stores an inbound message under an id derived from the provider's, so a provider that
     * retries the same message stores it once, then acts on its keyword, if it is one.
     *
     * @return the stored message, or null if this inbound message was already stored
     */
    public Message receive(InboundSms sms) {
        PhoneNumber from = PhoneNumber.parse(sms.from(), null, "from");
        Contact contact = contacts.findOrCreate(from, sms.provider());
        Message message = Message.inbound("in_" + sms.provider() + "_" + sms.providerMessageId())
                .between(contact.id(), sms.to(), from.e164()).body(sms.body(), null, null)
                .firstStatus(MessageStatus.DELIVERED, sms.receivedAt()).provider(sms.provider(), sms.providerMessageId())
                .createdAt(sms.receivedAt())
                .media(sms.media().stream().map(m -> MessageMedia.pending(m.url(), m.contentType(), m.size())).toList()).build();
        // Queued before the message is stored, so a crash in between loses no event (a provider's
        // retry publishes it again, under the same id: integrators dedupe by it).
        webhooks.publish("message.inbound", "evt_" + message.id(), sms.receivedAt(), OutboundWebhooks.inboundData(message.id(),
                contact.id(), from.e164(), sms.to(), sms.body(), sms.provider()));
        // A message that is no keyword has nothing to act on: stored already acted, in one write.
        Optional<KeywordRule> rule = rules.match(sms.body());
        // The consent and configured keywords come first; programs cannot take theirs.
        Optional<KeywordPrograms.Match> program = rule.isPresent() || programs == null ? Optional.empty() : programs.match(sms.to(), sms.body());
        // Handed to the campaigns before it is stored, like the webhook above, so a crash in
        // between loses nothing; the engine ignores a reply it has already taken.
        if (rule.map(r -> r.action() == KeywordRule.Action.OPT_OUT).orElse(false)) {
            // A STOP scoped to one topic ends that topic's campaigns at their next step (their consent check), not every campaign.
            if (revocation(rule.get(), contact, sms.to(), sms.receivedAt()).topic() == null) {
                events.optedOut(contact.id(), sms.receivedAt());
            }
        } else if (program.isEmpty() && rule.map(r -> r.action() != KeywordRule.Action.HELP).orElse(true)) {
            events.replied(contact.id(), message.id(), sms.body(), sms.receivedAt(), rule.isPresent());
        }
        boolean fresh = true;
        try {
            store.create(message, rule.isEmpty() && program.isEmpty());
        } catch (ConditionalCheckFailedException duplicate) {
            fresh = false;
            if (store.acted(message.id())) {
                LOG.info("inbound {} from {} already stored and acted on", sms.providerMessageId(), Masked.phone(from.e164()));
                mediaArrivedFor(message);
                messages.get().queueIfWaiting(Messages.replyId(message.id()));
                return null;
            }
        }
        // Stored first, so a media fetch that fails never loses the message.
        mediaArrivedFor(message);
        if (fresh) {
            LOG.info("inbound {} from {} ({}{})", message.id(), Masked.phone(from.e164()), Masked.body(sms.body()),
                    sms.media().isEmpty() ? "" : ", " + sms.media().size() + " media");
            engagement.received(!sms.media().isEmpty(), sms.receivedAt());
            if (rule.map(r -> r.action() != KeywordRule.Action.OPT_OUT).orElse(true)) {
                engagement.replied(contact.id(), sms.receivedAt());
            }
        }
        if (rule.isPresent()) {
            act(rule.get(), contact, message);
            store.markActed(message.id());
        } else if (program.isPresent()) {
            program(program.get(), contact, message);
            store.markActed(message.id());
        }
        return fresh ? message : null;
    }

    private void mediaArrivedFor(Message message) {
        if (!message.media().isEmpty()) {
            mediaArrived.accept(message);
        }
    }

    private void act(KeywordRule rule, Contact contact, Message inbound) {
        switch (rule.action()) {
            case OPT_OUT -> {
                Revocation r = revocation(rule, contact, inbound.to(), inbound.createdAt());
                changeConsent(rule, contact, inbound, r.topic(), ConsentStatus.OPTED_OUT, s -> true, true, r.scope(),
                        r.topic() == null ? replies.textFor(rule) : replies.topicOptOut(r.topic()));
            }
            case OPT_IN -> optIn(rule, contact, inbound);
            case CONFIRM -> changeConsent(rule, contact, inbound, null, ConsentStatus.OPTED_IN, s -> s == ConsentStatus.PENDING, false, null,
                    replies.textFor(rule));
            case HELP -> reply(contact, inbound, replies.textFor(rule));
            case CUSTOM -> custom(rule, contact, inbound);
            default -> throw new IllegalStateException("unknown keyword action " + rule.action());
        }
    }

    /**
     * A consent keyword: the ledger entry and its one confirmation in one transaction, made only
     * when the status really changes; so a second STOP, or STOP twice at once, confirms nothing.
     */
    private void changeConsent(KeywordRule rule, Contact contact, Message inbound, String topic, ConsentStatus status,
                               Predicate<ConsentStatus> onlyFrom, boolean optOut, Contacts.Scope scope, String text) {
        Message confirmation = messages.get().replyDraft(contact, inbound, text);
        boolean confirmationExists = store.get(confirmation.id()).isPresent();
        // Confirming a sign-up form's submission or a text-to-join request: the proof names the form (its version,
        // consent text, IP, user agent) or the keyword and number texted, and both times.
        Optional<ConsentProof> joinProof = optOut || status != ConsentStatus.OPTED_IN ? Optional.empty() : joinProof(contact, inbound);
        if (joinProof.isPresent() && topic == null && programs != null) {
            // Text-to-join to a program with a topic: consent for that topic is recorded too (its own ledger entry).
            Optional<String> joined = programs.joinTopic(contact.id());
            joined.ifPresent(t -> contacts.changeConsent(contact.id(), t, ConsentStatus.OPTED_IN, joinProof.get(), inbound.provider(),
                    inbound.createdAt(), s -> s != ConsentStatus.OPTED_IN, new Contacts.Scope("topic", "text-to-join of a program of topic " + t),
                    tx -> { }));
        }
        boolean changed = contacts.changeConsent(contact.id(), topic, status,
                joinProof.orElse(new ConsentProof("keyword", inbound.body(), null, null)), inbound.provider(),
                inbound.createdAt(), onlyFrom, scope, tx -> {
                    if (!confirmationExists) {
                        store.addCreate(tx, confirmation, optOut);
                    }
                });
        if (changed) {
            LOG.info("contact {} ({}) {} by keyword {}{}", contact.id(), Masked.phone(contact.phone()), status.wire(), rule.keyword(),
                    topic == null ? "" : " for topic " + topic);
            if (joinProof.isPresent() && status == ConsentStatus.OPTED_IN) {
                if (programs != null) {
                    programs.joined(contact.id());
                }
                if (signups != null) {
                    signups.joined(contact.id());
                }
            }
            if (optOut) {
                engagement.optedOut(contact.id(), null, inbound.createdAt());
            }
        } else {
            LOG.info("keyword {} from contact {}: consent unchanged, no confirmation", rule.keyword(), contact.id());
        }
        messages.get().queueIfWaiting(confirmation.id());
    }

    private Optional<ConsentProof> joinProof(Contact contact, Message inbound) {
        Optional<ConsentProof> form = signups == null ? Optional.empty() : signups.joinProof(contact.id(), inbound.body(), inbound.createdAt());
        if (form.isPresent()) {
            return form;
        }
        return programs == null ? Optional.empty() : programs.joinProof(contact.id(), inbound.body(), inbound.createdAt())
                .map(proof -> new ConsentProof("keyword", proof, null, null));
    }

    /**
     * START re-grants what a STOP revoked: the contact as a whole when it opted out of everything
     * (or is pending), else the topic of the number it wrote to when a STOP withdrew that topic.
     */
    private void optIn(KeywordRule rule, Contact contact, Message inbound) {
        Contact current = contacts.get(contact.id()).orElse(contact);
        String topic = topicOf(inbound.to());
        boolean topicOnly = topic != null && current.consent() != ConsentStatus.OPTED_OUT && current.consent() != ConsentStatus.PENDING
                && current.topics().get(topic) == ConsentStatus.OPTED_OUT;
        if (topicOnly) {
            changeConsent(rule, contact, inbound, topic, ConsentStatus.OPTED_IN, s -> s == ConsentStatus.OPTED_OUT, false,
                    new Contacts.Scope("topic", "START to a number of topic " + topic + " re-grants what its STOP revoked"), replies.textFor(rule));
        } else {
            changeConsent(rule, contact, inbound, null, ConsentStatus.OPTED_IN,
                    s -> s == ConsentStatus.OPTED_OUT || s == ConsentStatus.PENDING, false, null, replies.textFor(rule));
        }
    }

    /** What a STOP revokes: every topic (topic null), or one, with the scope and the rule or setting that chose it. */
    record Revocation(String topic, Contacts.Scope scope) {
    }

    /**
     * The scope of a STOP: an explicit STOP ALL, or DRIPLINE_REVOCATION_SCOPE=all (the default),
     * revoke everything; with {@code topic}, the rules table decides by the recipient's
     * jurisdiction and local date (the FCC's revoke-all row from 2027-01-31; no row: all), and a
     * topic-scoped STOP revokes the topic of the number it was sent to (all when the number has none).
     */
    Revocation revocation(KeywordRule rule, Contact contact, String to, java.time.Instant at) {
        if (rule.keyword().equals("STOP ALL") || rule.keyword().equals("STOPALL")) {
            return new Revocation(null, new Contacts.Scope("all", "keyword " + rule.keyword() + " always revokes everything"));
        }
        if (!"topic".equals(topics.revocationScope())) {
            return new Revocation(null, new Contacts.Scope("all", "DRIPLINE_REVOCATION_SCOPE=all"));
        }
        java.util.List<String> where = RecipientJurisdiction.candidates(contact.country(), contact.phone(), contact.attributes());
        java.time.LocalDate day = at.atZone(zone(contact)).toLocalDate();
        java.util.List<Rule> rows = table.applicable(Rule.Kind.REVOCATION, "marketing", where, day);
        Optional<Rule> all = rows.stream().filter(r -> "all".equals(r.revocationScope().orElse(null))).findFirst();
        if (all.isPresent()) {
            return new Revocation(null, new Contacts.Scope("all", all.get().id()));
        }
        if (rows.isEmpty()) {
            return new Revocation(null, new Contacts.Scope("all", "no revocation rule for " + String.join(", ", where)
                    + " in rules " + table.version() + ": all"));
        }
        String topic = topicOf(to);
        if (topic == null) {
            return new Revocation(null, new Contacts.Scope("all", rows.get(0).id()
                    + "; the number written to has no topic (DRIPLINE_NUMBER_TOPICS, or a keyword program's topic)"));
        }
        return new Revocation(topic, new Contacts.Scope("topic", rows.get(0).id()));
    }

    /** A number's topic: DRIPLINE_NUMBER_TOPICS first, else the topic of the keyword programs that list it. */
    private String topicOf(String number) {
        String configured = topics.ofNumber(number);
        if (configured != null || programs == null) {
            return configured;
        }
        return programs.topicOfNumber(number).orElse(null);
    }

    private static java.time.ZoneId zone(Contact contact) {
        try {
            return contact.timeZone() == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(contact.timeZone());
        } catch (RuntimeException unknown) {
            return java.time.ZoneOffset.UTC;
        }
    }

    private void reply(Contact contact, Message inbound, String text) {
        if (text == null) {
            return;
        }
        ConsentStatus current = contacts.get(contact.id()).map(Contact::consent).orElse(contact.consent());
        if (current == ConsentStatus.OPTED_OUT) {
            // After the one confirmation, nothing is sent to a number that opted out.
            LOG.info("contact {} opted out: keyword reply not sent", contact.id());
            return;
        }
        messages.get().sendReply(messages.get().replyDraft(contact, inbound, text));
    }

    /**
     * A keyword program: a bad argument gets the help text; a good one records the event (its
     * argument as a property, so it can enrol a campaign) and answers with the rendered reply, or,
     * for text-to-join from someone not yet opted in, marks the contact pending and asks Y first.
     */
    private void program(KeywordPrograms.Match match, Contact contact, Message inbound) {
        KeywordProgram p = match.program();
        if (!match.argumentOk()) {
            LOG.info("keyword {} from contact {}: bad argument, help sent", p.keyword(), contact.id());
            reply(contact, inbound, programs.help(p));
            return;
        }
        events.emit(contact.id(), p.event(), match.properties(), inbound.createdAt(), inbound.id());
        Contact current = contacts.get(contact.id()).orElse(contact);
        if (p.optIn() != null && p.optIn().confirm() && current.consent() != ConsentStatus.OPTED_IN) {
            programs.rememberJoin(contact.id(), p, inbound.to(), inbound.createdAt(), inbound.id());
            contacts.changeConsent(contact.id(), ConsentStatus.PENDING, "keyword",
                    "text-to-join: " + p.keyword() + " to " + inbound.to(), inbound.provider(), inbound.createdAt(),
                    s -> s != ConsentStatus.OPTED_IN && s != ConsentStatus.PENDING, tx -> { });
            LOG.info("contact {} ({}) asked to confirm text-to-join {}", contact.id(), Masked.phone(contact.phone()), p.keyword());
            messages.get().sendReply(messages.get().replyDraft(contact, inbound, programs.joinQuestion(p)));
            return;
        }
        reply(contact, inbound, programs.reply(p, current, match.properties()));
    }

    private void custom(KeywordRule rule, Contact contact, Message inbound) {
        if (!rule.tags().isEmpty()) {
            contacts.upsert(new ContactInput(contact.phone(), null, null, null, null, null, null, rule.tags(), null), inbound.provider());
        }
        Optional.ofNullable(rule.event()).ifPresent(name -> events.emit(contact.id(), name, inbound.createdAt(), inbound.id()));
        reply(contact, inbound, replies.textFor(rule));
    }
}
