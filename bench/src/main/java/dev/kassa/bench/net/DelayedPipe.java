package dev.kassa.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One direction of a {@link ProxiedConnection}: what {@link #read} takes from the source socket is
 * what {@link #write} gives the destination, each chunk at its read time plus the one-way delay.
 * The two run on threads of their own, so reading goes on while earlier chunks wait out their delay:
 * chunks sent back to back are all in flight at once, not delayed one after another. A
 * {@link DelayQueue} holds them until due, ordered by due time and then by read order, so the byte
 * stream is never reordered; at most {@link #BUFFERED_BYTES_MAX} wait at a time, and a full pipe
 * stops reading, pushing back on the sender as a full TCP window would.
 */
final class DelayedPipe {

    /** Bytes in flight in one direction: 4 MiB each half round trip is 8 GB/s at 1 ms, 80 MB/s at 100 ms. */
    static final int BUFFERED_BYTES_MAX = 4 * 1024 * 1024;
    private static final int READ_SIZE_MAX = 64 * 1024;
    private static final byte[] END_OF_STREAM = new byte[0];

    private final Socket source;
    private final Socket destination;
    private final long oneWayNanos;
    private final DelayQueue<Chunk> due = new DelayQueue<>();
    private final Semaphore space = new Semaphore(BUFFERED_BYTES_MAX);

    DelayedPipe(Socket source, Socket destination, Duration oneWay) {
        this.source = source;
        this.destination = destination;
        this.oneWayNanos = oneWay.toNanos();
    }

    /** Reads the source until its end of stream, queueing each chunk (and then the end) for delivery. */
    void read() throws IOException, InterruptedException {
        InputStream in = source.getInputStream();
        byte[] buffer = new byte[READ_SIZE_MAX];
        long sequence = 0;
        for (int length; (length = in.read(buffer)) >= 0; ) {
            long deliverAt = System.nanoTime() + oneWayNanos;
            space.acquire(length);
            due.put(new Chunk(deliverAt, sequence++, Arrays.copyOf(buffer, length)));
        }
        due.put(new Chunk(System.nanoTime() + oneWayNanos, sequence, END_OF_STREAM));
    }

    /** Writes each chunk to the destination once due; the end of stream becomes a half close. */
    void write() throws IOException, InterruptedException {
        OutputStream out = destination.getOutputStream();
        for (Chunk chunk = due.take(); chunk.bytes() != END_OF_STREAM; chunk = due.take()) {
            out.write(chunk.bytes());
            space.release(chunk.bytes().length);
        }
        destination.shutdownOutput();
    }

    /** Bytes read at one time, due {@code deliverAtNanos} ({@link System#nanoTime()}); {@code sequence} breaks ties. */
    private record Chunk(long deliverAtNanos, long sequence, byte[] bytes) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deliverAtNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Chunk chunk = (Chunk) other;
            int byTime = Long.compare(deliverAtNanos - chunk.deliverAtNanos, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, chunk.sequence);
        }
    }
}
