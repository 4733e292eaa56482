package dev.kassa.api.merchants;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.json.JsonTimestamps;

/** The JSON of a created merchant: {@code {"id","object":"merchant","name","secret_key","account","created"}}. */
public final class MerchantJson {

    private MerchantJson() {
    }

    /** The merchant as a retry of its creation shows it: {@code "secret_key": null}, the key being shown once. */
    public static ObjectNode renderWithoutSecret(MerchantCreation creation) {
        ObjectNode json = render(creation);
        json.putNull("secret_key");
        return json;
    }

    public static ObjectNode render(MerchantCreation creation) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", creation.merchant().id());
        json.put("object", "merchant");
        json.put("name", creation.merchant().name());
        json.put("secret_key", creation.secretKey());
        json.put("account", creation.merchant().accountId());
        json.put("created", JsonTimestamps.of(creation.merchant().created()));
        return json;
    }
}
