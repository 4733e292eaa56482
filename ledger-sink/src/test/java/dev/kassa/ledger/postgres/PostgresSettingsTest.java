package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/** The sink's pool passes the JDBC URL to pgjdbc as the operator wrote it, TLS settings and all. */
class PostgresSettingsTest {

    @Test
    void theJdbcUrlReachesHikariAndPgjdbcUnchangedWithItsSslMode() {
        String url = "jdbc:postgresql://db.internal:5432/kassa?sslmode=verify-full&sslrootcert=/etc/kassa/pg-ca.pem";

        HikariConfig hikari = PostgresSettings.of(url, "kassa", "db-password").hikariConfig();

        assertThat(hikari.getJdbcUrl()).isEqualTo(url);
        Properties parsed = Driver.parseURL(hikari.getJdbcUrl(), new Properties());
        assertThat(parsed).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", "/etc/kassa/pg-ca.pem");
        // None of the pool's own driver properties touches TLS.
        assertThat(hikari.getDataSourceProperties().stringPropertyNames()).noneMatch(key -> key.startsWith("ssl"));
    }
}
