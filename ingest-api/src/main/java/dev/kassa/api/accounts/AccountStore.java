package dev.kassa.api.accounts;

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

/**
 * The API's reads and its one write of the ledger's {@code accounts} table. The ledger sink owns
 * balances; the API inserts a just-opened account itself (the sink inserts the same row idempotently)
 * so that a GET right after the POST finds it.
 */
public final class AccountStore implements AccountDirectory {

    private static final String FIND = "SELECT id, merchant_id, currency, balance, created FROM accounts"
            + " WHERE id = ? AND merchant_id = ?";
    private static final String INSERT_OPENED = "INSERT INTO accounts (id, merchant_id, currency, allow_negative, balance, created)"
            + " VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING";

    private final DataSource dataSource;

    public AccountStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The account {@code accountId} if it belongs to {@code merchantId}. */
    @Override
    public Optional<AccountView> find(String merchantId, String accountId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, accountId);
            statement.setString(2, merchantId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(view(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("find account " + accountId, e);
        }
    }

    /** Inserts the row of an account the topology has opened, unless the sink was first. */
    public void insertOpened(Account account) {
        try (Connection connection = dataSource.getConnection()) {
            insertOpened(connection, account);
        } catch (SQLException e) {
            throw DatabaseErrors.translate("insert account " + account.id(), e);
        }
    }

    /** Same as {@link #insertOpened(Account)}, within the caller's transaction. */
    public static void insertOpened(Connection connection, Account account) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT_OPENED)) {
            statement.setString(1, account.id());
            statement.setString(2, account.merchantId());
            statement.setString(3, account.currency());
            statement.setBoolean(4, account.allowNegative());
            statement.setTimestamp(5, Timestamp.from(account.created()));
            statement.executeUpdate();
        }
    }

    private static AccountView view(ResultSet row) throws SQLException {
        return new AccountView(row.getString("id"), row.getString("merchant_id"), row.getString("currency"),
                row.getLong("balance"), row.getTimestamp("created").toInstant());
    }
}
