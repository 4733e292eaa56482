package dev.kassa.processor.sim;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The card processor sandbox ({@code kassa processor-sim}, docs/processor-sim.md) as one startable unit:
 * {@link #start()} replays the journal of the data directory and starts the HTTP server; {@link #close()}
 * stops it and releases the journal. A killed sandbox loses nothing it has answered, since every creation
 * is on disk before its answer.
 */
public final class ProcessorSandbox implements AutoCloseable {

    private final SandboxSettings settings;
    private final AtomicReference<Faults> faults;
    private Journal journal;
    private Javalin server;

    public ProcessorSandbox(SandboxSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.faults = new AtomicReference<>(settings.faults());
    }

    /** Replays the journal and starts serving; fails, releasing the journal, when the port is taken. */
    public synchronized ProcessorSandbox start() {
        if (server != null) {
            throw new IllegalStateException("the sandbox is already started");
        }
        journal = Journal.open(settings.dataDirectory());
        try {
            ChargeBook book = new ChargeBook(journal, Clock.systemUTC());
            server = SandboxServer.create(settings, book, faults, new FaultDice(settings.seed())).start();
            return this;
        } catch (RuntimeException e) {
            closeJournal();
            throw e;
        }
    }

    /** The port the sandbox listens on, once started. */
    public int port() {
        return server.port();
    }

    /** The fault settings in force. */
    public Faults faults() {
        return faults.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
        closeJournal();
    }

    private void closeJournal() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the journal", e);
            } finally {
                journal = null;
            }
        }
    }
}
