package dev.kassa.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The admin token and demo merchant of {@code kassa dev}, kept in the data directory (mode 600) so a
 * restarted gateway prints the same credentials. A production API never stores a secret key; this
 * file exists only because a development gateway must be usable again after a restart.
 */
public record DevCredentials(String adminToken, Optional<DemoMerchant> demoMerchant) {

    /** The merchant {@code kassa dev} creates for a new user. */
    public record DemoMerchant(String merchantId, String secretKey, String accountId) {
    }

    private static final String FILE = "dev-credentials.properties";

    /** The credentials stored in {@code dataDirectory}, or a fresh admin token and no merchant yet. */
    public static DevCredentials loadOrCreate(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            DevCredentials fresh = new DevCredentials(newAdminToken(), Optional.empty());
            fresh.save(dataDirectory);
            return fresh;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        String merchant = properties.getProperty("demo.merchant");
        Optional<DemoMerchant> demo = merchant == null ? Optional.empty() : Optional.of(new DemoMerchant(
                merchant, properties.getProperty("demo.secret_key"), properties.getProperty("demo.account")));
        return new DevCredentials(properties.getProperty("admin.token"), demo);
    }

    public DevCredentials withDemoMerchant(DemoMerchant merchant) {
        return new DevCredentials(adminToken, Optional.of(merchant));
    }

    public void save(Path dataDirectory) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("admin.token", adminToken);
        demoMerchant.ifPresent(demo -> {
            properties.setProperty("demo.merchant", demo.merchantId());
            properties.setProperty("demo.secret_key", demo.secretKey());
            properties.setProperty("demo.account", demo.accountId());
        });
        Path file = dataDirectory.resolve(FILE);
        Path temporary = dataDirectory.resolve(FILE + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer writer = Files.newBufferedWriter(temporary)) {
            properties.store(writer, "kassa dev credentials: development only");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String newAdminToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "kat_" + HexFormat.of().formatHex(bytes);
    }
}
