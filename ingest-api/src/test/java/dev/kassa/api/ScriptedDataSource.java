package dev.kassa.api;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link DataSource} stand-in for the stores' plain prepared statements, so a service can be tested
 * with its real store and no database: each query answers the rows {@code answers} gives for its SQL
 * (column label to value; an {@link Instant} stands for a timestamp), each update changes one row, and
 * every statement executed is recorded.
 */
public final class ScriptedDataSource {

    private final Function<String, List<Map<String, Object>>> answers;
    private final List<String> executed = new CopyOnWriteArrayList<>();

    public ScriptedDataSource(Function<String, List<Map<String, Object>>> answers) {
        this.answers = answers;
    }

    /** A ledger in which every query finds nothing. */
    public static ScriptedDataSource empty() {
        return new ScriptedDataSource(sql -> List.of());
    }

    public DataSource dataSource() {
        return proxy(DataSource.class, (self, method, args) -> switch (method.getName()) {
            case "getConnection" -> connection();
            default -> unsupported(method.getName());
        });
    }

    /** How many statements executed so far start with {@code prefix} (e.g. {@code "SELECT"}) and mention {@code table}. */
    public long executed(String prefix, String table) {
        return executed.stream().filter(sql -> sql.startsWith(prefix) && sql.contains(" " + table + " ")).count();
    }

    private Connection connection() {
        return proxy(Connection.class, (self, method, args) -> switch (method.getName()) {
            case "prepareStatement" -> statement((String) args[0]);
            case "close", "setAutoCommit", "commit", "rollback" -> null;
            default -> unsupported(method.getName());
        });
    }

    private PreparedStatement statement(String sql) {
        return proxy(PreparedStatement.class, (self, method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") || name.equals("close")) {
                return null;
            }
            if (name.equals("executeQuery")) {
                executed.add(sql);
                return resultSet(answers.apply(sql).iterator());
            }
            if (name.equals("executeUpdate")) {
                executed.add(sql);
                return 1;
            }
            return unsupported(name);
        });
    }

    private static ResultSet resultSet(Iterator<Map<String, Object>> rows) {
        Object[] current = new Object[1];
        return proxy(ResultSet.class, (self, method, args) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) current[0];
            return switch (method.getName()) {
                case "next" -> {
                    current[0] = rows.hasNext() ? rows.next() : null;
                    yield current[0] != null;
                }
                case "getString" -> (String) row.get((String) args[0]);
                case "getLong" -> ((Number) row.get((String) args[0])).longValue();
                case "getBoolean" -> (Boolean) row.get((String) args[0]);
                case "getTimestamp" -> Timestamp.from((Instant) row.get((String) args[0]));
                case "close" -> null;
                default -> unsupported(method.getName());
            };
        });
    }

    private static Object unsupported(String method) {
        throw new UnsupportedOperationException("not scripted: " + method);
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(ScriptedDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
