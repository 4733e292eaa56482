package dev.kassa.processor.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.processor.Charge;
import dev.kassa.processor.ProcessorJson;
import dev.kassa.processor.Refund;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox's durable state: an append-only file of JSON lines ({@value #FILE_NAME} in the data
 * directory), one per charge or refund together with the idempotency record that made it, so the two
 * are stored in one write. Each line is forced to disk before the request is answered, and replayed
 * at start. A last line cut short by a crash (no newline) never got an answer and is dropped; any other
 * unreadable line stops the start. A lock file keeps a second sandbox off the same directory.
 */
final class Journal implements Closeable {

    static final String FILE_NAME = "journal.jsonl";
    static final String LOCK_NAME = "journal.lock";

    /** One line of the journal: a charge or a refund, with the idempotency record of its request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String type, Charge charge, Refund refund, IdempotencyRecord idempotency) {
        static final String CHARGE = "charge";
        static final String REFUND = "refund";

        Entry {
            Objects.requireNonNull(idempotency, "idempotency");
            if (!(CHARGE.equals(type) ? charge != null && refund == null : REFUND.equals(type) && refund != null && charge == null)) {
                throw new IllegalArgumentException("a journal entry is one charge or one refund, got type " + type);
            }
        }
    }

    /** What a creation's idempotency key stands for: its request's fingerprint and the answer's status. */
    record IdempotencyRecord(String key, String fingerprint, int status) {
        IdempotencyRecord {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    private static final ObjectMapper JSON = ProcessorJson.mapper();

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel channel;

    private Journal(Path file, FileChannel lockChannel, FileLock lock, FileChannel channel) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.channel = channel;
    }

    /** Opens (creating) the journal of {@code dataDirectory}, locked for this process. */
    static Journal open(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            FileChannel lockChannel = FileChannel.open(dataDirectory.resolve(LOCK_NAME),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("another processor sandbox uses " + dataDirectory.toAbsolutePath());
            }
            Path file = dataDirectory.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            forceDirectory(dataDirectory);
            return new Journal(file, lockChannel, lock, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dataDirectory.toAbsolutePath(), e);
        }
    }

    /** Every complete entry, oldest first; cuts off a last line that a crash left unfinished. */
    List<Entry> replay() {
        try {
            byte[] content = Files.readAllBytes(file);
            List<Entry> entries = new ArrayList<>();
            int start = 0;
            for (int end = 0; end < content.length; end++) {
                if (content[end] == '\n') {
                    entries.add(parse(content, start, end, entries.size() + 1));
                    start = end + 1;
                }
            }
            // Bytes after the last newline are a write the crash interrupted: never answered, so dropped.
            channel.truncate(start);
            channel.position(start);
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
    }

    /** Appends one entry and forces it to disk; when this returns, the entry survives a crash. */
    synchronized void append(Entry entry) {
        try {
            byte[] json = JSON.writeValueAsBytes(entry);
            ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
            while (line.hasRemaining()) {
                channel.write(line);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + file, e);
        }
    }

    @Override
    public void close() throws IOException {
        try (lockChannel; channel) {
            lock.release();
        }
    }

    /**
     * Forces the directory entry of a journal file just created to disk, so that a crash cannot lose the
     * file with its first forced lines. Linux allows it; where a directory cannot be opened, it is skipped.
     */
    private static void forceDirectory(Path dataDirectory) {
        try (FileChannel directory = FileChannel.open(dataDirectory, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException notSupportedHere) {
            // Some platforms cannot open a directory as a channel; their file systems order this themselves.
        }
    }

    private Entry parse(byte[] content, int start, int end, int lineNumber) {
        try {
            return JSON.readValue(content, start, end - start, Entry.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("line " + lineNumber + " of the journal " + file + " is unreadable; "
                    + "the sandbox will not start on a damaged journal", e);
        }
    }
}
