package dev.kassa.api.refunds;

import dev.kassa.model.Refund;
import java.util.List;

/** The refunds of one payment, oldest first, at most {@link Refunds#LIST_LIMIT}; {@code hasMore} when there are more. */
public record RefundList(List<Refund> data, boolean hasMore) {

    public RefundList {
        data = List.copyOf(data);
    }
}
