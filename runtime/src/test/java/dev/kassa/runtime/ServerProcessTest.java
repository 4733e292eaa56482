package dev.kassa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orphan detection through pid files, exercised with a harmless {@code sleep} standing in for a server. */
class ServerProcessTest {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private Process sleeper;

    @AfterEach
    void stopSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void liveServerNamedInThePidFileIsFoundAndStopped() throws IOException {
        Path pidFile = writePidFile(startSleeper().pid());

        Optional<ServerProcess> found = ServerProcess.fromPidFile(pidFile, "sleep", "3600");
        assertThat(found).isPresent();
        found.get().stop(ServerProcess.StopSignal.INTERRUPT, STOP_TIMEOUT);

        assertThat(found.get().isRunning()).isFalse();
    }

    @Test
    void pidFileNamingAnotherProgramIsStaleAndDeleted() throws IOException {
        Path pidFile = writePidFile(startSleeper().pid());

        Optional<ServerProcess> found = ServerProcess.fromPidFile(pidFile, "postgres", "");

        assertThat(found).isEmpty();
        assertThat(pidFile).doesNotExist();
        assertThat(sleeper.isAlive()).as("an unrelated process is never signalled").isTrue();
    }

    @Test
    void sameProgramServingAnotherDirectoryIsNotOurs() throws IOException {
        Path pidFile = writePidFile(startSleeper().pid());

        assertThat(ServerProcess.fromPidFile(pidFile, "sleep", "/some/other/data")).isEmpty();
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void pidFileOfADeadProcessNamesNothingToStop() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path pidFile = writePidFile(finished.pid());

        assertThat(ServerProcess.fromPidFile(pidFile, "true", "")).isEmpty();
    }

    @Test
    void missingOrGarbledPidFileNamesNothingToStop() throws IOException {
        assertThat(ServerProcess.fromPidFile(directory.resolve("absent.pid"), "postgres", "")).isEmpty();
        Path garbled = Files.writeString(directory.resolve("garbled.pid"), "not a pid\n");
        assertThat(ServerProcess.fromPidFile(garbled, "postgres", "")).isEmpty();
    }

    private Process startSleeper() throws IOException {
        sleeper = new ProcessBuilder("sleep", "3600").start();
        return sleeper;
    }

    private Path writePidFile(long pid) throws IOException {
        return Files.writeString(directory.resolve("server.pid"), pid + "\n/data/directory\n");
    }
}
