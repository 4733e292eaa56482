package dev.kassa.model;

/** The lifecycle events of a payment on {@code payments.events}; the JSON {@code type} is the constant's name in camel case. */
public enum PaymentEventType {
    PaymentInitiated,
    PaymentCompleted,
    PaymentFailed,
    RefundRequested,
    RefundCompleted,
    RefundFailed
}
