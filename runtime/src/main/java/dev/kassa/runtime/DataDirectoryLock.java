package dev.kassa.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a runtime's data directory, held for the runtime's whole life.
 *
 * <p>It is what makes stopping orphans safe: a Postgres or Redis left running in this directory is
 * only an orphan when no live runtime holds the lock. The operating system releases the lock when the
 * holding process dies, also by {@code kill -9}.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "runtime.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code dataDirectory}, or fails naming the process that holds it. */
    static DataDirectoryLock acquire(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME);
        FileChannel channel = open(file);
        try {
            FileLock lock = tryLock(channel, file);
            if (lock == null) {
                throw new EmbeddedRuntimeException("data directory " + dataDirectory
                        + " is in use by another Kassa runtime (" + holder(file) + ")");
            }
            writeOwnProcessId(channel, file);
            return new DataDirectoryLock(file, channel, lock);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open lock file " + file, e);
        }
    }

    private static FileLock tryLock(FileChannel channel, Path file) {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new EmbeddedRuntimeException("data directory of " + file + " is already in use by a runtime"
                    + " in this JVM (pid " + ProcessHandle.current().pid() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** The pid is only for the message a second runtime prints; the lock itself is the truth. */
    private static void writeOwnProcessId(FileChannel channel, Path file) {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String holder(Path file) {
        try {
            return "pid " + Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "pid unknown: " + e.getMessage();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to release beyond the channel itself, which the caller no longer uses.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        }
    }
}
