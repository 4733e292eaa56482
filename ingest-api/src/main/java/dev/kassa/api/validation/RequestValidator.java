package dev.kassa.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.accounts.AccountRequest;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.merchants.MerchantRequest;
import dev.kassa.api.payments.DepositRequest;
import dev.kassa.api.payments.PageRequest;
import dev.kassa.api.payments.PaymentRequest;
import dev.kassa.api.refunds.RefundRequest;
import dev.kassa.model.Ids;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns parsed request bodies and query strings into validated requests, per the conventions of
 * docs/api.md: unknown fields rejected first, then each field in turn with the error code of its kind.
 * Pure: no I/O, so every rule is unit-tested.
 */
public final class RequestValidator {

    public static final int DESCRIPTION_LENGTH_MAX = 1000;
    public static final int MERCHANT_NAME_LENGTH_MAX = 200;

    private static final Set<String> PAYMENT_FIELDS =
            Set.of("amount", "currency", "source", "destination", "description", "metadata");
    private static final Set<String> CARD_SOURCE_FIELDS = Set.of("type", "token");
    private static final Pattern CARD_TOKEN = Pattern.compile("tok_[A-Za-z0-9_]{1,64}");
    private static final Set<String> DEPOSIT_FIELDS = Set.of("amount", "description", "metadata");
    private static final Set<String> ACCOUNT_FIELDS = Set.of("currency");
    private static final Set<String> REFUND_FIELDS = Set.of("amount");
    private static final Set<String> MERCHANT_FIELDS = Set.of("name", "currency");
    private static final Set<String> PAGE_PARAMETERS = Set.of("limit", "starting_after");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");

    private RequestValidator() {
    }

    /** The body of {@code POST /v1/payments}. */
    public static PaymentRequest payment(ObjectNode body) {
        JsonFields.rejectUnknown(body, PAYMENT_FIELDS);
        long amount = JsonFields.amount(JsonFields.required(body, "amount"), "amount");
        String currency = JsonFields.currency(JsonFields.required(body, "currency"), "currency");
        JsonNode sourceNode = JsonFields.required(body, "source");
        Optional<String> destination = JsonFields.optional(body, "destination")
                .map(node -> JsonFields.accountId(node, "destination"));
        if (sourceNode.isObject()) {
            return new PaymentRequest(amount, currency, null, destination, description(body), metadata(body),
                    Optional.of(cardToken((ObjectNode) sourceNode)));
        }
        String source = JsonFields.accountId(sourceNode, "source");
        if (destination.filter(source::equals).isPresent()) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "destination must differ from source", "destination");
        }
        return new PaymentRequest(amount, currency, source, destination, description(body), metadata(body));
    }

    /**
     * The token of a card source, {@code {"type": "card", "token": "tok_…"}}: exactly those two fields,
     * each error naming {@code source.type} or {@code source.token}. Whether the processor knows the
     * token is checked against its capabilities, not here.
     */
    static String cardToken(ObjectNode source) {
        for (var names = source.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CARD_SOURCE_FIELDS.contains(name)) {
                String param = "source." + JsonFields.abbreviate(name);
                throw new ApiException(ErrorCode.UNKNOWN_PARAMETER,
                        "unknown parameter: " + param + "; a card source has type and token", param);
            }
        }
        JsonNode type = source.get("type");
        if (type == null || type.isNull()) {
            throw new ApiException(ErrorCode.PARAMETER_MISSING, "source.type is required: \"card\"", "source.type");
        }
        if (!type.isTextual() || !type.textValue().equals("card")) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "source.type must be \"card\"", "source.type");
        }
        JsonNode token = source.get("token");
        if (token == null || token.isNull()) {
            throw new ApiException(ErrorCode.PARAMETER_MISSING, "source.token is required", "source.token");
        }
        if (!token.isTextual() || !CARD_TOKEN.matcher(token.textValue()).matches()) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    "source.token must be a card token: tok_ followed by 1-64 letters, digits or _", "source.token");
        }
        return token.textValue();
    }

    /** The body of {@code POST /v1/accounts/{id}/deposits}. */
    public static DepositRequest deposit(ObjectNode body) {
        JsonFields.rejectUnknown(body, DEPOSIT_FIELDS);
        long amount = JsonFields.amount(JsonFields.required(body, "amount"), "amount");
        return new DepositRequest(amount, description(body), metadata(body));
    }

    /** The body of {@code POST /v1/payments/{id}/refunds}: an optional amount, by default what is left. */
    public static RefundRequest refund(ObjectNode body) {
        JsonFields.rejectUnknown(body, REFUND_FIELDS);
        return new RefundRequest(JsonFields.optional(body, "amount").map(node -> JsonFields.amount(node, "amount")));
    }

    /** The body of {@code POST /v1/accounts}. */
    public static AccountRequest account(ObjectNode body) {
        JsonFields.rejectUnknown(body, ACCOUNT_FIELDS);
        return new AccountRequest(JsonFields.currency(JsonFields.required(body, "currency"), "currency"));
    }

    /** The body of {@code POST /admin/merchants}; the currency defaults to {@code usd}. */
    public static MerchantRequest merchant(ObjectNode body) {
        JsonFields.rejectUnknown(body, MERCHANT_FIELDS);
        String name = JsonFields.text(JsonFields.required(body, "name"), "name", MERCHANT_NAME_LENGTH_MAX);
        if (name.isBlank()) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, "name must not be blank", "name");
        }
        String currency = JsonFields.optional(body, "currency")
                .map(node -> JsonFields.currency(node, "currency"))
                .orElse(MerchantRequest.CURRENCY_DEFAULT);
        return new MerchantRequest(name, currency);
    }

    /** The query of {@code GET /v1/payments}: {@code limit} 1–100 (default 20) and {@code starting_after}. */
    public static PageRequest page(Map<String, List<String>> query) {
        for (String name : query.keySet()) {
            if (!PAGE_PARAMETERS.contains(name)) {
                throw new ApiException(ErrorCode.UNKNOWN_PARAMETER, "unknown query parameter: "
                        + JsonFields.abbreviate(name) + "; accepted: limit, starting_after", JsonFields.abbreviate(name));
            }
        }
        int limit = single(query, "limit").map(RequestValidator::limit).orElse(PageRequest.LIMIT_DEFAULT);
        Optional<String> startingAfter = single(query, "starting_after").map(RequestValidator::startingAfter);
        return new PageRequest(limit, startingAfter);
    }

    private static Optional<String> description(ObjectNode body) {
        return JsonFields.optional(body, "description")
                .map(node -> JsonFields.text(node, "description", DESCRIPTION_LENGTH_MAX));
    }

    private static Map<String, String> metadata(ObjectNode body) {
        return JsonFields.optional(body, "metadata").map(node -> JsonFields.metadata(node, "metadata")).orElse(Map.of());
    }

    private static Optional<String> single(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, name + " may be given once, not " + values.size() + " times", name);
        }
        return values.stream().findFirst();
    }

    private static int limit(String value) {
        int limit = LIMIT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (limit < 1 || limit > PageRequest.LIMIT_MAX) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    "limit must be an integer between 1 and " + PageRequest.LIMIT_MAX, "limit");
        }
        return limit;
    }

    private static String startingAfter(String value) {
        if (!Ids.isValid(Ids.PAYMENT, value)) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    "starting_after must be a payment id (pay_ followed by 32 hex digits)", "starting_after");
        }
        return value;
    }
}
