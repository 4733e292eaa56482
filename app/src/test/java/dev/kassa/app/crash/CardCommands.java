package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentKind;
import dev.kassa.testing.LedgerSql;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the card crash tests publish and set up the same way: a merchant's accounts opened through the
 * topology, card payment commands as the API would publish them, and the sandbox's faults turned off
 * over its admin endpoint before the test reads its charges.
 */
final class CardCommands {

    private CardCommands() {
    }

    /** Opens {@code count} USD accounts of {@code merchant} and waits until the ledger holds them. */
    static List<String> openAccounts(CommandProducer commands, LedgerSql ledger, String merchant, int count,
                                     Duration wait) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = Ids.next(Ids.ACCOUNT);
            accounts.add(account);
            commands.send(new OpenAccount(account, merchant, "open-" + i, "usd", Instant.now(), null));
        }
        commands.flush();
        await().atMost(wait).untilAsserted(() -> assertThat(ledger.count(
                "SELECT count(*) FROM accounts WHERE merchant_id = ?", merchant)).isEqualTo(count));
        return accounts;
    }

    /** A USD card payment of {@code merchant} with key {@code card-<index>}, as the API publishes it. */
    static CreatePayment card(String merchant, int index, String destination, long amount, String token) {
        Instant now = Instant.now();
        return new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant, "card-" + index, PaymentKind.CARD, amount, "usd",
                Ids.cardClearingAccount("usd"), destination, null, Map.of(), now, null, token);
    }

    /** {@code PUT /admin/faults {}}: the sandbox answers without faults from now on. */
    static void faultsOff(URI processorUrl, String adminToken) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(processorUrl.resolve("/admin/faults"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("PUT /admin/faults: %s", answer.body()).isEqualTo(200);
    }
}
