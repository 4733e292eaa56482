package dev.kassa.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.cli.SettingsDefaults;
import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The README's configuration table against the commands' own definitions, so that neither can drift
 * from the other: every flag a command reads from a {@code KASSA_*} environment variable has its row,
 * every row names a variable and flag some command reads, the commands its "used by" column names
 * take that flag, of the three services exactly those take it, and the default it gives is the one
 * the flag falls back to when the variable is unset (a row whose default is "(none …)", "(required …)"
 * or "(random …)" belongs to a flag without one; "the connector: `connector-1`" in the cell is that
 * command's own). The definitions are read from picocli's model of {@code kassa}, the fallback from the
 * annotation or, for a flag that names only its variable, from the command's {@link SettingsDefaults}
 * (the settings records' constants); the rows from README.md.
 */
class ConfigurationTableTest {

    /** {@code ${env:KASSA_X}} or {@code ${env:KASSA_X:-default}}: how every option names its variable. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(KASSA_[A-Z0-9_]+)(?::-(.*))?}");
    /** A table row: variable, flag, default, used by, meaning. */
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(KASSA_[A-Z0-9_]+)` \\| `(--[a-z0-9-]+)` \\| (.+?) \\| (.+?) \\| .+\\|$");
    private static final Pattern LEADING_LITERAL = Pattern.compile("^`([^`]*)`");
    /** A default of its own for one command inside the cell, e.g. {@code the connector: `connector-1`}. */
    private static final Pattern COMMAND_LITERAL = Pattern.compile("the ([a-z-]+): `([^`]*)`");
    /** What "all" in the "used by" column stands for. */
    private static final Set<String> ALL_SERVICES = Set.of("api", "topology", "sink");

    /** One option of one command: its command's path (e.g. {@code rules push}) and its fallback default. */
    private record Definition(String command, Optional<String> fallback) {
    }

    /** One row of the README's table. */
    private record Row(String variable, String flag, String defaultCell, Set<String> usedBy) {
    }

    private static Map<String, List<Definition>> definitions;
    private static List<Row> rows;

    @BeforeAll
    static void read() throws IOException {
        definitions = new TreeMap<>();
        collect(Main.commandLine(), "");
        rows = rows(readme());
    }

    @Test
    void everyFlagReadFromAVariableHasItsRowAndEveryRowIsAFlag() {
        Set<String> documented = new TreeSet<>();
        rows.forEach(row -> documented.add(key(row.variable(), row.flag())));

        assertThat(definitions).as("the commands define flags read from KASSA_* variables").hasSizeGreaterThan(30);
        assertThat(documented).as("rows of README.md, Configuration, against the flags of every command")
                .containsExactlyInAnyOrderElementsOf(definitions.keySet());
    }

    @Test
    void eachRowsDefaultIsTheFlagsFallback() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            for (Definition definition : definitions.getOrDefault(key(row.variable(), row.flag()), List.of())) {
                if (definition.command().equals("dev")) {
                    continue; // kassa dev has defaults of its own for a few flags; the row's cell says so
                }
                Optional<String> own = ownDefault(row.defaultCell(), definition.command());
                Matcher literal = LEADING_LITERAL.matcher(row.defaultCell());
                if (own.isPresent()) {
                    if (!definition.fallback().equals(own)) {
                        wrong.add(row.variable() + " " + row.flag() + " of " + definition.command() + ": README `"
                                + own.get() + "` for it, flag " + definition.fallback().orElse("(none)"));
                    }
                } else if (literal.find()) {
                    if (!definition.fallback().equals(Optional.of(literal.group(1)))) {
                        wrong.add(row.variable() + " " + row.flag() + " of " + definition.command() + ": README `"
                                + literal.group(1) + "`, flag " + definition.fallback().orElse("(none)"));
                    }
                } else if (row.defaultCell().matches("^\\((none|required|random).*")) {
                    if (definition.fallback().isPresent()) {
                        wrong.add(row.variable() + " " + row.flag() + " of " + definition.command() + ": README "
                                + row.defaultCell() + ", flag " + definition.fallback().get());
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void ofTheThreeServicesExactlyThoseARowNamesTakeItsFlag() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Set<String> defining = new TreeSet<>();
            definitions.getOrDefault(key(row.variable(), row.flag()), List.of()).stream()
                    .map(Definition::command).filter(ALL_SERVICES::contains).forEach(defining::add);
            Set<String> named = new TreeSet<>(row.usedBy());
            named.retainAll(ALL_SERVICES);
            if (!defining.equals(named)) {
                wrong.add(row.variable() + " " + row.flag() + ": README names " + named + " of the services, taken by "
                        + defining);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theCommandsARowNamesTakeItsFlag() {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            Set<String> defining = new TreeSet<>();
            definitions.getOrDefault(key(row.variable(), row.flag()), List.of())
                    .forEach(definition -> defining.add(definition.command()));
            for (String command : row.usedBy()) {
                if (!defining.contains(command)) {
                    wrong.add(row.variable() + " " + row.flag() + ": README names " + command + ", defined by " + defining);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** The default the cell gives {@code command} by name ("the connector: `connector-1`"), if it does. */
    private static Optional<String> ownDefault(String cell, String command) {
        Matcher named = COMMAND_LITERAL.matcher(cell);
        while (named.find()) {
            if (named.group(1).equals(command)) {
                return Optional.of(named.group(2));
            }
        }
        return Optional.empty();
    }

    private static String key(String variable, String flag) {
        return variable + " " + flag;
    }

    private static void collect(CommandLine command, String path) {
        IDefaultValueProvider provider = command.getCommandSpec().defaultValueProvider();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (!(option.userObject() instanceof AccessibleObject member) || !member.isAnnotationPresent(Option.class)) {
                continue;
            }
            Matcher env = ENV_DEFAULT.matcher(member.getAnnotation(Option.class).defaultValue());
            if (env.matches()) {
                Optional<String> fallback = env.group(2) != null ? Optional.of(env.group(2))
                        : provider instanceof SettingsDefaults ? SettingsDefaults.fallback(env.group(1)) : Optional.empty();
                definitions.computeIfAbsent(key(env.group(1), option.longestName()), k -> new ArrayList<>())
                        .add(new Definition(path, fallback));
            }
        }
        for (Map.Entry<String, CommandLine> sub : new LinkedHashMap<>(command.getSubcommands()).entrySet()) {
            if (!sub.getKey().equals("help")) {
                collect(sub.getValue(), path.isEmpty() ? sub.getKey() : path + " " + sub.getKey());
            }
        }
    }

    /** The rows of the section "## Configuration". */
    private static List<Row> rows(List<String> readme) {
        List<Row> found = new ArrayList<>();
        boolean inSection = false;
        for (String line : readme) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Configuration");
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.matches()) {
                found.add(new Row(row.group(1), row.group(2), row.group(3).trim(), usedBy(row.group(4))));
            }
        }
        assertThat(found).as("README.md has its Configuration table").hasSizeGreaterThan(30);
        return found;
    }

    /** {@code all, `rules push`} → api, topology, sink, rules push; {@code connector with …} → connector. */
    private static Set<String> usedBy(String cell) {
        Set<String> commands = new TreeSet<>();
        for (String part : cell.split(",")) {
            // "connector with `--reconcile-daily`": the command, then when it reads the flag
            String command = part.trim().replace("`", "").replaceFirst(" with .*$", "");
            if (command.equals("all")) {
                commands.addAll(ALL_SERVICES);
            } else {
                commands.add(command);
            }
        }
        return commands;
    }

    private static List<String> readme() throws IOException {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path readme = directory.resolve("README.md");
            if (Files.exists(readme) && Files.exists(directory.resolve("app"))) {
                return Files.readAllLines(readme);
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
