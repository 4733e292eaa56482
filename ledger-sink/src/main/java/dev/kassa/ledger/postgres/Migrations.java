package dev.kassa.ledger.postgres;

import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a Postgres database to Kassa's ledger schema with Flyway, from the scripts under
 * {@code db/migration} on the classpath. Every {@code kassa} command that runs a service calls
 * {@link #apply(DataSource)} at start (the app's {@code Services.prepare}); Flyway serializes concurrent callers with a Postgres advisory lock, so two processes starting
 * together apply each script once and both return when the schema is current.
 */
public final class Migrations {

    /** Where the scripts live on the classpath. */
    public static final String LOCATION = "classpath:db/migration";

    /** Flyway's bookkeeping table, named explicitly so that a Flyway default change cannot move it. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    /**
     * How many times Flyway retries taking the advisory lock, about one second apart, while another
     * process migrates: a bound on how long a start waits for a concurrent one.
     */
    public static final int LOCK_RETRIES_MAX = 120;

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Applies every pending script, after validating the ones already applied against their
     * checksums.
     *
     * @return the number of scripts this call applied (0 when the schema was already current)
     * @throws org.flywaydb.core.api.FlywayException when validation or a script fails; the failing
     *                                               script's transaction is rolled back
     */
    public static int apply(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        MigrateResult result = flyway(dataSource).migrate();
        LOG.info("ledger schema at version {} ({} script(s) applied by this process)",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    /** The one Flyway configuration, every safety-relevant setting explicit. */
    static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .validateOnMigrate(true)
                // Never drop a ledger by accident.
                .cleanDisabled(true)
                // A non-empty database without history is someone else's: refuse it rather than baseline.
                .baselineOnMigrate(false)
                .outOfOrder(false)
                // Each script in its own transaction; scripts mixing transactional and non-transactional
                // statements are refused.
                .mixed(false)
                .group(false)
                .lockRetryCount(LOCK_RETRIES_MAX)
                .load();
    }
}
