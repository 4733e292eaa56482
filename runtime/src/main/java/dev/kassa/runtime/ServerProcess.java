package dev.kassa.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process (a Postgres postmaster, a redis-server) known by the pid file it writes into its
 * data directory.
 *
 * <p>Postgres and Redis run as separate processes that outlive a JVM killed with {@code kill -9}; the
 * next runtime on the same data directory finds them through their pid files and stops them before
 * starting fresh. Callers must hold the {@link DataDirectoryLock}: only then is a live server in the
 * directory certainly an orphan and not the server of a running runtime.
 *
 * @param handle      the process
 * @param description what it is, for log lines and error messages
 */
record ServerProcess(ProcessHandle handle, String description) {

    /** How to ask a server to stop. */
    enum StopSignal {
        /** SIGTERM: Redis saves and exits; Postgres waits for its sessions to end ("smart"). */
        TERMINATE,
        /** SIGINT: Postgres aborts open transactions, checkpoints and exits ("fast"). */
        INTERRUPT
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(10);

    ServerProcess {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(description, "description");
    }

    /**
     * The live process named in {@code pidFile}, if it is the expected server: its executable's file
     * name starts with {@code executablePrefix} and, when its command line is readable, the command line
     * contains {@code commandLineMarker}. A pid file naming a dead or unrelated process is stale and is
     * deleted, because Postgres refuses to start while its pid file names any live process.
     */
    static Optional<ServerProcess> fromPidFile(Path pidFile, String executablePrefix, String commandLineMarker) {
        Optional<Long> pid = readPid(pidFile);
        Optional<ProcessHandle> handle = pid.flatMap(ProcessHandle::of).filter(ServerProcess::isRunning);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        String description = executablePrefix + " pid " + pid.get() + " (from " + pidFile + ")";
        if (!isExpectedServer(handle.get(), executablePrefix, commandLineMarker)) {
            LOG.warn("{} is not our server (another program, or a server of another directory);"
                    + " deleting the stale pid file", description);
            deleteStale(pidFile);
            return Optional.empty();
        }
        return Optional.of(new ServerProcess(handle.get(), description));
    }

    /**
     * Our own processes can always be inspected; one whose executable is hidden from us belongs to
     * another user, so it cannot be a server we started, and its pid merely got reused.
     */
    private static boolean isExpectedServer(ProcessHandle handle, String executablePrefix, String commandLineMarker) {
        Optional<String> executableName =
                handle.info().command().map(command -> Path.of(command).getFileName().toString());
        boolean commandLineMatches = commandLine(handle).map(line -> line.contains(commandLineMarker)).orElse(true);
        return executableName.map(name -> name.startsWith(executablePrefix)).orElse(false) && commandLineMatches;
    }

    /**
     * The command line as the process shows it now. Read from {@code /proc} where there is one,
     * because Redis rewrites its title into a single string that {@link ProcessHandle.Info#arguments()}
     * drops as if it were only the program name.
     */
    private static Optional<String> commandLine(ProcessHandle handle) {
        Path cmdline = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
        try {
            return Optional.of(Files.readString(cmdline, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException | RuntimeException e) {
            return handle.info().arguments().map(arguments -> String.join(" ", List.of(arguments)));
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            // A half-written pid file belongs to a server that died while starting; nothing to stop.
            LOG.warn("ignoring unreadable pid file {}: {}", pidFile, e.toString());
            return Optional.empty();
        }
    }

    private static void deleteStale(Path pidFile) {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stale pid file " + pidFile, e);
        }
    }

    /**
     * Alive and not a zombie: an orphan whose new parent does not reap it stays visible as a zombie
     * although it holds no port, file or lock any more.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
        try {
            String content = Files.readString(stat, StandardCharsets.US_ASCII);
            // The state letter follows the parenthesised executable name, which may itself contain spaces.
            String afterName = content.substring(content.lastIndexOf(')') + 1).trim();
            return !afterName.startsWith("Z") && !afterName.startsWith("X");
        } catch (IOException | RuntimeException e) {
            // No /proc (macOS) or the process vanished meanwhile: trust isAlive, checked again when polling.
            return handle.isAlive();
        }
    }

    boolean isRunning() {
        return isRunning(handle);
    }

    /** Signals the process and waits at most {@code timeout} for it to exit, or fails saying so. */
    void stop(StopSignal signal, Duration timeout) {
        LOG.debug("stopping {} with {}", description, signal);
        send(signal);
        if (!awaitExit(timeout)) {
            throw new EmbeddedRuntimeException(description + " did not exit within " + timeout + " after " + signal
                    + "; stop it by hand (kill " + handle.pid() + ") and start again");
        }
    }

    private void send(StopSignal signal) {
        if (signal == StopSignal.TERMINATE || !sendInterrupt()) {
            handle.destroy();
        }
    }

    /** Java can only send SIGTERM and SIGKILL, so SIGINT goes through the kill command. */
    private boolean sendInterrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-s", "INT", Long.toString(handle.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(KILL_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run kill -s INT {}, falling back to SIGTERM: {}", handle.pid(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException("interrupted while signalling " + description, e);
        }
    }

    private boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause();
        }
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException("interrupted while waiting for " + description + " to exit", e);
        }
    }
}
