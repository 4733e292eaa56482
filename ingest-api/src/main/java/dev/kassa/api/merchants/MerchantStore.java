package dev.kassa.api.merchants;

import dev.kassa.api.accounts.AccountStore;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.auth.MerchantDirectory;
import dev.kassa.api.error.DatabaseErrors;
import dev.kassa.model.Account;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The ledger's {@code merchants} table, which the API alone writes. */
public final class MerchantStore implements MerchantDirectory {

    private static final String FIND_BY_HASH = "SELECT id, name, account_id, created FROM merchants WHERE secret_key_hash = ?";
    private static final String INSERT = "INSERT INTO merchants (id, name, secret_key_hash, account_id, created)"
            + " VALUES (?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    public MerchantStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Optional<Merchant> findBySecretKeyHash(String secretKeyHash) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND_BY_HASH)) {
            statement.setString(1, secretKeyHash);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Merchant(row.getString("id"), row.getString("name"), row.getString("account_id"),
                        row.getTimestamp("created").toInstant()));
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("authenticate a merchant", e);
        }
    }

    /**
     * Inserts the merchant and, when the topology has confirmed it, its own account, in one
     * transaction: a merchant never exists half-created.
     */
    public void insert(Merchant merchant, String secretKeyHash, Optional<Account> confirmedAccount) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                insertMerchant(connection, merchant, secretKeyHash);
                if (confirmedAccount.isPresent()) {
                    AccountStore.insertOpened(connection, confirmedAccount.get());
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("insert merchant " + merchant.id(), e);
        }
    }

    private static void insertMerchant(Connection connection, Merchant merchant, String secretKeyHash) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, merchant.id());
            statement.setString(2, merchant.name());
            statement.setString(3, secretKeyHash);
            statement.setString(4, merchant.accountId());
            statement.setTimestamp(5, Timestamp.from(merchant.created()));
            statement.executeUpdate();
        }
    }
}
