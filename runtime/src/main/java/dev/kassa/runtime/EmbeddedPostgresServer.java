package dev.kassa.runtime;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Postgres 17 server (zonky's embedded binaries) keeping its cluster in
 * {@code <dataDirectory>/postgres}, listening on 127.0.0.1 only, with database {@value #DATABASE}.
 *
 * <p>The postmaster is a separate process that survives {@code kill -9} of the JVM and keeps the data
 * directory locked; {@link #start()} therefore first stops such an orphan through its
 * {@code postmaster.pid}. {@link #stop()} and {@link #start()} may be called repeatedly, so tests can
 * restart Postgres alone on the same data and port.
 *
 * <p>Authentication is zonky's {@code trust} on the loopback interface: {@link #password()} is accepted
 * but not checked, which is acceptable only because nothing outside this machine can connect.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** A database name used unquoted in CREATE and DROP DATABASE: lower case, digits, underscores, ≤ 63 bytes. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The database Kassa uses; created on first start. */
    public static final String DATABASE = "kassa";
    /** The superuser that zonky's initdb creates. */
    public static final String USER = "postgres";
    /** Printed and passed by clients; the server's trust authentication does not check it. */
    public static final String PASSWORD = "postgres";

    static final String DIRECTORY_NAME = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    /** Long enough for crash recovery replaying the WAL of a killed server. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    /** A fast shutdown checkpoints once; a minute covers a busy development database. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration JDBC_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration JDBC_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final long LOG_ROTATE_BYTES = 16L * 1024 * 1024;
    private static final int CONNECTIONS_MAX = 200;

    private final Path clusterDirectory;
    private final Path logFile;
    private final int port;
    private EmbeddedPostgres postgres;

    /**
     * @param dataDirectory the runtime's data directory; the cluster lives in its {@code postgres} child
     * @param port          the port to listen on, 1 to 65535
     */
    public EmbeddedPostgresServer(Path dataDirectory, int port) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("postgres port must be between 1 and 65535, was " + port);
        }
        this.clusterDirectory = dataDirectory.toAbsolutePath().resolve(DIRECTORY_NAME);
        this.logFile = dataDirectory.toAbsolutePath().resolve("logs").resolve("postgres.log");
        this.port = port;
    }

    /** Starts the server, first stopping a postmaster orphaned by a killed JVM; does nothing if running. */
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        stopOrphanedPostmaster();
        Loopback.requireFree(port, "Postgres");
        prepareLogFile();
        EmbeddedPostgres started = startCluster();
        try {
            requireOwnCluster();
            createDatabaseIfAbsent();
        } catch (RuntimeException e) {
            closeCluster(started);
            throw e;
        }
        postgres = started;
    }

    /** Stops the server with a fast shutdown and waits for the postmaster to exit; does nothing if stopped. */
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        EmbeddedPostgres running = postgres;
        postgres = null;
        closeCluster(running);
        // zonky's pg_ctl stop gives up after 5 s and only logs it; make sure the postmaster is really gone.
        runningPostmaster()
                .ifPresent(postmaster -> postmaster.stop(ServerProcess.StopSignal.INTERRUPT, SHUTDOWN_TIMEOUT));
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /**
     * {@code jdbc:postgresql://127.0.0.1:<port>/kassa}, without credentials: pass {@link #user()} and
     * {@link #password()}.
     */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public String database() {
        return DATABASE;
    }

    public int port() {
        return port;
    }

    /** Where the cluster lives: {@code <dataDirectory>/postgres}. */
    public Path clusterDirectory() {
        return clusterDirectory;
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Loopback.HOST + ":" + port + "/" + database;
    }

    /** The live postmaster named in the cluster's pid file; its command line names the cluster directory. */
    private Optional<ServerProcess> runningPostmaster() {
        Path pidFile = clusterDirectory.resolve("postmaster.pid");
        return ServerProcess.fromPidFile(pidFile, "postgres", clusterDirectory.toString());
    }

    private void stopOrphanedPostmaster() {
        runningPostmaster().ifPresent(postmaster -> {
            LOG.warn("stopping {}, left running by a runtime that did not shut down", postmaster.description());
            postmaster.stop(ServerProcess.StopSignal.INTERRUPT, SHUTDOWN_TIMEOUT);
        });
    }

    private EmbeddedPostgres startCluster() {
        try {
            return EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(STARTUP_TIMEOUT)
                    .setOverrideWorkingDirectory(BinaryCache.directory("postgres").toFile())
                    // The postmaster writes to this file itself, so it never depends on a JVM pipe
                    // that disappears when the JVM is killed.
                    .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
                    .setLocaleConfig("locale", "C")
                    .setServerConfig("listen_addresses", Loopback.HOST)
                    // TCP only: no socket files in /tmp shared between users and runtimes.
                    .setServerConfig("unix_socket_directories", "")
                    // zonky turns fsync and synchronous commit off for throwaway test databases; a
                    // ledger must survive a crash, so both are on again (the later -c wins over -F).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", Integer.toString(CONNECTIONS_MAX))
                    .setServerConfig("timezone", "UTC")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new EmbeddedRuntimeException("Postgres did not start on " + Loopback.HOST + ":" + port
                    + " with data in " + clusterDirectory + "; see " + logFile, e);
        }
    }

    /** Proves the server answering on our port is the one on our data directory, not a stranger's. */
    private void requireOwnCluster() {
        String served = queryString("postgres", "SELECT current_setting('data_directory')");
        if (!Path.of(served).equals(clusterDirectory)) {
            throw new EmbeddedRuntimeException("the Postgres on " + Loopback.HOST + ":" + port + " serves "
                    + served + ", not " + clusterDirectory);
        }
    }

    private void createDatabaseIfAbsent() {
        createDatabase(DATABASE);
    }

    /**
     * Creates database {@code name} on this server unless it exists, and returns its JDBC URL (a
     * plain identifier: lower-case letters, digits and underscores).
     */
    public String createDatabase(String name) {
        if (!PLAIN_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = connect("postgres");
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return jdbcUrl(name);
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + name);
            }
            LOG.info("created Postgres database {}", name);
            return jdbcUrl(name);
        } catch (SQLException e) {
            throw new EmbeddedRuntimeException("cannot create Postgres database " + name + " at " + jdbcUrl(name), e);
        }
    }

    /** Drops database {@code name} if it exists; nothing may be connected to it. */
    public void dropDatabase(String name) {
        if (!PLAIN_NAME.matcher(name).matches() || name.equals(DATABASE)) {
            throw new IllegalArgumentException("will not drop database " + name);
        }
        try (Connection connection = connect("postgres"); Statement drop = connection.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            throw new EmbeddedRuntimeException("cannot drop Postgres database " + name, e);
        }
    }

    private String queryString(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        } catch (SQLException e) {
            throw new EmbeddedRuntimeException("Postgres at " + jdbcUrl(database) + " failed: " + sql, e);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", Long.toString(JDBC_CONNECT_TIMEOUT.toSeconds()));
        properties.setProperty("socketTimeout", Long.toString(JDBC_SOCKET_TIMEOUT.toSeconds()));
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    private void closeCluster(EmbeddedPostgres cluster) {
        try {
            cluster.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop Postgres on port " + port, e);
        }
    }

    /** Keeps the server log bounded: the previous log is kept once, older ones are dropped. */
    private void prepareLogFile() {
        try {
            Files.createDirectories(logFile.getParent());
            if (Files.exists(logFile) && Files.size(logFile) > LOG_ROTATE_BYTES) {
                Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Postgres log " + logFile, e);
        }
    }
}
