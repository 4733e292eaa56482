package dev.kassa.processor.sim;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.Refund;
import dev.kassa.processor.sim.Journal.Entry;
import dev.kassa.processor.sim.Journal.IdempotencyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The sandbox's charges, refunds and idempotency records, kept in memory and made durable through the
 * {@link Journal}. A creation first looks its key up: the same key with the same request gets the stored
 * answer again ({@code replayed}); with another request, {@code 409 idempotency_key_reused}. A new charge
 * or refund is journaled with its key in one line before it becomes visible or is answered, so a crash
 * after the write and before the answer leaves a record that the retry finds. Creations are serialized:
 * a sandbox needs correctness, not throughput.
 */
final class ChargeBook {

    /** The answer to a creation: its status, the charge or refund, whether it is a replay. */
    record Answer(int status, Object resource, boolean replayed) {
    }

    private final Journal journal;
    private final Clock clock;
    private final Map<String, Charge> charges = new LinkedHashMap<>();
    private final Map<String, List<String>> chargeIdsByReference = new HashMap<>();
    private final Map<String, Refund> refunds = new LinkedHashMap<>();
    private final Map<String, Long> refundedByCharge = new HashMap<>();
    private final Map<String, IdempotencyRecord> records = new HashMap<>();
    private final Map<String, String> resourceByKey = new HashMap<>();

    ChargeBook(Journal journal, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        journal.replay().forEach(this::apply);
    }

    synchronized Answer createCharge(String idempotencyKey, ChargeRequest request) {
        String fingerprint = fingerprint("POST /v1/charges", request.amount() + "|" + request.currency() + "|"
                + request.cardToken() + "|" + request.reference());
        Optional<Answer> stored = replay(idempotencyKey, fingerprint);
        if (stored.isPresent()) {
            return stored.get();
        }
        TestCards.Behaviour card = TestCards.behaviour(request.cardToken()).orElseThrow(
                () -> SandboxException.badRequest("unknown_card_token", "card_token " + request.cardToken() + " is unknown"));
        Charge charge = new Charge("ch_" + randomId(), Charge.OBJECT, request.amount(), request.currency(),
                request.cardToken(), request.reference(), card.status(), card.declineCode(),
                card.status() == Charge.Status.DECLINED ? 0 : Fees.chargeFee(request.amount()), now());
        int status = charge.status() == Charge.Status.DECLINED ? 402 : 201;
        commit(new Entry(Entry.CHARGE, charge, null, new IdempotencyRecord(idempotencyKey, fingerprint, status)));
        return new Answer(status, charge, false);
    }

    synchronized Answer refund(String idempotencyKey, String chargeId, OptionalLong amount) {
        String fingerprint = fingerprint("POST /v1/charges/" + chargeId + "/refunds",
                amount.isPresent() ? Long.toString(amount.getAsLong()) : "rest");
        Optional<Answer> stored = replay(idempotencyKey, fingerprint);
        if (stored.isPresent()) {
            return stored.get();
        }
        Charge charge = charge(chargeId).orElseThrow(() -> notFound(chargeId));
        if (charge.status() != Charge.Status.SUCCEEDED) {
            throw SandboxException.badRequest("charge_not_refundable",
                    "charge " + chargeId + " is " + charge.status().name().toLowerCase() + "; only a succeeded charge can be refunded");
        }
        long left = charge.amount() - refundedByCharge.getOrDefault(chargeId, 0L);
        long refunded = amount.orElse(left);
        if (refunded > left || refunded <= 0) {
            throw new SandboxException(402, "refund_exceeds_charge", "amount " + refunded + " exceeds what is left of charge "
                    + chargeId + ": " + left + " of " + charge.amount());
        }
        Refund refund = new Refund("re_" + randomId(), Refund.OBJECT, chargeId, refunded, charge.currency(),
                Refund.SUCCEEDED, now());
        commit(new Entry(Entry.REFUND, null, refund, new IdempotencyRecord(idempotencyKey, fingerprint, 201)));
        return new Answer(201, refund, false);
    }

    synchronized Optional<Charge> charge(String id) {
        return Optional.ofNullable(charges.get(id));
    }

    synchronized List<Charge> chargesByReference(String reference) {
        return chargeIdsByReference.getOrDefault(reference, List.of()).stream().map(charges::get).toList();
    }

    /** Copies of every charge and refund, for a settlement report. */
    synchronized List<Charge> charges() {
        return List.copyOf(charges.values());
    }

    synchronized List<Refund> refunds() {
        return List.copyOf(refunds.values());
    }

    static SandboxException notFound(String chargeId) {
        return new SandboxException(404, "charge_not_found", "no charge " + chargeId);
    }

    private Optional<Answer> replay(String idempotencyKey, String fingerprint) {
        IdempotencyRecord record = records.get(idempotencyKey);
        if (record == null) {
            return Optional.empty();
        }
        if (!record.fingerprint().equals(fingerprint)) {
            throw new SandboxException(409, "idempotency_key_reused", "Idempotency-Key " + idempotencyKey
                    + " was used for a different request; use a new key for a new request");
        }
        String id = resourceByKey.get(idempotencyKey);
        Object resource = id.startsWith("ch_") ? charges.get(id) : refunds.get(id);
        return Optional.of(new Answer(record.status(), resource, true));
    }

    /** Journal first: a creation is visible and answered only once it is on disk. */
    private void commit(Entry entry) {
        journal.append(entry);
        apply(entry);
    }

    private void apply(Entry entry) {
        IdempotencyRecord record = entry.idempotency();
        if (entry.charge() != null) {
            Charge charge = entry.charge();
            charges.put(charge.id(), charge);
            chargeIdsByReference.computeIfAbsent(charge.reference(), reference -> new ArrayList<>()).add(charge.id());
            resourceByKey.put(record.key(), charge.id());
        } else {
            Refund refund = entry.refund();
            refunds.put(refund.id(), refund);
            refundedByCharge.merge(refund.charge(), refund.amount(), Math::addExact);
            resourceByKey.put(record.key(), refund.id());
        }
        records.put(record.key(), record);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String randomId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static String fingerprint(String request, String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((request + "\n" + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
