package dev.kassa.api.payments;

import dev.kassa.model.Payment;
import java.util.List;

/** One page of a listing, newest first, and whether older objects follow. */
public record PaymentPage(List<Payment> data, boolean hasMore) {

    public PaymentPage {
        data = List.copyOf(data);
    }
}
