package dev.kassa.runtime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where the Postgres and Redis executables unpacked from their jars live: one directory per user,
 * shared by all data directories, so each runtime start does not unpack them again.
 *
 * <p>Per user, not one {@code /tmp} directory for everyone, because an executable unpacked by one
 * user (say root in CI) is not executable for another, and a shared writable location would let
 * another user plant binaries that we then run.
 */
final class BinaryCache {

    /**
     * Only the owner may enter the cache. zonky makes its working directory world-writable on every
     * start; behind an owner-only parent that grants nobody else anything.
     */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private BinaryCache() {
    }

    /** {@code $XDG_CACHE_HOME/kassa/<component>}, else {@code ~/.cache/kassa/<component>}, created. */
    static Path directory(String component) {
        Path root = userCacheRoot().resolve("kassa");
        Path directory = root.resolve(component);
        try {
            Files.createDirectories(directory);
            restrictToOwner(root);
            return directory;
        } catch (IOException e) {
            throw new EmbeddedRuntimeException("cannot prepare the binary cache " + directory
                    + " (set XDG_CACHE_HOME to a writable directory of your own)", e);
        }
    }

    private static void restrictToOwner(Path root) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix && !Files.getPosixFilePermissions(root).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(root, OWNER_ONLY);
        }
    }

    private static Path userCacheRoot() {
        String xdgCacheHome = System.getenv("XDG_CACHE_HOME");
        if (xdgCacheHome != null && !xdgCacheHome.isBlank()) {
            return Path.of(xdgCacheHome);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }
}
