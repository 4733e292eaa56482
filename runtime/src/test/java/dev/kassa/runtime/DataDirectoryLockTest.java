package dev.kassa.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryLockTest {

    @TempDir
    Path dataDirectory;

    @Test
    void secondRuntimeOnALockedDirectoryIsRefused() {
        try (DataDirectoryLock ignored = DataDirectoryLock.acquire(dataDirectory)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dataDirectory))
                    .isInstanceOf(EmbeddedRuntimeException.class)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void releasedDirectoryCanBeLockedAgain() {
        DataDirectoryLock.acquire(dataDirectory).close();

        DataDirectoryLock.acquire(dataDirectory).close();
    }
}
