package dev.kassa.api.accounts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.json.JsonTimestamps;

/** The public JSON shape of an account: {@code {"id","object":"account","currency","balance","created"}}. */
public final class AccountJson {

    private AccountJson() {
    }

    public static ObjectNode render(AccountView account) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", account.id());
        json.put("object", "account");
        json.put("currency", account.currency());
        json.put("balance", account.balance());
        json.put("created", JsonTimestamps.of(account.created()));
        return json;
    }
}
